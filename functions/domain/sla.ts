import { DEFAULT_SLA, type SlaPolicy } from './policy';
import type { AlertType, Job, Status } from './types';

// SLA maths only: the deadlines of S3 and S15, the S1 window, and what a fired timer makes due.
// The workflow protocol built on them is workflow.ts.

const MINUTE_MS = 60 * 1000;
const DAY_MS = 24 * 60 * MINUTE_MS;
// S3: urgent on site within 10 minutes (a property may set its own), regular at the booked time.
export const URGENT_ARRIVAL_MS = DEFAULT_SLA.urgentArrivalMinutes * MINUTE_MS;
// S15: callback within one week of the signed form (a property may set its own); agents are reminded a day before.
export const CALLBACK_WINDOW_MS = DEFAULT_SLA.callbackDays * DAY_MS;
export const CALLBACK_REMINDER_LEAD_MS = 24 * 60 * 60 * 1000;
// S1: work finished within 10 minutes of starting carries no labour fee (where the property opts in).
export const QUICK_FIX_MS = 10 * 60 * 1000;

const BEFORE_ARRIVAL: readonly Status[] = ['booked', 'accepted', 'en_route'];
export const ON_SITE: readonly Status[] = ['arrived', 'diagnosed', 'in_progress', 'completed', 'cleaned'];
export const FINAL: readonly Status[] = ['closed', 'cancelled', 'declined', 'needs_follow_up'];

export const isBeforeArrival = (s: Status) => BEFORE_ARRIVAL.includes(s);

export function arrivalDueAt(
  priority: 'urgent' | 'regular',
  createdAt: Date,
  appointmentStart: string | undefined,
  sla: SlaPolicy,
): string {
  if (priority === 'urgent')
    return new Date(createdAt.getTime() + sla.urgentArrivalMinutes * MINUTE_MS).toISOString();
  if (!appointmentStart) throw new Error('a regular job needs an appointment');
  return new Date(appointmentStart).toISOString();
}

export const callbackDueAt = (signedAt: Date, sla: SlaPolicy) =>
  new Date(signedAt.getTime() + sla.callbackDays * DAY_MS).toISOString();

export const callbackReminderAt = (job: Job) =>
  job.sla.callbackDueAt ? Date.parse(job.sla.callbackDueAt) - CALLBACK_REMINDER_LEAD_MS : Number.NaN;

/** What a timer that fired at `now` makes due: a missed SLA or the callback reminder. */
export function dueOnTimer(job: Job, now: Date): AlertType | null {
  const t = now.getTime();
  // A timer fires at (or after) the deadline; an event committed first at the same instant wins.
  if (isBeforeArrival(job.status) && job.sla.arrivalMet === null && t >= Date.parse(job.sla.arrivalDueAt))
    return 'sla.arrival_missed';
  if (job.status !== 'signed' || job.sla.callbackMet !== null) return null;
  if (t >= Date.parse(job.sla.callbackDueAt ?? '')) return 'sla.callback_missed';
  if (t >= callbackReminderAt(job) && !job.alerts['callback.reminder']) return 'callback.reminder';
  return null;
}
