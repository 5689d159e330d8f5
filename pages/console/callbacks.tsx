import { useState } from 'preact/hooks';
import type { JobList, JobView } from '../../client/api-client';
import type { Locale } from '../../functions/domain/types';
import { api, problemText, useLive } from '../shared/api';
import { categoryLabel, formatTime } from '../shared/i18n';
import type { Session } from '../shared/session';
import { useNow } from './board';
import type { W } from './words';

// The callback line (S15): every signed job waiting for its one-week call, the oldest due
// first, the resident's phone one tap away, and the outcome form.

export function Callbacks({ session, locale, w }: { session: Session; locale: Locale; w: W }) {
  const live = useLive<JobList>(session.token, '/jobs?status=signed&limit=100');
  const now = useNow();
  const due = [...(live.data?.items ?? [])].sort(
    (a, b) => Date.parse(a.sla.callbackDueAt ?? '') - Date.parse(b.sla.callbackDueAt ?? ''),
  );
  return (
    <section class="card" aria-labelledby="callbacks-title">
      <h2 id="callbacks-title">
        {w.tabCallbacks} ({due.length})
      </h2>
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
            onDone={live.refresh}
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
  onDone: () => void;
}) {
  const { job, now, locale, w } = p;
  const [reached, setReached] = useState(true);
  const [satisfaction, setSatisfaction] = useState(5);
  const [resolved, setResolved] = useState(true);
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);
  const overdue = job.sla.callbackDueAt !== null && Date.parse(job.sla.callbackDueAt) < now.getTime();
  const id = (name: string) => `${name}-${job.jobId}`;
  const submit = async (e: Event) => {
    e.preventDefault();
    const body = reached
      ? { reached, satisfaction, issueResolved: resolved, ...(comment && { comment }) }
      : { reached, ...(comment && { comment }) };
    const reply = await api.recordCallback(p.session.token, job.jobId, body);
    if (!reply.ok) return setError(problemText(reply));
    setError(null);
    p.onDone();
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
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <p>
          <button type="submit">{w.record}</button>
        </p>
      </form>
    </li>
  );
}
