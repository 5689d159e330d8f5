import type { ComplaintView, JobView } from '../../client/api-client';
import { nextComplaintDeadline } from '../../functions/domain/complaints';

// The next promise on a job or a complaint and how close it is: what the board and the
// complaints queue sort and colour by.

export type Risk = 'missed' | 'soon' | 'ok' | 'none';

export interface Deadline {
  /** A job's arrival or callback; a complaint's investigation (S16) or callback (S17). */
  kind: 'arrival' | 'callback' | 'investigation';
  dueAt: string;
  /** Milliseconds left (negative once passed). */
  leftMs: number;
  risk: Risk;
}

const SOON_ARRIVAL_MS = 3 * 60_000;
const SOON_CALLBACK_MS = 24 * 3600_000;
const SOON_INVESTIGATION_MS = 2 * 3600_000;

const deadline = (
  kind: Deadline['kind'],
  dueAt: string,
  met: boolean | null,
  soonMs: number,
  now: Date,
): Deadline => {
  const leftMs = Date.parse(dueAt) - now.getTime();
  const risk: Risk = met === false || leftMs < 0 ? 'missed' : leftMs <= soonMs ? 'soon' : 'ok';
  return { kind, dueAt, leftMs, risk };
};

/** The deadline the job still has to meet, or the one it missed; null when every SLA is settled and met. */
export function nextDeadline(job: JobView, now: Date): Deadline | null {
  const { sla } = job;
  const at = (kind: Deadline['kind'], dueAt: string, met: boolean | null, soonMs: number) =>
    deadline(kind, dueAt, met, soonMs, now);
  if (sla.arrivalMet === false) return at('arrival', sla.arrivalDueAt, false, 0);
  if (sla.arrivalMet === null) return at('arrival', sla.arrivalDueAt, null, SOON_ARRIVAL_MS);
  if (sla.callbackMet === false && sla.callbackDueAt) return at('callback', sla.callbackDueAt, false, 0);
  if (sla.callbackMet === null && sla.callbackDueAt)
    return at('callback', sla.callbackDueAt, null, SOON_CALLBACK_MS);
  return null;
}

const RANK: Record<Risk, number> = { missed: 0, soon: 1, ok: 2, none: 3 };

/** Most at risk first: missed, then the least time left; jobs with nothing due last. */
export function byRisk(now: Date) {
  return (a: JobView, b: JobView) => {
    const da = nextDeadline(a, now);
    const db = nextDeadline(b, now);
    const ra = RANK[da?.risk ?? 'none'];
    const rb = RANK[db?.risk ?? 'none'];
    if (ra !== rb) return ra - rb;
    return (da?.leftMs ?? Number.POSITIVE_INFINITY) - (db?.leftMs ?? Number.POSITIVE_INFINITY);
  };
}

/** "9:41" / "-2:05" (minutes:seconds), or hours and days when far. */
export function countdown(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  const s = Math.floor(Math.abs(ms) / 1000);
  if (s >= 2 * 86400) return `${sign}${Math.floor(s / 86400)}d`;
  if (s >= 3600)
    return `${sign}${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}`;
  return `${sign}${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/**
 * The deadline a complaint's agents work to next, as the API orders its queue: the
 * investigation's (the end of the day of receipt) until it is filed, then the callback's
 * (3 days); null once closed.
 */
export function complaintDeadline(c: ComplaintView, now: Date): Deadline | null {
  const next = nextComplaintDeadline(c);
  if (!next) return null;
  const soonMs = next.kind === 'investigation' ? SOON_INVESTIGATION_MS : SOON_CALLBACK_MS;
  return deadline(next.kind, next.dueAt, next.met, soonMs, now);
}

/** The deadlines a complaint has missed so far (recorded by the server, or passed and not yet recorded). */
export function complaintMisses(c: ComplaintView, now: Date): Array<'investigation' | 'callback'> {
  const { sla } = c;
  const t = now.getTime();
  const misses: Array<'investigation' | 'callback'> = [];
  if (
    sla.investigationMet === false ||
    (sla.investigatedAt === null && t > Date.parse(sla.investigationDueAt))
  )
    misses.push('investigation');
  if (sla.callbackMet === false || (sla.calledBackAt === null && t > Date.parse(sla.callbackDueAt)))
    misses.push('callback');
  return misses;
}

/** The complaints queue's order: the nearest next deadline first (missed ones have passed, so lead). */
export function byComplaintDeadline(now: Date) {
  const due = (c: ComplaintView) => {
    const d = complaintDeadline(c, now);
    return d ? Date.parse(d.dueAt) : Number.POSITIVE_INFINITY;
  };
  return (a: ComplaintView, b: ComplaintView) =>
    due(a) - due(b) || a.complaintId.localeCompare(b.complaintId);
}
