import { alertText, type RenderOptions } from './notifications';
import { callbackReminderAt, FINAL, isBeforeArrival, nextLadderAt, ON_SITE } from './sla';
import {
  ALERT_SEVERITY,
  type AlertType,
  type Job,
  type JobMilestone,
  type PendingAlert,
  propertyOf,
  type Severity,
  STATUSES,
  type Status,
} from './types';

// The workflow protocol: what the state machine does next for a job, as a Step the domain
// decides and every state hands on. One word per wait names the phase, the ASL state and the
// milestone a parked token waits for: arrival ("Wait for the technician to arrive", timed by the
// escalation ladder), reschedule ("Wait for the reschedule", after a visit nobody answered,
// untimed), visit_end ("Wait for the visit to end"), callback ("Wait for the callback"). A
// phase's `_overdue` twin waits on after its SLA was missed, without a timer.

/** Has a job in `status` moved past what a wait for `milestone` is waiting for? */
export function reachedIn(status: Status, milestone: JobMilestone): boolean {
  switch (milestone) {
    case 'arrival':
      // awaiting_reschedule too: the technician came (the arrival is settled), nobody answered.
      return !isBeforeArrival(status);
    case 'reschedule':
      return status !== 'awaiting_reschedule';
    case 'visit_end':
      return !isBeforeArrival(status) && !ON_SITE.includes(status);
    case 'callback':
      return FINAL.includes(status);
  }
}

export const milestoneReached = (job: Job, milestone: JobMilestone) => reachedIn(job.status, milestone);

/** The statuses in which a wait for `milestone` still waits: the store parks a token only in these. */
export const waitingStatuses = (milestone: JobMilestone): Status[] =>
  STATUSES.filter((status) => !reachedIn(status, milestone));

export type Phase =
  | { phase: 'await_arrival' | 'await_callback'; timeoutSeconds: number }
  | {
      phase:
        | 'await_arrival_overdue'
        | 'await_reschedule'
        | 'await_visit_end'
        | 'await_callback_overdue'
        | 'done';
    }
  | { phase: 'send_alert'; alert: PendingAlert };

/** Whole seconds from `now` to `at` (epoch ms) for a wait's timer, at least one. */
export const secondsUntil = (at: number, now: Date) => Math.max(1, Math.ceil((at - now.getTime()) / 1000));

const unsentAlert = (job: Job) => Object.values(job.alerts).find((a) => a && !a.sent);

/**
 * Whether a change moved the instants the arrival wait is timed by (a reschedule): a parked wait
 * is handed back then, so the machine sets its timer again. A deadline that moves is not missed.
 */
export const retimed = (before: Job, after: Job) =>
  before.sla.arrivalDueAt !== after.sla.arrivalDueAt ||
  before.sla.arrivalRiskAt !== after.sla.arrivalRiskAt ||
  before.sla.acceptWarnAt !== after.sla.acceptWarnAt;

/** Whether the workflow still has a step for the job: it is open, or ended with an alert not yet sent. */
export const hasNextStep = (job: Job) => unsentAlert(job) !== undefined || !FINAL.includes(job.status);

/** What the workflow does next for this job. Pure, so a resumed execution picks up where the job is. */
export function nextPhase(job: Job, now: Date): Phase {
  const unsent = unsentAlert(job);
  if (unsent) return { phase: 'send_alert', alert: unsent };
  if (!hasNextStep(job)) return { phase: 'done' };
  if (isBeforeArrival(job.status)) {
    if (job.sla.arrivalMet === false) return { phase: 'await_arrival_overdue' };
    // The next ladder step: a warning still to send, else the deadline.
    return { phase: 'await_arrival', timeoutSeconds: secondsUntil(nextLadderAt(job, now), now) };
  }
  if (job.status === 'awaiting_reschedule') return { phase: 'await_reschedule' };
  if (job.status !== 'signed') return { phase: 'await_visit_end' };
  if (job.sla.callbackMet === false) return { phase: 'await_callback_overdue' };
  const reminderAt = callbackReminderAt(job);
  // A reminder not yet sent is due at reminderAt, or at once if that has passed (after a restart).
  const next = job.alerts['callback.reminder'] ? Date.parse(job.sla.callbackDueAt ?? '') : reminderAt;
  return { phase: 'await_callback', timeoutSeconds: secondsUntil(next, now) };
}

/**
 * The state machine's input at "Go to the next step": what every state hands on. The booking
 * starts the execution with it, whoever resumes a wait hands it over, a task answers it.
 */
export interface Step {
  jobId: string;
  phase: Phase['phase'];
  timeoutSeconds: number | null;
  /**
   * `id` is the alert's stable `alertId` message attribute, so subscribers can drop a repeat;
   * `property` (the unitId prefix) lets a property's staff subscribe to its alerts only.
   */
  alert: {
    id: string;
    type: AlertType;
    severity: Severity;
    property: string;
    subject: string;
    message: string;
  } | null;
  /**
   * With an alert: the step once it is marked sent, so the machine goes on without asking the
   * domain again. An event that lands meanwhile is not lost: the wait it leads to finds the job
   * moved on and resumes at once (the early-event race).
   */
  afterAlert: Step | null;
}

/** One id per alert of a job: each type is sent at most once per job. */
export const alertId = (jobId: string, type: AlertType) => `${jobId}:${type}`;

/** The job's next step, an alert's words rendered for the staff (opts) as it is sent. */
export function stepFor(job: Job, now: Date, opts: RenderOptions): Step {
  const next = nextPhase(job, now);
  if (next.phase !== 'send_alert')
    return {
      jobId: job.jobId,
      phase: next.phase,
      timeoutSeconds: 'timeoutSeconds' in next ? next.timeoutSeconds : null,
      alert: null,
      afterAlert: null,
    };
  const { type } = next.alert;
  const sent: Job = { ...job, alerts: { ...job.alerts, [type]: { ...next.alert, sent: true } } };
  return {
    jobId: job.jobId,
    phase: 'send_alert',
    timeoutSeconds: null,
    alert: {
      id: alertId(job.jobId, type),
      type,
      severity: ALERT_SEVERITY[type],
      property: propertyOf(job.unitId),
      ...alertText(job, next.alert, opts),
    },
    afterAlert: stepFor(sent, now, opts),
  };
}
