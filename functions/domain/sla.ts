import { DEFAULT_SLA, type SlaPolicy } from './policy';
import type { AlertType, Job, Sla, Status } from './types';

// SLA maths only: the deadlines of S3 and S15, the S1 window, the escalation ladder before
// arrival, and what a fired timer makes due. The workflow protocol built on them is workflow.ts.

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

// --- the escalation ladder: before the arrival deadline, two warnings ---

/** The ladder's steps in order; each is alerted at most once per job. */
export const LADDER = ['sla.acceptance_warning', 'sla.arrival_at_risk', 'sla.arrival_missed'] as const;
export type LadderStep = (typeof LADDER)[number];

/**
 * The ladder's instants from `from` (the booking, or the reschedule) to the arrival deadline,
 * recorded on the job, like arrivalDueAt, so a timer never reads the policy (which may change).
 * The acceptance warning is the urgent booking's only: a job timed by an appointment has none.
 * At-risk comes at arrivalRiskPercent of the arrival window: the time a technician has to get
 * there. For an urgent job that is booking → deadline; for one timed by an appointment, the
 * same length (urgentArrivalMinutes) ending at its start, never before `from`: counted from the
 * booking, a visit booked days ahead would warn a day early, and every visit made at the booked
 * time would warn, so the warning would say nothing.
 */
export function ladderInstants(
  urgent: boolean,
  from: Date,
  arrivalDueAt: string,
  sla: SlaPolicy,
): Pick<Sla, 'acceptWarnAt' | 'arrivalRiskAt'> {
  const due = Date.parse(arrivalDueAt);
  const start = urgent
    ? from.getTime()
    : Math.max(from.getTime(), due - sla.urgentArrivalMinutes * MINUTE_MS);
  const window = Math.max(0, due - start);
  return {
    acceptWarnAt: urgent ? new Date(from.getTime() + sla.acceptWarnMinutes * MINUTE_MS).toISOString() : null,
    arrivalRiskAt: new Date(start + Math.round((window * sla.arrivalRiskPercent) / 100)).toISOString(),
  };
}

/**
 * The ladder's steps that apply to the job now, with their instants, in order: none once the
 * arrival is settled or nobody is expected (awaiting a reschedule); the acceptance warning only
 * while nobody accepted. An item written before the ladder has no warnings (only the deadline).
 */
function ladderOf(job: Job): { type: LadderStep; at: number }[] {
  if (!isBeforeArrival(job.status) || job.sla.arrivalMet !== null) return [];
  const at = (iso: string | null | undefined) => (iso ? Date.parse(iso) : Number.NaN);
  return [
    {
      type: 'sla.acceptance_warning' as const,
      at: job.status === 'booked' ? at(job.sla.acceptWarnAt) : Number.NaN,
    },
    { type: 'sla.arrival_at_risk' as const, at: at(job.sla.arrivalRiskAt) },
    { type: 'sla.arrival_missed' as const, at: at(job.sla.arrivalDueAt) },
  ].filter((s) => !Number.isNaN(s.at));
}

/**
 * The ladder's step a timer at `t` stands for: the last one whose instant has passed. A warning
 * a later step overtook (both passed while the machine was down) is skipped, never sent late;
 * a warning already alerted is nothing new. The miss always settles the arrival SLA.
 */
function dueLadderStep(job: Job, t: number): LadderStep | null {
  const passed = ladderOf(job).filter((s) => s.at <= t);
  const last = passed.at(-1);
  if (!last) return null;
  if (last.type === 'sla.arrival_missed' || !job.alerts[last.type]) return last.type;
  return null;
}

/** When the arrival wait's timer should fire: the first ladder step still to come (NaN: none). */
export function nextLadderAt(job: Job, now: Date): number {
  const steps = ladderOf(job);
  const t = now.getTime();
  const next = steps.find(
    (s, i) =>
      (s.type === 'sla.arrival_missed' || !job.alerts[s.type]) &&
      // Overtaken: a later step's instant has passed too, so that step is the one due.
      !steps.slice(i + 1).some((later) => later.at <= t),
  );
  return next ? next.at : Number.NaN;
}

/** What a timer that fired at `now` makes due: a ladder step, a missed SLA or the callback reminder. */
export function dueOnTimer(job: Job, now: Date): AlertType | null {
  const t = now.getTime();
  // A timer fires at (or after) the deadline; an event committed first at the same instant wins.
  const step = dueLadderStep(job, t);
  if (step) return step;
  if (job.status !== 'signed' || job.sla.callbackMet !== null) return null;
  if (t >= Date.parse(job.sla.callbackDueAt ?? '')) return 'sla.callback_missed';
  if (t >= callbackReminderAt(job) && !job.alerts['callback.reminder']) return 'callback.reminder';
  return null;
}
