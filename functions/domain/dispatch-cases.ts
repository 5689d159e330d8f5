import { assertCanRead, authorize } from './access';
import { decideAndCommit, jobWrite } from './commits';
import { assertOfferable, offerJob, poolOf, type RosterRefusal, rosterRefusal } from './dispatch';
import { ConflictError, ForbiddenError } from './errors';
import type { Decision } from './lifecycle';
import type { PropertyPolicy, Technician } from './policy';
import type { Ports } from './ports';
import type { AssignRequest, WebhookEvent } from './schemas';
import { type Caller, type Job, propertyOf } from './types';
import { type JobView, toJobView } from './views';

// Dispatch's use cases and reads: the roster's verdict on a technician (dispatch.ts rosterRefusal,
// fed from the directory and the technician's open jobs), a dispatcher's offer, and whom a job up
// for taking is told of.

/** The roster's verdict on this technician taking this job, reading only what the rules need. */
export async function rosterVerdict(
  p: Ports,
  job: Job,
  technicianId: string,
): Promise<{ refusal: RosterRefusal | null; technician: Technician | null }> {
  const technician = await p.directory.technician(technicianId);
  // An unknown id is judged by whether the property has a roster at all; a known one never is.
  const propertyHasRoster =
    technician !== null || (await p.directory.technicians(propertyOf(job.unitId))).length > 0;
  const facts = { technicianId, technician, propertyHasRoster, openJobs: 0 };
  const first = rosterRefusal(job, facts);
  if (first || !technician) return { refusal: first, technician };
  // Counted last, and only for a technician the other rules let through: one Query.
  const openJobs = await p.store.openJobsOf(technicianId);
  return { refusal: rosterRefusal(job, { ...facts, openJobs }), technician };
}

/** Whom a job up for taking is told of (dispatch.ts poolOf); `except`: who just gave it back. */
export async function poolFor(
  p: Ports,
  job: Job,
  policy: PropertyPolicy,
  except?: string,
): Promise<readonly string[] | undefined> {
  if (policy.dispatch === 'assign') return [];
  return poolOf(job, policy, await p.directory.technicians(propertyOf(job.unitId)), except);
}

/** A booking's decision with the pool its technician notices address. */
export async function withPool(p: Ports, decision: Decision, policy: PropertyPolicy): Promise<Decision> {
  return { ...decision, pool: await poolFor(p, decision.job, policy) };
}

/**
 * Dispatch's part of a technician event the lifecycle accepted: an acceptance must pass the roster
 * rules (403 naming the rule; nothing is written); a job given back in `grab` mode is told to the
 * pool again, the one who gave it back aside.
 */
export async function dispatchEvent(
  p: Ports,
  job: Job,
  event: WebhookEvent,
  policy: PropertyPolicy,
  decision: Decision,
): Promise<Decision> {
  if (event.type === 'job.accepted') {
    const { refusal } = await rosterVerdict(p, job, event.technicianId);
    if (refusal) throw new ForbiddenError(refusal.message);
  }
  if (event.type === 'job.rejected')
    return { ...decision, pool: await poolFor(p, decision.job, policy, event.technicianId) };
  return decision;
}

/**
 * POST /jobs/{jobId}/assign: a dispatcher offers a booked job to one technician, who must pass the
 * roster rules. A refusal is a 409 (the caller may assign; the technician's state does not allow
 * it), naming the rule as the webhook's 403 does.
 */
export async function assign(p: Ports, caller: Caller, jobId: string, body: AssignRequest): Promise<JobView> {
  authorize(caller, 'assign');
  const r = await decideAndCommit(
    p,
    () => p.store.get(jobId),
    'job',
    async (j) => {
      const job = assertCanRead(j, caller);
      assertOfferable(job);
      const { refusal, technician } = await rosterVerdict(p, job, body.technicianId);
      if (refusal) throw new ConflictError(refusal.message);
      const to = { technicianId: body.technicianId, name: technician?.name ?? null };
      const decision = offerJob(job, caller, to, p.clock.now());
      return decision && [jobWrite(decision, job.version)];
    },
  );
  const [first] = r.writes;
  return toJobView(first?.kind === 'job' ? first.decision.job : r.current, caller);
}
