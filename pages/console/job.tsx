import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import type { ChainCheck, HistoryItem, JobView } from '../../client/api-client';
import type { Locale } from '../../functions/domain/types';
import { api, problemText, useLive } from '../shared/api';
import { AppointmentPicker, windowText } from '../shared/booking';
import { FormEnd } from '../shared/frame';
import { categoryLabel, formatTime, STATUS_WORDS } from '../shared/i18n';
import type { Session } from '../shared/session';
import type { Slot } from '../shared/slots';
import { ALERT_WORDS, HISTORY_WORDS, type W } from './words';

// One job for staff: what it is, its quote and kit, the jobs and complaints it is linked to,
// its whole history (who, when, what), the manager's cancel and the manager's follow-up visit.

const MANAGER_CANCELLABLE = ['booked', 'accepted', 'en_route', 'arrived', 'diagnosed'];

export function JobDetail(p: { session: Session; jobId: string; locale: Locale; w: W }) {
  const { session, jobId, locale, w } = p;
  const path = `/jobs/${encodeURIComponent(jobId)}`;
  const job = useLive<JobView>(session.token, path);
  const history = useLive<{ items: HistoryItem[] }>(session.token, `${path}/history`);
  const chain = useLive<ChainCheck>(session.token, `${path}/history/verify`);
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
          {j.appointment && (
            <>
              <dt>{w.when}</dt>
              <dd>{windowText(j.appointment, locale)}</dd>
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
          <JobLinks job={j} w={w} />
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
        {session.role === 'manager' && j.status === 'needs_follow_up' && !j.links.followUps.length && (
          <FollowUpForm
            session={session}
            job={j}
            locale={locale}
            w={w}
            onDone={() => {
              job.refresh();
              history.refresh();
            }}
          />
        )}
      </article>
      <section class="card" aria-labelledby="history-title">
        <h2 id="history-title">{w.history}</h2>
        {chain.data && <ChainNote check={chain.data} w={w} />}
        <HistoryList items={items} locale={locale} />
      </section>
    </div>
  );
}

/** What GET …/history/verify said of the history's hash chain, as text (the reason is the server's words). */
function ChainNote({ check, w }: { check: ChainCheck; w: W }) {
  if (check.valid)
    return (
      <p class="muted" data-history-check="valid">
        {w.historyVerified.replace('{n}', String(check.items))}
      </p>
    );
  return (
    <p class="badge risk-missed" data-history-check="broken" role="alert">
      {w.historyBroken.replace('{i}', String(check.brokenAt)).replace('{reason}', () => check.reason)}
    </p>
  );
}

/** How the job is tied to others, each a link: what it reworks, follows up or recalls, and what came of it. */
function JobLinks({ job, w }: { job: JobView; w: W }) {
  const { links } = job;
  const one = (id: string | null) => (id ? [id] : []);
  const rows = [
    ['reworkOf', w.reworkOf, 'jobs', one(links.reworkOf)],
    ['followUpOf', w.followUpOf, 'jobs', one(links.followUpOf)],
    ['recallOf', w.recallOf, 'jobs', one(links.recallOf)],
    ['reworkJobs', w.reworkJobs, 'jobs', links.reworkJobs],
    ['followUps', w.followUps, 'jobs', links.followUps],
    ['complaints', w.complaints, 'complaints', links.complaints],
  ] as const;
  return (
    <>
      {rows
        .filter(([, , , ids]) => ids.length)
        .map(([key, label, view, ids]) => (
          <Fragment key={key}>
            <dt>{label}</dt>
            <dd data-link={key}>
              {ids.map((id, i) => (
                <Fragment key={id}>
                  {i > 0 && ' · '}
                  <a href={`#/${view}/${encodeURIComponent(id)}`}>{id}</a>
                </Fragment>
              ))}
            </dd>
          </Fragment>
        ))}
    </>
  );
}

/** A manager opens the follow-up visit of a job left needs_follow_up, at the window agreed with the resident. */
function FollowUpForm(p: { session: Session; job: JobView; locale: Locale; w: W; onDone: () => void }) {
  const { w } = p;
  const [slot, setSlot] = useState<Slot | null>(null);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!slot) return;
    const reply = await api
      .openFollowUp(p.session.token, p.job.jobId, { appointment: slot })
      .catch(() => null);
    if (!reply) return setError(w.network);
    if (!reply.ok) return setError(problemText(reply));
    setError(null);
    p.onDone();
  };
  return (
    <form onSubmit={submit} aria-labelledby="follow-up-title">
      <h3 id="follow-up-title">{w.followUpTitle}</h3>
      <AppointmentPicker
        name="follow-up"
        legend={w.followUpWhen}
        value={slot}
        onChange={setSlot}
        locale={p.locale}
      />
      <FormEnd error={error} label={w.openFollowUp} />
    </form>
  );
}

/** A job's or a complaint's history, oldest first: what happened, who did it, when, and its data. */
export function HistoryList({ items, locale }: { items: HistoryItem[]; locale: Locale }) {
  return (
    <ol class="timeline">
      {items.map((i) => (
        <li key={`${i.at}:${i.type}`} class="done" data-history={i.type}>
          <strong>{HISTORY_WORDS[locale][i.type] ?? i.type}</strong> <span class="muted">{i.actor}</span>
          <div class="when">{formatTime(i.at, locale)}</div>
          <HistoryData data={i.data} />
        </li>
      ))}
    </ol>
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
