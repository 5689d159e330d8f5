import { useState } from 'preact/hooks';
import type { JobList, JobView } from '../../client/api-client';
import type { Locale } from '../../functions/domain/types';
import { api, problemText, useLive } from '../shared/api';
import { AppointmentPicker } from '../shared/booking';
import { FormEnd } from '../shared/frame';
import { categoryLabel, formatTime } from '../shared/i18n';
import { shownUnder } from '../shared/scope';
import type { Session } from '../shared/session';
import type { Slot } from '../shared/slots';
import { useNow } from './board';
import { PropertyFilter } from './property-filter';
import type { W } from './words';

// The callback line (S15): every signed job waiting for its one-week call, the oldest due
// first, the resident's phone one tap away, and the outcome form. An issue not resolved books
// its rework at the window agreed on the call; a low satisfaction opens a complaint — both
// are named, with a link, once the callback is recorded.

export function Callbacks({ session, locale, w }: { session: Session; locale: Locale; w: W }) {
  const [property, setProperty] = useState('');
  // One property is asked of the server; "all my properties" is the token's scope, which it applies.
  const live = useLive<JobList>(
    session.token,
    `/jobs?status=signed&limit=100${property ? `&property=${encodeURIComponent(property)}` : ''}`,
  );
  const now = useNow();
  const signed = live.data?.items ?? [];
  // What the last recorded callback led to: the rework booked, the complaint opened.
  const [outcome, setOutcome] = useState<JobView | null>(null);
  const due = signed
    .filter((j) => shownUnder(session.properties, property, j.property))
    .sort((a, b) => Date.parse(a.sla.callbackDueAt ?? '') - Date.parse(b.sla.callbackDueAt ?? ''));
  return (
    <section class="card" aria-labelledby="callbacks-title">
      <h2 id="callbacks-title">
        {w.tabCallbacks} ({due.length})
      </h2>
      <div class="row">
        <PropertyFilter
          id="cb-property"
          session={session}
          value={property}
          onChange={setProperty}
          seen={[...new Set(signed.map((j) => j.property))]}
          w={w}
        />
      </div>
      {outcome && <Outcome job={outcome} w={w} />}
      {!live.data && <p class="muted">{live.error ? w.network : w.loading}</p>}
      {live.data && !due.length && <p>{w.noCallbacks}</p>}
      <ul class="plain">
        {due.map((j) => (
          <CallbackItem
            key={j.jobId}
            job={j}
            now={now}
            session={session}
            locale={locale}
            w={w}
            onDone={(job) => {
              setOutcome(job);
              live.refresh();
            }}
          />
        ))}
      </ul>
    </section>
  );
}

function CallbackItem(p: {
  job: JobView;
  now: Date;
  session: Session;
  locale: Locale;
  w: W;
  onDone: (job: JobView) => void;
}) {
  const { job, now, locale, w } = p;
  const [reached, setReached] = useState(true);
  const [satisfaction, setSatisfaction] = useState(5);
  const [resolved, setResolved] = useState(true);
  const [comment, setComment] = useState('');
  const [rework, setRework] = useState<Slot | null>(null);
  const [error, setError] = useState<string | null>(null);
  // One key per outcome recorded: a retry after a lost answer books the rework once.
  const [key] = useState(() => crypto.randomUUID());
  const overdue = job.sla.callbackDueAt !== null && Date.parse(job.sla.callbackDueAt) < now.getTime();
  const id = (name: string) => `${name}-${job.jobId}`;
  const submit = async (e: Event) => {
    e.preventDefault();
    // Not resolved: the rework visit agreed on the call is required (and sent only then).
    if (reached && !resolved && !rework) return;
    const body = reached
      ? {
          reached,
          satisfaction,
          issueResolved: resolved,
          ...(comment && { comment }),
          ...(!resolved && rework && { rework: { appointment: rework } }),
        }
      : { reached, ...(comment && { comment }) };
    const reply = await api
      .recordCallback(p.session.token, job.jobId, body, { idempotencyKey: key })
      .catch(() => null);
    if (!reply) return setError(p.w.network);
    if (!reply.ok) return setError(problemText(reply));
    setError(null);
    p.onDone(reply.body);
  };
  return (
    <li class="card" data-job={job.jobId}>
      <h3>
        <a href={`#/jobs/${encodeURIComponent(job.jobId)}`}>{job.unitId}</a> ·{' '}
        {categoryLabel(locale, job.category)}
      </h3>
      <p>
        {w.due}: {job.sla.callbackDueAt && formatTime(job.sla.callbackDueAt, locale)}{' '}
        {overdue && <span class="badge risk-missed">{w.overdue}</span>} · {w.attempts}: {job.callbackAttempts}
      </p>
      <p>
        {w.phone}: <a href={`tel:${job.contactPhone}`}>{job.contactPhone}</a>
        {job.rating && (
          <span class="description">
            {' '}
            · {w.rating}: {job.rating.score}★ {job.rating.comment}
          </span>
        )}
      </p>
      <form onSubmit={submit}>
        <fieldset>
          <legend>{w.outcome}</legend>
          <div class="choices">
            <label>
              <input type="radio" name={id('reached')} checked={reached} onChange={() => setReached(true)} />
              {w.reached}
            </label>
            <label>
              <input
                type="radio"
                name={id('reached')}
                checked={!reached}
                onChange={() => setReached(false)}
              />
              {w.notReached}
            </label>
          </div>
          {reached && (
            <>
              <label for={id('satisfaction')}>{w.satisfaction}</label>
              <select
                id={id('satisfaction')}
                value={satisfaction}
                onChange={(e) => setSatisfaction(Number(e.currentTarget.value))}
              >
                {[5, 4, 3, 2, 1].map((n) => (
                  <option key={n} value={n}>
                    {n}
                  </option>
                ))}
              </select>
              <label for={id('resolved')}>{w.resolved}</label>
              <select
                id={id('resolved')}
                value={resolved ? 'yes' : 'no'}
                onChange={(e) => setResolved(e.currentTarget.value === 'yes')}
              >
                <option value="yes">{w.yes}</option>
                <option value="no">{w.no}</option>
              </select>
              {!resolved && (
                <AppointmentPicker
                  name={id('rework')}
                  legend={w.reworkWhen}
                  value={rework}
                  onChange={setRework}
                  locale={locale}
                />
              )}
            </>
          )}
          <label for={id('comment')}>{w.comment}</label>
          <input
            id={id('comment')}
            maxLength={1000}
            value={comment}
            onInput={(e) => setComment(e.currentTarget.value)}
          />
        </fieldset>
        <FormEnd error={error} label={w.record} />
      </form>
    </li>
  );
}

/** What the callback just recorded led to, each a link: the rework job booked, the complaint opened. */
function Outcome({ job, w }: { job: JobView; w: W }) {
  const { reworkJobs, complaints } = job.links;
  if (!reworkJobs.length && !complaints.length) return null;
  return (
    <p class="notice" role="status" data-testid="callback-outcome">
      {reworkJobs.map((id) => (
        <a key={id} href={`#/jobs/${encodeURIComponent(id)}`} data-rework={id}>
          {w.reworkBooked.replace('{id}', id)}
        </a>
      ))}
      {reworkJobs.length > 0 && complaints.length > 0 && ' · '}
      {complaints.map((id) => (
        <a key={id} href={`#/complaints/${encodeURIComponent(id)}`} data-complaint={id}>
          {w.complaintOpened.replace('{id}', id)}
        </a>
      ))}
    </p>
  );
}
