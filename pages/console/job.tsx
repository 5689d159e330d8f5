import { useState } from 'preact/hooks';
import type { HistoryItem, JobView } from '../../client/api-client';
import type { Locale } from '../../functions/domain/types';
import { api, problemText, useLive } from '../shared/api';
import { categoryLabel, formatTime, STATUS_WORDS } from '../shared/i18n';
import type { Session } from '../shared/session';
import { ALERT_WORDS, HISTORY_WORDS, type W } from './words';

// One job for staff: what it is, its quote and kit, its whole history (who, when, what), and
// the manager's cancel.

const MANAGER_CANCELLABLE = ['booked', 'accepted', 'en_route', 'arrived', 'diagnosed'];

export function JobDetail(p: { session: Session; jobId: string; locale: Locale; w: W }) {
  const { session, jobId, locale, w } = p;
  const path = `/jobs/${encodeURIComponent(jobId)}`;
  const job = useLive<JobView>(session.token, path);
  const history = useLive<{ items: HistoryItem[] }>(session.token, `${path}/history`);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const j = job.data;
  if (!j) return <p class="card">{job.error ?? w.loading}</p>;
  const items = history.data?.items ?? [];
  const kit = items.find((i) => i.type === 'job.arrived')?.data.kit as Record<string, boolean> | undefined;
  const cancel = async (e: Event) => {
    e.preventDefault();
    const reply = await api.cancelJob(session.token, j.jobId, reason ? { reason } : {});
    setError(reply.ok ? null : problemText(reply));
    job.refresh();
    history.refresh();
  };
  return (
    <div class="layout">
      <article class="card" data-job={j.jobId}>
        <p>
          <a href="#/">{w.back}</a>
        </p>
        <h2>
          {j.unitId} · {categoryLabel(locale, j.category)} · {j.priority === 'urgent' ? w.urgent : w.regular}
        </h2>
        <p class="description">{j.description}</p>
        <p>
          <span class="badge">{STATUS_WORDS[locale][j.status]}</span> <span class="muted">{j.jobId}</span>
        </p>
        <dl>
          <dt>{w.resident}</dt>
          <dd>
            {j.residentId} · <a href={`tel:${j.contactPhone}`}>{j.contactPhone}</a>
            {j.channel === 'phone' && ` · ${w.tabIntake}`}
          </dd>
          <dt>{w.arrival}</dt>
          <dd>
            {formatTime(j.sla.arrivalDueAt, locale)}
            {j.sla.arrivalMet === false && <span class="badge risk-missed"> {w.missed}</span>}
          </dd>
          {j.technician && (
            <>
              <dt>{w.technician}</dt>
              <dd>
                {j.technician.name} ({j.technician.id})
              </dd>
            </>
          )}
          {j.quote && (
            <>
              <dt>{w.quote}</dt>
              <dd class="description">
                {j.quote.fault} · ¥{j.quote.labor} + ¥{j.quote.parts}
                {j.laborWaived && ' · S1'}
              </dd>
            </>
          )}
          {kit && (
            <>
              <dt>{w.kit}</dt>
              <dd>{Object.values(kit).every(Boolean) ? w.kitComplete : w.kitIncomplete}</dd>
            </>
          )}
          {j.rating && (
            <>
              <dt>{w.rating}</dt>
              <dd class="description">
                {j.rating.score}★ {j.rating.comment}
              </dd>
            </>
          )}
        </dl>
        {(j.alerts ?? []).map((a) => (
          <p key={a.type}>
            <span class={`badge sev-${a.severity}`}>{ALERT_WORDS[locale][a.type]}</span>
          </p>
        ))}
        {session.role === 'manager' && MANAGER_CANCELLABLE.includes(j.status) && (
          <form onSubmit={cancel}>
            <label for="cancel-reason">{w.cancelReason}</label>
            <input
              id="cancel-reason"
              maxLength={500}
              value={reason}
              onInput={(e) => setReason(e.currentTarget.value)}
            />
            <p>
              <button type="submit" class="danger">
                {w.cancel}
              </button>
            </p>
          </form>
        )}
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
      </article>
      <section class="card" aria-labelledby="history-title">
        <h2 id="history-title">{w.history}</h2>
        <ol class="timeline">
          {items.map((i) => (
            <li key={`${i.at}:${i.type}`} class="done">
              <strong>{HISTORY_WORDS[locale][i.type] ?? i.type}</strong> <span class="muted">{i.actor}</span>
              <div class="when">{formatTime(i.at, locale)}</div>
              <HistoryData data={i.data} />
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}

/** A history item's data as plain text lines (never markup: it holds what others typed). */
function HistoryData({ data }: { data: Record<string, unknown> }) {
  const lines = Object.entries(data)
    .filter(([k]) => k !== 'signature')
    .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
  if (!lines.length) return null;
  return <div class="muted description">{lines.join('\n')}</div>;
}
