import { ForbiddenError, NotFoundError } from './errors';
import { type Caller, type Complaint, type Job, ROLES, type Role } from './types';

// Who may do what: the one layer that checks roles. Every use case asks here first; the
// lifecycle below it decides only what a job's state allows.

export const PERMISSIONS = {
  book: ['resident', 'agent'],
  rate: ['resident'],
  read: ROLES,
  list: ROLES,
  cancel: ['resident', 'manager'],
  /** A new time agreed with the resident (the owner themselves, or staff on their word). */
  reschedule: ROLES,
  record_callback: ['agent', 'manager'],
  open_follow_up: ['manager'],
  /** Dispatch: offer a booked job to one technician. */
  assign: ['agent', 'manager'],
  complain: ROLES,
  handle_complaint: ['agent', 'manager'],
  read_reports: ['manager'],
  /** Properties' settings and the roster. */
  configure: ['manager'],
} as const satisfies Record<string, readonly Role[]>;
export type Action = keyof typeof PERMISSIONS;

export function authorize(caller: Caller, action: Action): void {
  const allowed: readonly Role[] = PERMISSIONS[action];
  if (!allowed.includes(caller.role)) throw new ForbiddenError(`This needs the ${allowed.join(' or ')} role`);
}

/** Owner residents, agents and managers may see a job; anyone else is told it does not exist. */
export function assertCanRead(job: Job | null, caller: Caller): Job {
  if (!job || (caller.role === 'resident' && job.residentId !== caller.sub))
    throw new NotFoundError('No such job');
  return job;
}

/** A complaint as a job: its resident, agents and managers; anyone else is told it does not exist. */
export function assertCanReadComplaint(c: Complaint | null, caller: Caller): Complaint {
  if (!c || (caller.role === 'resident' && c.residentId !== caller.sub))
    throw new NotFoundError('No such complaint');
  return c;
}
