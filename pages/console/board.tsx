import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { ComplaintList, ComplaintView, JobList, JobView } from '../../client/api-client';
import { type Locale, PRIORITIES, STATUSES } from '../../functions/domain/types';
import { serverNow, useLive } from '../shared/api';
import { categoryLabel, STATUS_WORDS } from '../shared/i18n';
import { shownUnder } from '../shared/scope';
import type { Session } from '../shared/session';
import { byRisk, countdown, nextDeadline } from '../shared/sla';
import { openJobsByTechnician } from './assign';
import { AssignControl, type Rosters, useRosters } from './assign-control';
import { PropertyFilter } from './property-filter';
import { ALERT_WORDS, type W } from './words';

// The dispatcher's board: every open job, most at risk first, with the time left to its next
// deadline, and the alerts raised on them and on the open complaints. It asks again every
// second (conditional GETs), so a new booking, a missed SLA or an alert shows within about a
// second, without a reload.

/** The server's time, ticking every second: countdowns move between answers too. */
export function useNow(): Date {
  const [now, setNow] = useState(serverNow);
  useEffect(() => {
    const t = setInterval(() => setNow(serverNow()), 1000);
    return () => clearInterval(t);
  }, []);
  return now;
}

/** What a board row's controls are given. */
export interface RowContext {
  session: Session;
  locale: Locale;
  w: W;
  /** The roster of each property on the board (managers only: agents may not read it). */
  rosters: Rosters;
  openJobs: Readonly<Record<string, number>>;
  /** Ask the board again now (after an action). */
  refresh: () => void;
}

/**
 * The controls of a board row, each a function of the job (null: none for this job); the
 * Actions column shows once there is one. Staff may offer a booked job to a technician (Assign,
 * or Reassign while an offer stands) in either dispatch mode: the server decides, and the board
 * does not know a property's mode.
 */
const ROW_ACTIONS: Array<(job: JobView, ctx: RowContext) => ComponentChildren | null> = [
  (job, ctx) =>
    job.status === 'booked' && (ctx.session.role === 'manager' || ctx.session.role === 'agent') ? (
      <AssignControl
        key="assign"
        job={job}
        session={ctx.session}
        roster={ctx.rosters[job.property]}
        openJobs={ctx.openJobs}
        onAssigned={ctx.refresh}
        w={ctx.w}
      />
    ) : null,
];

