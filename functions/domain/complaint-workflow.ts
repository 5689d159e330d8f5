import { complaintAlertText } from './complaint-notices';
import { complaintReached } from './complaints';
import type { RenderOptions } from './notifications';
import {
  ALERT_SEVERITY,
  COMPLAINT_STATUSES,
  type Complaint,
  type ComplaintMilestone,
  type ComplaintMiss,
  type ComplaintStatus,
  type PendingAlert,
  propertyOf,
  type Severity,
} from './types';
import { alertId, secondsUntil } from './workflow';

// The workflow protocol for a complaint (statemachines/complaint.asl.json), as jobs have it
// (workflow.ts): the domain decides the next step, every state hands it on. The waits:
// "Wait for the investigation" (until the end of the day of receipt), "Keep waiting for the
// late investigation" (until the callback deadline), "Wait for the callback" (until the
// callback deadline), "Keep waiting for the late callback" (no timer).

export type ComplaintPhase =
  | {
      phase: 'await_investigation' | 'await_investigation_overdue' | 'await_callback';
      timeoutSeconds: number;
    }
  | { phase: 'await_callback_overdue' | 'done' }
  | { phase: 'send_alert'; alert: PendingAlert & { type: ComplaintMiss } };

/** The statuses in which a complaint's wait for `milestone` still waits. */
export const complaintWaitingStatuses = (milestone: ComplaintMilestone): ComplaintStatus[] =>
  COMPLAINT_STATUSES.filter((s) => !complaintReached(s, milestone));

const unsentAlert = (c: Complaint) => Object.values(c.alerts).find((a) => a && !a.sent);

/** Whether the workflow still has a step for the complaint: open, or closed with an alert to send. */
export const complaintHasNextStep = (c: Complaint) => unsentAlert(c) !== undefined || c.status !== 'closed';

/** What the workflow does next for this complaint. Pure, so a resumed execution picks up where it stands. */
export function nextComplaintPhase(c: Complaint, now: Date): ComplaintPhase {
  const unsent = unsentAlert(c);
  if (unsent) return { phase: 'send_alert', alert: unsent as PendingAlert & { type: ComplaintMiss } };
  if (c.status === 'closed') return { phase: 'done' };
  if (c.status === 'received' && c.sla.investigationMet === null) {
    // The business calendar may put the investigation after the callback deadline (received on
    // a Friday evening: due Monday night, the callback Monday at the hour it came): the wait
    // ends at whichever open deadline comes first, so each miss is alerted when it happens.
    const open = [c.sla.investigationDueAt, ...(c.sla.callbackMet === null ? [c.sla.callbackDueAt] : [])];
    return {
      phase: 'await_investigation',
      timeoutSeconds: secondsUntil(Math.min(...open.map((d) => Date.parse(d))), now),
    };
  }
  if (c.sla.callbackMet === false) return { phase: 'await_callback_overdue' };
  const untilCallback = secondsUntil(Date.parse(c.sla.callbackDueAt), now);
  if (c.status === 'investigated') return { phase: 'await_callback', timeoutSeconds: untilCallback };
  return { phase: 'await_investigation_overdue', timeoutSeconds: untilCallback };
}

/** The complaint machine's input at "Go to the next step" (the jobs' Step, keyed by complaintId). */
export interface ComplaintStep {
  complaintId: string;
  phase: ComplaintPhase['phase'];
  timeoutSeconds: number | null;
  /** As the jobs' Step.alert: `property` (the unit's) lets a property's staff subscribe to its own. */
  alert: {
    id: string;
    type: ComplaintMiss;
    severity: Severity;
    property: string;
    subject: string;
    message: string;
  } | null;
  afterAlert: ComplaintStep | null;
}

export function complaintStepFor(c: Complaint, now: Date, opts: RenderOptions): ComplaintStep {
  const next = nextComplaintPhase(c, now);
  const base = { complaintId: c.complaintId, phase: next.phase };
  if (next.phase !== 'send_alert')
    return {
      ...base,
      timeoutSeconds: 'timeoutSeconds' in next ? next.timeoutSeconds : null,
      alert: null,
      afterAlert: null,
    };
  const { type } = next.alert;
  const sent: Complaint = { ...c, alerts: { ...c.alerts, [type]: { ...next.alert, sent: true } } };
  return {
    ...base,
    timeoutSeconds: null,
    alert: {
      id: alertId(c.complaintId, type),
      type,
      severity: ALERT_SEVERITY[type],
      property: propertyOf(c.unitId),
      ...complaintAlertText(c, next.alert, opts),
    },
    afterAlert: complaintStepFor(sent, now, opts),
  };
}
