import { ConflictError, ForbiddenError } from './errors';
import { actorOf, entry } from './history';
import type { Decision } from './lifecycle';
import type { PropertyPolicy, Technician } from './policy';
import type { WebhookEvent } from './schemas';
import { type Caller, type Job, propertyOf, type Status } from './types';

// Dispatch, pure: who may take a job (the roster rules), who may accept or give back a booked
// job (its offer, the property's mode), an offer itself, and whom a job up for taking is told of.
// The reads these need (the roster, a technician's open jobs) are dispatch-cases.ts's.

/**
 * The statuses in which a job is held by its technician, from acceptance until the form is signed:
 * completed and cleaned too (they are still on site for the cleanup and the signature). A signed,
 * closed, cancelled, declined or needs_follow_up job is no longer theirs to finish (a follow-up is
 * a new job). These jobs count against the technician's maxOpenJobs.
 */
export const HELD_STATUSES: readonly Status[] = [
  'accepted',
  'en_route',
  'arrived',
  'diagnosed',
  'in_progress',
  'completed',
  'cleaned',
  // Nobody answered on site: the technician keeps the job until the new visit (job.no_access).
  'awaiting_reschedule',
];

/** The technician holding the job now (an open job of theirs), or null. */
export const holderOf = (job: Job): string | null =>
  job.technician && HELD_STATUSES.includes(job.status) ? job.technician.id : null;

/** The roster rules, in the order they are checked; a refusal names the first that fails. */
export const ROSTER_RULES = [
  'not_on_roster',
  'works_elsewhere',
  'off_duty',
  'lacks_skill',
  'max_open_jobs',
] as const;
export type RosterRule = (typeof ROSTER_RULES)[number];

/** What the roster rules read about one technician and one job. */
export interface RosterFacts {
  technicianId: string;
  /** Their roster entry; null for an id the roster does not know. */
  technician: Technician | null;
  /** Whether anyone on the roster works at the job's property (what an unknown id is judged by). */
  propertyHasRoster: boolean;
  /** The jobs they hold now (holderOf). */
  openJobs: number;
}

export interface RosterRefusal {
  rule: RosterRule;
  message: string;
}

/**
 * Whether the roster lets this technician take the job (accept it, or be offered it). A known
 * technician must work at the job's property, be on duty, have its category among their skills and
 * hold fewer than maxOpenJobs open jobs. An id the roster does not know is refused only where the
 * property has a roster: a property nobody rostered takes any id, as before rosters.
 */
export function rosterRefusal(job: Job, facts: RosterFacts): RosterRefusal | null {
  const property = propertyOf(job.unitId);
  const who = `technician ${facts.technicianId}`;
  const refuse = (rule: RosterRule, what: string): RosterRefusal => ({
    rule,
    message: `Roster rule ${rule}: ${who} ${what}`,
  });
  const t = facts.technician;
  if (!t)
    return facts.propertyHasRoster ? refuse('not_on_roster', `is not on the roster of ${property}`) : null;
  if (!t.properties.includes(property)) return refuse('works_elsewhere', `does not work at ${property}`);
  if (!t.onDuty) return refuse('off_duty', 'is off duty');
  if (!t.skills.includes(job.category)) return refuse('lacks_skill', `lacks the ${job.category} skill`);
  if (facts.openJobs >= t.maxOpenJobs)
    return refuse(
      'max_open_jobs',
      `already holds ${facts.openJobs} open jobs (maxOpenJobs ${t.maxOpenJobs})`,
    );
  return null;
}

/**
 * Who may accept or give back a booked job: with an offer standing, only the offered technician;
 * in a property that dispatches by `assign`, nobody before a dispatcher offered it. A job already
 * accepted is its technician's (lifecycle.ts checks that).
 */
export function checkDispatch(job: Job, event: WebhookEvent, policy: PropertyPolicy): void {
  if (job.status !== 'booked') return;
  const offered = job.offer?.technicianId;
  if (event.type === 'job.accepted') {
    if (offered && offered !== event.technicianId)
      throw new ForbiddenError(`Job ${job.jobId} is offered to another technician`);
    if (!offered && policy.dispatch === 'assign')
      throw new ForbiddenError(
        `Job ${job.jobId} waits for dispatch: property ${policy.propertyId} assigns its jobs`,
      );
  }
  if (event.type === 'job.rejected' && offered !== event.technicianId)
    throw new ForbiddenError(`Job ${job.jobId} is not offered to technician ${event.technicianId}`);
}

/** Only a booked job is offered: once accepted it is its technician's (409). */
export function assertOfferable(job: Job): void {
  if (job.status !== 'booked')
    throw new ConflictError(`Job ${job.jobId} is ${job.status}; assign is allowed only when it is booked`);
}

/**
 * A dispatcher offers a booked job to one technician (history `job.assigned`; a new offer while
 * another stands names the `previous` one). The same offer again changes nothing (null). An offer
 * reaches no milestone the workflow waits for, so there is no token to resume.
 */
export function offerJob(
  job: Job,
  caller: Caller,
  to: { technicianId: string; name: string | null },
  now: Date,
): Decision | null {
  assertOfferable(job);
  const previous = job.offer?.technicianId;
  if (previous === to.technicianId) return null;
  const by = actorOf(caller);
  const at = now.toISOString();
  const next: Job = {
    ...job,
    offer: { technicianId: to.technicianId, name: to.name, at, by },
    updatedAt: at,
    version: job.version + 1,
  };
  const data = {
    technicianId: to.technicianId,
    ...(to.name && { technicianName: to.name }),
    ...(previous && { previous }),
  };
  return { job: next, history: [entry('job.assigned', now, by, data)], resume: null };
}

/**
 * Whom a job up for taking is told of (Decision.pool): in `assign` mode nobody (the offer tells the
 * one it names); in `grab` mode the on-duty technicians of the property's roster with the job's
 * category, or the whole technicians topic (undefined) where the property has no roster.
 * Technicians at maxOpenJobs are told too: they may finish a job before they accept.
 */
export function poolOf(
  job: Job,
  policy: PropertyPolicy,
  roster: readonly Technician[],
  except?: string,
): string[] | undefined {
  if (policy.dispatch === 'assign') return [];
  const here = roster.filter((t) => t.properties.includes(propertyOf(job.unitId)));
  if (!here.length) return undefined;
  return here
    .filter((t) => t.onDuty && t.skills.includes(job.category) && t.technicianId !== except)
    .map((t) => t.technicianId);
}
