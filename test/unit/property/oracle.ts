import type { AlertType, Job } from '../../../functions/domain/types';
import {
  type Action,
  BEFORE_ARRIVAL,
  CONTRACT_MOVES,
  MANAGER_CANCELLABLE,
  REMINDER_LEAD_MS,
  RESIDENT_CANCELLABLE,
} from './model';

// What the contract says a command does to a job: accepted, or refused with which status.

export type Verdict = 'accept' | 403 | 404 | 409;

export function verdict(job: Job, action: Action): Verdict | null {
  switch (action.kind) {
    case 'webhook': {
      const { event } = action;
      if (event.type !== 'job.accepted' && job.technician && job.technician.id !== event.technicianId)
        return 403;
      return CONTRACT_MOVES[event.type].from.includes(job.status) ? 'accept' : 409;
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
      if (caller.role === 'resident') return caller.sub === job.residentId ? 403 : 404;
      return job.status === 'signed' ? 'accept' : 409;
    }
    default:
      return null;
  }
}

/** What a timer firing at `now` must record (contract S3/S15), or null when nothing new is due. */
export function dueAlert(job: Job, now: Date): AlertType | null {
  const t = now.getTime();
  if (
    BEFORE_ARRIVAL.includes(job.status) &&
    job.sla.arrivalMet === null &&
    t >= Date.parse(job.sla.arrivalDueAt)
  )
    return 'sla.arrival_missed';
  if (job.status !== 'signed' || job.sla.callbackMet !== null || !job.sla.callbackDueAt) return null;
  const due = Date.parse(job.sla.callbackDueAt);
  if (t >= due) return 'sla.callback_missed';
  if (t >= due - REMINDER_LEAD_MS && !job.alerts['callback.reminder']) return 'callback.reminder';
  return null;
}
