import { ConflictError } from './errors';
import { actorOf, entry } from './history';
import { bookJob, type Decision } from './lifecycle';
import type { PropertyPolicy } from './policy';
import type { BookingRequest } from './schemas';
import type { Caller, Job, Links, Recall } from './types';

// How jobs are tied to each other: a rework booked at a callback that found the issue not
// resolved, a manager's follow-up of a job that needs one, and a recall — a booking of the
// same unit and category within 30 days of a signed job. Rework and follow-ups are never
// counted again as recalls.

export const RECALL_WINDOW_MS = 30 * 24 * 60 * 60 * 1000;

/** The last signed job of a unit and category, as the store finds it for a new booking. */
export interface SignedJob {
  jobId: string;
  technician: Job['technician'];
  signedAt: string;
}

/** The recall a booking at `now` is, if the unit's last signed job of that category is at most 30 days old. */
export function recallOf(last: SignedJob | null, now: Date): Recall | null {
  if (!last) return null;
  const age = now.getTime() - Date.parse(last.signedAt);
  if (age < 0 || age > RECALL_WINDOW_MS) return null;
  return { jobId: last.jobId, technician: last.technician, signedAt: last.signedAt };
}

/** The booking a rework or follow-up makes: regular, at the agreed time, for the same unit, fault and resident. */
function revisit(original: Job, appointment: { start: string; end: string }): BookingRequest {
  return {
    unitId: original.unitId,
    category: original.category,
    description: original.description,
    priority: 'regular',
    contactPhone: original.contactPhone,
    locale: original.locale,
    appointment,
    residentId: original.residentId,
    channel: 'phone',
  };
}

/**
 * Adds links to the original's decision (its version is bumped once, by that decision), with
 * a history item naming what was linked.
 */
export function linked(
  d: Decision,
  key: 'reworkJobs' | 'followUps' | 'complaints',
  id: string,
  type: string,
  caller: Caller,
  now: Date,
): Decision {
  const links: Links = { ...d.job.links, [key]: [...d.job.links[key], id] };
  const field = { reworkJobs: 'reworkJobId', followUps: 'followUpJobId', complaints: 'complaintId' }[key];
  return {
    ...d,
    job: { ...d.job, links },
    history: [...d.history, entry(type, now, actorOf(caller), { [field]: id })],
  };
}

/**
 * The original job gaining a link on its own (a follow-up opened, a complaint filed about it):
 * its version bumped once, updated now, with the history item naming what was linked.
 */
export function linkedTo(
  original: Job,
  key: 'followUps' | 'complaints',
  id: string,
  type: string,
  caller: Caller,
  now: Date,
): Decision {
  const bumped: Decision = {
    job: { ...original, updatedAt: now.toISOString(), version: original.version + 1 },
    history: [],
    resume: null,
  };
  return linked(bumped, key, id, type, caller, now);
}

/** The rework job a callback books when the issue was not resolved (issue #11): reworkOf the original. */
export function bookRework(
  original: Job,
  appointment: { start: string; end: string },
  caller: Caller,
  reworkId: string,
  now: Date,
  policy: PropertyPolicy,
): Decision {
  return bookJob(revisit(original, appointment), caller, reworkId, now, { reworkOf: original.jobId }, policy);
}

/**
 * A manager opens the follow-up visit of a job left needs_follow_up: one per job (a second is a
 * conflict, so a retried request never books two). Answers both decisions: the new job and
 * the original with its link.
 */
export function openFollowUp(
  original: Job,
  appointment: { start: string; end: string },
  caller: Caller,
  followUpId: string,
  now: Date,
  policy: PropertyPolicy,
): { followUp: Decision; original: Decision } {
  if (original.status !== 'needs_follow_up')
    throw new ConflictError(
      `Job ${original.jobId} is ${original.status}; a follow-up is opened only when it is needs_follow_up`,
    );
  const earlier = original.links.followUps[0];
  if (earlier) throw new ConflictError(`Job ${original.jobId} already has its follow-up ${earlier}`);
  const followUp = bookJob(
    revisit(original, appointment),
    caller,
    followUpId,
    now,
    { followUpOf: original.jobId },
    policy,
  );
  return {
    followUp,
    original: linkedTo(original, 'followUps', followUpId, 'job.follow_up_opened', caller, now),
  };
}
