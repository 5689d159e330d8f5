import { ForbiddenError, NotFoundError, ValidationError } from './errors';
import { type Caller, type Complaint, type Job, propertyOf, ROLES, type Role } from './types';

// Who may do what: the one layer that checks roles. Every use case asks here first; the
// lifecycle below it decides only what a job's state allows.

export const PERMISSIONS = {
  book: ['resident', 'agent'],
  rate: ['resident'],
  /** A photo of the fault (the technician's come through their platform's signed route). */
  add_photo: ['resident'],
  read: ROLES,
  /** The full history with its hash chain (functions/domain/history-chain.ts): every item, staff-only ones too. */
  export_history: ['agent', 'manager'],
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
  /** Outbound webhooks: register, read, rotate, delete, retry. */
  manage_webhooks: ['manager'],
} as const satisfies Record<string, readonly Role[]>;
export type Action = keyof typeof PERMISSIONS;

export function authorize(caller: Caller, action: Action): void {
  const allowed: readonly Role[] = PERMISSIONS[action];
  if (!allowed.includes(caller.role)) throw new ForbiddenError(`This needs the ${allowed.join(' or ')} role`);
}

/**
 * The one rule of staff scope: a caller without a list of properties has company scope; one with
 * a list covers those only. Whatever lies outside is answered as if it did not exist (404), so
 * staff of one property never learn about another's jobs.
 */
export function inScope(caller: Caller, propertyId: string): boolean {
  return !caller.properties || caller.properties.includes(propertyId);
}

/** A property outside the caller's scope does not exist for them. */
export function assertInScope(caller: Caller, propertyId: string, what: string): void {
  if (!inScope(caller, propertyId)) throw new NotFoundError(`No such ${what}`);
}

/**
 * The properties a staff listing covers (undefined: every property): the one the query names,
 * which must be in scope, or else the caller's scope. Residents list their own and name none.
 */
export function listingScope(caller: Caller, property: string | undefined): readonly string[] | undefined {
  if (property === undefined) return caller.role === 'resident' ? undefined : caller.properties;
  if (caller.role === 'resident')
    throw new ValidationError('property filters the staff listings', [
      { path: 'property', message: 'staff only' },
    ]);
  assertInScope(caller, property, 'property');
  return [property];
}

/**
 * Owner residents, and agents and managers whose scope covers the job's property, may see a job;
 * anyone else is told it does not exist. Every action on one job reads it through here.
 */
export function assertCanRead(job: Job | null, caller: Caller): Job {
  if (
    !job ||
    (caller.role === 'resident' && job.residentId !== caller.sub) ||
    !inScope(caller, propertyOf(job.unitId))
  )
    throw new NotFoundError('No such job');
  return job;
}

/** A complaint as a job: its resident, and staff whose scope covers its unit; anyone else is told it does not exist. */
export function assertCanReadComplaint(c: Complaint | null, caller: Caller): Complaint {
  if (
    !c ||
    (caller.role === 'resident' && c.residentId !== caller.sub) ||
    !inScope(caller, propertyOf(c.unitId))
  )
    throw new NotFoundError('No such complaint');
  return c;
}