export function Board({ session, locale, w }: { session: Session; locale: Locale; w: W }) {
  const [property, setProperty] = useState('');
  // One property is asked of the server (its open jobs are one Query); "all" is the token's scope.
  const only = property ? `&property=${encodeURIComponent(property)}` : '';
  const live = useLive<JobList>(session.token, `/jobs?open=true&limit=100${only}`);
  const complaints = useLive<ComplaintList>(session.token, `/complaints?open=true&limit=100${only}`);
  const now = useNow();
  const [status, setStatus] = useState('');
  const [priority, setPriority] = useState('');
  const jobs = live.data?.items ?? [];
  const properties = [...new Set(jobs.map((j) => j.property))];
  const rosters = useRosters(session, properties);
  const openJobs = openJobsByTechnician(jobs);
  const inProperty = <T extends { property: string }>(items: T[]) =>
    items.filter((i) => shownUnder(session.properties, property, i.property));
  const shown = inProperty(jobs)
    .filter((j) => !status || j.status === status)
    .filter((j) => !priority || j.priority === priority)
    .sort(byRisk(now));
  const select = (
    id: string,
    label: string,
    value: string,
    set: (v: string) => void,
    options: [string, string][],
  ) => (
    <div>
      <label for={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => set(e.currentTarget.value)}>
        <option value="">{w.all}</option>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <div class="layout">
      <section class="card" aria-labelledby="board-title">
        <h2 id="board-title">
          {w.openJobs} ({shown.length})
        </h2>
        {live.error && (
          <p class="error" role="status">
            {w.network}
          </p>
        )}
        <div class="row">
          <PropertyFilter
            id="f-property"
            session={session}
            value={property}
            onChange={setProperty}
            seen={properties}
            w={w}
          />
          {select(
            'f-status',
            w.filterStatus,
            status,
            setStatus,
            STATUSES.map((s) => [s, STATUS_WORDS[locale][s]]),
          )}
          {select(
            'f-priority',
            w.filterPriority,
            priority,
            setPriority,
            PRIORITIES.map((p) => [p, w[p]]),
          )}
        </div>
        {!live.data && !live.error && <p class="muted">{w.loading}</p>}
        {live.data && !shown.length && <p>{w.noJobs}</p>}
        {shown.length > 0 && (
          <div class="scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">{w.deadline}</th>
                  <th scope="col">{w.job}</th>
                  <th scope="col">{w.status}</th>
                  <th scope="col">{w.technician}</th>
                  <th scope="col">{w.description}</th>
                  {ROW_ACTIONS.length > 0 && <th scope="col">{w.actions}</th>}
                </tr>
              </thead>
              <tbody>
                {shown.map((j) => (
                  <BoardRow
                    key={j.jobId}
                    job={j}
                    now={now}
                    ctx={{ session, locale, w, rosters, openJobs, refresh: live.refresh }}
                  />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <AlertFeed
        jobs={inProperty(jobs)}
        complaints={inProperty(complaints.data?.items ?? [])}
        locale={locale}
        w={w}
      />
    </div>
  );
}

function BoardRow({ job, now, ctx }: { job: JobView; now: Date; ctx: RowContext }) {
  const { locale, w } = ctx;
  const d = nextDeadline(job, now);
  return (
    <tr data-job={job.jobId} data-risk={d?.risk ?? 'none'}>
      <td class={`countdown risk-${d?.risk ?? 'ok'}`}>
        {d && (
          <>
            {d.kind === 'arrival' ? w.arrival : w.callback}{' '}
            {d.risk === 'missed' ? w.missed : countdown(d.leftMs)}
          </>
        )}
      </td>
      <td>
        <a href={`#/jobs/${encodeURIComponent(job.jobId)}`}>{job.unitId}</a>
        <div class="muted">
          {job.priority === 'urgent' ? w.urgent : w.regular} · {categoryLabel(locale, job.category)}
        </div>
      </td>
      <td>{STATUS_WORDS[locale][job.status]}</td>
      <td>
        {job.technician?.name ??
          (job.offer ? w.offeredTo.replace('{name}', job.offer.name ?? job.offer.technicianId) : '—')}
      </td>
      <td class="description">{job.description}</td>
      {ROW_ACTIONS.length > 0 && (
        <td>
          <div class="row">{ROW_ACTIONS.map((action) => action(job, ctx))}</div>
        </td>
      )}
    </tr>
  );
}

function AlertFeed(p: { jobs: JobView[]; complaints: ComplaintView[]; locale: Locale; w: W }) {
  const { locale, w } = p;
  const alerts = [
    ...p.jobs.flatMap((j) =>
      (j.alerts ?? []).map((a) => ({ ...a, id: j.jobId, unitId: j.unitId, of: 'job' as const })),
    ),
    ...p.complaints.flatMap((c) =>
      (c.alerts ?? []).map((a) => ({ ...a, id: c.complaintId, unitId: c.unitId, of: 'complaint' as const })),
    ),
  ];
  const order = { critical: 0, warning: 1, info: 2 };
  alerts.sort((a, b) => order[a.severity] - order[b.severity]);
  return (
    <aside class="card" aria-labelledby="alerts-title">
      <h2 id="alerts-title">{w.alerts}</h2>
      {!alerts.length && <p class="muted">{w.noAlerts}</p>}
      <ul class="plain" aria-live="polite">
        {alerts.map((a) => (
          <li
            key={`${a.of}:${a.id}:${a.type}`}
            data-alert={a.type}
            {...(a.of === 'job' ? { 'data-job': a.id } : { 'data-complaint': a.id })}
          >
            <span class={`badge sev-${a.severity}`}>{ALERT_WORDS[locale][a.type]}</span>{' '}
            <a href={`#/${a.of === 'job' ? 'jobs' : 'complaints'}/${encodeURIComponent(a.id)}`}>
              {a.of === 'complaint' && `${w.complaint} `}
              {a.unitId}
            </a>{' '}
            <span class="muted">{a.sent ? w.sent : w.pending}</span>
          </li>
        ))}
      </ul>
    </aside>
  );
}
