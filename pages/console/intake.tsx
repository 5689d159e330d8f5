import { useState } from 'preact/hooks';
import type { JobView } from '../../client/api-client';
import type { Locale } from '../../functions/domain/types';
import { api, problemText } from '../shared/api';
import { BookingFields, bookingOf, useDraft, windowText } from '../shared/booking';
import { categoryLabel } from '../shared/i18n';
import type { Session } from '../shared/session';
import type { W } from './words';

// Phone intake (S18): the agent types what the resident says, reads it back, and only then
// books it — for the resident's account, so it shows on their phone page too.

export function Intake({ session, locale, w }: { session: Session; locale: Locale; w: W }) {
  const { draft, set, slots } = useDraft();
  const [residentId, setResidentId] = useState('');
  const [reviewing, setReviewing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [booked, setBooked] = useState<JobView | null>(null);
  const [key, setKey] = useState(() => crypto.randomUUID());
  const body = {
    ...bookingOf(draft, slots, locale),
    residentId: residentId.trim(),
    channel: 'phone' as const,
  };
  const confirm = async () => {
    const reply = await api.bookJob(session.token, body, { idempotencyKey: key });
    if (!reply.ok) {
      setReviewing(false);
      return setError(problemText(reply));
    }
    setError(null);
    setBooked(reply.body);
    setReviewing(false);
    setKey(crypto.randomUUID());
  };
  if (reviewing)
    return (
      <section class="card" aria-labelledby="readback-title">
        <h2 id="readback-title">{w.review}</h2>
        <p>{w.readBack}</p>
        <dl data-testid="read-back">
          <dt>{w.residentId}</dt>
          <dd>{body.residentId}</dd>
          <dt>{w.unit}</dt>
          <dd>{body.unitId}</dd>
          <dt>{w.phone}</dt>
          <dd>{body.contactPhone}</dd>
          <dt>{w.category}</dt>
          <dd>{categoryLabel(locale, body.category)}</dd>
          <dt>{w.description}</dt>
          <dd class="description">{body.description}</dd>
          <dt>{w.when}</dt>
          <dd>{body.appointment ? windowText(body.appointment, locale) : w.urgent}</dd>
        </dl>
        <div class="row">
          <button type="button" onClick={confirm}>
            {w.confirm}
          </button>
          <button type="button" class="secondary" onClick={() => setReviewing(false)}>
            {w.edit}
          </button>
        </div>
      </section>
    );
  return (
    <form
      class="card"
      onSubmit={(e) => {
        e.preventDefault();
        setReviewing(true);
      }}
    >
      <h2>{w.tabIntake}</h2>
      {booked && (
        <p class="notice" role="status">
          {w.bookedFor.replace('{id}', booked.jobId)} <a href={`#/jobs/${booked.jobId}`}>{booked.unitId}</a>
        </p>
      )}
      <label for="resident">{w.residentId}</label>
      <input
        id="resident"
        required
        value={residentId}
        onInput={(e) => setResidentId(e.currentTarget.value)}
      />
      <BookingFields draft={draft} set={set} slots={slots} locale={locale} l={w} />
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit">{w.review}</button>
    </form>
  );
}
