import type { JobView } from '../../client/api-client';

// The next promise on a job and how close it is: what the board sorts and colours by.

export type Risk = 'missed' | 'soon' | 'ok' | 'none';

export interface Deadline {
  kind: 'arrival' | 'callback';
  dueAt: string;
  /** Milliseconds left (negative once passed). */
  leftMs: number;
  risk: Risk;
}

const SOON_ARRIVAL_MS = 3 * 60_000;
const SOON_CALLBACK_MS = 24 * 3600_000;

/** The deadline the job still has to meet, or the one it missed; null when every SLA is settled and met. */
export function nextDeadline(job: JobView, now: Date): Deadline | null {
  const { sla } = job;
  const at = (kind: Deadline['kind'], dueAt: string, met: boolean | null, soonMs: number): Deadline => {
    const leftMs = Date.parse(dueAt) - now.getTime();
    const risk: Risk = met === false || leftMs < 0 ? 'missed' : leftMs <= soonMs ? 'soon' : 'ok';
    return { kind, dueAt, leftMs, risk };
  };
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
