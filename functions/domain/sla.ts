import { type AlertType, type Job, type Milestone, type PendingAlert, STATUSES, type Status } from './types';

// S3: urgent on site within 10 minutes, regular at the booked time.
export const URGENT_ARRIVAL_MS = 10 * 60 * 1000;
// S15: callback within one week of the signed form; agents are reminded a day before.
export const CALLBACK_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;
export const CALLBACK_REMINDER_LEAD_MS = 24 * 60 * 60 * 1000;
// S1: work finished within 10 minutes of starting carries no labour fee (where the property opts in).
export const QUICK_FIX_MS = 10 * 60 * 1000;

const BEFORE_ARRIVAL: readonly Status[] = ['booked', 'accepted', 'en_route'];
const ON_SITE: readonly Status[] = ['arrived', 'diagnosed', 'in_progress', 'completed', 'cleaned'];
export const FINAL: readonly Status[] = ['closed', 'cancelled', 'declined', 'needs_follow_up'];

export const isBeforeArrival = (s: Status) => BEFORE_ARRIVAL.includes(s);

export function arrivalDueAt(
  priority: 'urgent' | 'regular',
  createdAt: Date,
  appointmentStart?: string,
): string {
  if (priority === 'urgent') return new Date(createdAt.getTime() + URGENT_ARRIVAL_MS).toISOString();
  if (!appointmentStart) throw new Error('a regular job needs an appointment');
  return new Date(appointmentStart).toISOString();
}

export const callbackDueAt = (signedAt: Date) =>
  new Date(signedAt.getTime() + CALLBACK_WINDOW_MS).toISOString();

export const callbackReminderAt = (job: Job) =>
  job.sla.callbackDueAt ? Date.parse(job.sla.callbackDueAt) - CALLBACK_REMINDER_LEAD_MS : Number.NaN;

/** Has a job in `status` moved past what a wait for `milestone` is waiting for? */
export function reachedIn(status: Status, milestone: Milestone): boolean {
  switch (milestone) {
    case 'arrival':
      return !isBeforeArrival(status);
    case 'visit_end':
      return !isBeforeArrival(status) && !ON_SITE.includes(status);
    case 'callback':
      return FINAL.includes(status);
  }
}

export const milestoneReached = (job: Job, milestone: Milestone) => reachedIn(job.status, milestone);

/** The statuses in which a wait for `milestone` still waits: the store parks a token only in these. */
export const waitingStatuses = (milestone: Milestone): Status[] =>
  STATUSES.filter((status) => !reachedIn(status, milestone));

export type Phase =
  | { phase: 'await_arrival' | 'await_callback'; timeoutSeconds: number }
  | { phase: 'await_arrival_overdue' | 'await_signature' | 'await_callback_overdue' | 'done' }
  | { phase: 'send_alert'; alert: PendingAlert };

const secondsUntil = (at: number, now: Date) => Math.max(1, Math.ceil((at - now.getTime()) / 1000));

const unsentAlert = (job: Job) => Object.values(job.alerts).find((a) => a && !a.sent);

/** Whether the workflow still has a step for the job: it is open, or ended with an alert not yet sent. */
export const hasNextStep = (job: Job) => unsentAlert(job) !== undefined || !FINAL.includes(job.status);

/** What the workflow does next for this job. Pure, so a resumed execution picks up where the job is. */
export function nextPhase(job: Job, now: Date): Phase {
  const unsent = unsentAlert(job);
  if (unsent) return { phase: 'send_alert', alert: unsent };
  if (!hasNextStep(job)) return { phase: 'done' };
  if (isBeforeArrival(job.status)) {
    if (job.sla.arrivalMet === false) return { phase: 'await_arrival_overdue' };
    return { phase: 'await_arrival', timeoutSeconds: secondsUntil(Date.parse(job.sla.arrivalDueAt), now) };
  }
  if (job.status !== 'signed') return { phase: 'await_signature' };
  if (job.sla.callbackMet === false) return { phase: 'await_callback_overdue' };
  const reminderAt = callbackReminderAt(job);
  // A reminder not yet sent is due at reminderAt, or at once if that has passed (after a restart).
  const next = job.alerts['callback.reminder'] ? Date.parse(job.sla.callbackDueAt ?? '') : reminderAt;
  return { phase: 'await_callback', timeoutSeconds: secondsUntil(next, now) };
}

/**
 * The state machine's input at Route: what LoadJob answers, and what a resumed wait is told, so
 * a wait that ends on an event goes straight to the next phase without asking again.
 */
export interface Step {
  jobId: string;
  phase: Phase['phase'];
  timeoutSeconds: number | null;
  /** `id` is the alert's stable `alertId` message attribute, so subscribers can drop a repeat. */
  alert: (Pick<PendingAlert, 'type' | 'severity' | 'subject' | 'message'> & { id: string }) | null;
}

/** One id per alert of a job: each type is sent at most once per job. */
export const alertId = (jobId: string, type: AlertType) => `${jobId}:${type}`;

export function stepFor(job: Job, now: Date): Step {
  const next = nextPhase(job, now);
  return {
    jobId: job.jobId,
    phase: next.phase,
    timeoutSeconds: 'timeoutSeconds' in next ? next.timeoutSeconds : null,
    alert:
      'alert' in next
        ? {
            id: alertId(job.jobId, next.alert.type),
            type: next.alert.type,
            severity: next.alert.severity,
            subject: next.alert.subject,
            message: next.alert.message,
          }
        : null,
  };
}

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
