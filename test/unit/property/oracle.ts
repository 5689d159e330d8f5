import type { AlertType, Job } from '../../../functions/domain/types';
import { CONTRACT_MOVES } from '../support/contract';
import {
  ACCEPT_WARN_MS,
  type Action,
  ARRIVAL_RISK_PERCENT,
  BEFORE_ARRIVAL,
  bookedAt,
  bookingRequest,
  CALLBACK_WINDOW_MS,
  MANAGER_CANCELLABLE,
  REMINDER_LEAD_MS,
  RESIDENT_CANCELLABLE,
  scenarioPolicy,
  type Trace,
  URGENT_ARRIVAL_MS,
} from './model';

// What the contract says a command does to a job: accepted, or refused with which status.

export type Verdict = 'accept' | 403 | 404 | 409;

export function verdict(job: Job, action: Action): Verdict | null {
  switch (action.kind) {
    case 'webhook': {
      const { event } = action;
      if (event.type !== 'job.accepted' && job.technician && job.technician.id !== event.technicianId)
        return 403;
      if (!CONTRACT_MOVES[event.type].from.includes(job.status)) return 409;
      // Only the technician a booked job is offered to may give it back (the model never offers).
      if (
        event.type === 'job.rejected' &&
        job.status === 'booked' &&
        job.offer?.technicianId !== event.technicianId
      )
        return 403;
      return 'accept';
    }
    case 'cancel': {
      const { caller } = action;
      if (caller.role === 'resident' && caller.sub !== job.residentId) return 404;
      if (caller.role === 'agent') return 403;
      const allowed = caller.role === 'manager' ? MANAGER_CANCELLABLE : RESIDENT_CANCELLABLE;
      return allowed.includes(job.status) ? 'accept' : 409;
    }
    case 'callback': {
      const { caller } = action;
      // The role comes first, before the job is read: any resident is refused alike.
      if (caller.role === 'resident') return 403;
      return job.status === 'signed' ? 'accept' : 409;
    }
    default:
      return null;
  }
}

/**
 * The escalation ladder's instants, from the booking (the model never reschedules): an urgent
 * job's acceptance warning acceptWarnMinutes on; at-risk at arrivalRiskPercent of the arrival
 * window, booking → deadline for an urgent job, the last urgentArrivalMinutes (not before the
 * booking) up to the appointment for a regular one.
 */
export function ladderOf(job: Job): { acceptWarnAt: number | null; arrivalRiskAt: number } {
  const booked = Date.parse(job.createdAt);
  const due = Date.parse(job.sla.arrivalDueAt);
  const opens = job.priority === 'urgent' ? booked : Math.max(booked, due - URGENT_ARRIVAL_MS);
  return {
    acceptWarnAt: job.priority === 'urgent' ? booked + ACCEPT_WARN_MS : null,
    arrivalRiskAt: opens + Math.round(((due - opens) * ARRIVAL_RISK_PERCENT) / 100),
  };
}

/** What a timer firing at `now` must record (contract S3/S15, the ladder), or null when nothing new is due. */
export function dueAlert(job: Job, now: Date): AlertType | null {
  const t = now.getTime();
  if (BEFORE_ARRIVAL.includes(job.status) && job.sla.arrivalMet === null) {
    if (t >= Date.parse(job.sla.arrivalDueAt)) return 'sla.arrival_missed';
    // The latest warning passed is the one due: an earlier one it overtook is never sent late.
    const { acceptWarnAt, arrivalRiskAt } = ladderOf(job);
    if (t >= arrivalRiskAt) return job.alerts['sla.arrival_at_risk'] ? null : 'sla.arrival_at_risk';
    const unaccepted = job.status === 'booked' && acceptWarnAt !== null;
    if (unaccepted && t >= acceptWarnAt)
      return job.alerts['sla.acceptance_warning'] ? null : 'sla.acceptance_warning';
    return null;
  }
  if (job.status !== 'signed' || job.sla.callbackMet !== null || !job.sla.callbackDueAt) return null;
  const due = Date.parse(job.sla.callbackDueAt);
  if (t >= due) return 'sla.callback_missed';
  if (t >= due - REMINDER_LEAD_MS && !job.alerts['callback.reminder']) return 'callback.reminder';
  return null;
}

/** How an SLA stands: settled met or missed, or not settled yet. */
export type SlaVerdict = 'met' | 'missed' | null;
export interface SlaStanding {
  arrival: SlaVerdict;
  callback: SlaVerdict;
}

/**
 * The SLA rule of issue #5, from the contract (S3, S15): a deadline is missed when its milestone
 * has not happened by then, and the miss is settled by whichever comes first — the workflow's
 * timer firing at or after the deadline, or the late milestone itself (an arrival, a reached
 * callback, or a cancellation with nobody on site yet). At the same instant an event that comes
 * first is on time. Returns the standing after the booking and after each step of the trace.
 */
export function slaStandings(trace: Trace): SlaStanding[] {
  const booked = bookedAt(trace.scenario);
  const request = bookingRequest(trace.scenario.booking, booked, scenarioPolicy(trace.scenario));
  const arrivalDue = request.appointment
    ? Date.parse(request.appointment.start)
    : booked.getTime() + URGENT_ARRIVAL_MS;
  let callbackDue: number | null = null;
  let standing: SlaStanding = { arrival: null, callback: null };
  const out = [standing];
  for (const step of trace.steps) {
    standing = { ...standing };
    const t = step.now.getTime();
    const { action, before } = step;
    const beforeArrival = BEFORE_ARRIVAL.includes(before.status);
    const accepted = verdict(before, action) === 'accept';
    if (action.kind === 'timer') {
      if (beforeArrival && standing.arrival === null && t >= arrivalDue) standing.arrival = 'missed';
      if (
        before.status === 'signed' &&
        standing.callback === null &&
        callbackDue !== null &&
        t >= callbackDue
      )
        standing.callback = 'missed';
    } else if (action.kind === 'webhook' && accepted) {
      // No access settles the arrival as an arrival does: the technician came.
      const came = action.event.type === 'job.arrived' || action.event.type === 'job.no_access';
      if (came && standing.arrival === null) standing.arrival = t <= arrivalDue ? 'met' : 'missed';
      if (action.event.type === 'job.form_signed') callbackDue = t + CALLBACK_WINDOW_MS;
    } else if (action.kind === 'cancel' && accepted) {
      if (beforeArrival && standing.arrival === null && t > arrivalDue) standing.arrival = 'missed';
    } else if (action.kind === 'callback' && accepted && action.body.reached && standing.callback === null) {
      standing.callback = callbackDue !== null && t <= callbackDue ? 'met' : 'missed';
    }
    out.push(standing);
  }
  return out;
}
