import { randomUUID } from 'node:crypto';
import { assertCanRead, assertCanReadComplaint, assertInScope, authorize, listingScope } from './access';
import { bodyHash, decideAndCommit, replayOf } from './commits';
import { complaintStepFor, complaintWaitingStatuses } from './complaint-workflow';
import {
  type ComplaintDecision,
  investigate,
  onComplaintTimer,
  receiveComplaint,
  recordComplaintCallback,
} from './complaints';
import { NotFoundError, ValidationError } from './errors';
import { linkedTo } from './links';
import type { Ports, Write } from './ports';
import { ReceiptExistsError } from './ports';
import { policyOfUnit } from './property-cases';
import type {
  ComplaintCallbackRequest,
  ComplaintListQuery,
  ComplaintRequest,
  InvestigationRequest,
} from './schemas';
import { type Caller, type Complaint, type ComplaintMilestone, type Milestone, propertyOf } from './types';
import { type ComplaintView, toComplaintHistoryView, toComplaintView } from './views';

// The complaint use cases (S16, S17): received from a resident, an agent on the phone, or a
// bad job callback (use-cases.ts); investigated the same business day; called back within 3 days.

const complaintWrite = (decision: ComplaintDecision, expectedVersion: number | null): Write => ({
  kind: 'complaint',
  decision,
  expectedVersion,
});

/**
 * Files a complaint and answers its view. About a job, the job gains the link in the same commit
 * (conditional on its version). The execution starts from the commit's outbox (outbox.ts); a
 * replay with the same Idempotency-Key answers the first view.
 */
export async function fileComplaint(
  p: Ports,
  caller: Caller,
  body: ComplaintRequest,
  clientKey?: string,
): Promise<ComplaintView> {
  authorize(caller, 'complain');
  // About a job, reading the job checks the scope; about a unit only, its property must be in it.
  if (!body.jobId && body.unitId) assertInScope(caller, propertyOf(body.unitId), 'unit');
  const key = clientKey && `${caller.sub}#${clientKey}`;
  const hash = bodyHash(body);
  const earlier = await replayOf<ComplaintView>(p, 'complaint', key, hash);
  if (earlier) return earlier;
  const complaintId = randomUUID();
  let view: ComplaintView | undefined;
  try {
    await decideAndCommit(
      p,
      async () => (body.jobId ? assertCanRead(await p.store.get(body.jobId), caller) : ('no job' as const)),
      'job',
      async (job) => {
        const about = job === 'no job' ? null : job;
        // The schema asks for one of the two; a unitId that is not the job's is refused below.
        const policy = await policyOfUnit(p, about?.unitId ?? (body.unitId as string));
        const now = p.clock.now();
        const d = receiveComplaint(body, caller, complaintId, now, policy, about);
        view = toComplaintView(d.complaint, caller);
        const writes = [complaintWrite(d, null)];
        if (about) {
          const link = linkedTo(about, 'complaints', complaintId, 'job.complaint_opened', caller, now);
          writes.push({ kind: 'job', decision: link, expectedVersion: about.version });
        }
        return writes;
      },
      key ? () => ({ kind: 'complaint', key, bodyHash: hash, result: view }) : undefined,
    );
  } catch (e) {
    if (!(e instanceof ReceiptExistsError)) throw e;
    const first = await replayOf<ComplaintView>(p, 'complaint', key, hash);
    if (!first) throw e;
    return first;
  }
  return view as ComplaintView;
}

export async function getComplaint(p: Ports, caller: Caller, complaintId: string) {
  authorize(caller, 'read');
  return toComplaintView(assertCanReadComplaint(await p.complaints.get(complaintId), caller), caller);
}

export async function complaintHistory(p: Ports, caller: Caller, complaintId: string) {
  authorize(caller, 'read');
  assertCanReadComplaint(await p.complaints.get(complaintId), caller);
  return { items: toComplaintHistoryView(await p.complaints.history(complaintId), caller) };
}

/** A resident's own complaints; staff see all, or with `open=true` the queue, the nearest deadline first. */
export async function listComplaints(p: Ports, caller: Caller, q: ComplaintListQuery) {
  authorize(caller, 'list');
  const residentId = caller.role === 'resident' ? caller.sub : undefined;
  if (q.open && (residentId || q.status))
    throw new ValidationError("open=true is the agents' queue: it takes no status", [
      { path: 'open', message: residentId ? 'staff only' : 'cannot be combined with status' },
    ]);
  const { property, ...filter } = q;
  const page = await p.complaints.list({ ...filter, residentId, properties: listingScope(caller, property) });
  return {
    items: page.items.map((c) => toComplaintView(c, caller)),
    ...(page.nextToken && { nextToken: page.nextToken }),
  };
}

/** One complaint's decision, committed conditionally on the version it was read at. */
async function mutateComplaint(
  p: Ports,
  complaintId: string,
  decide: (c: Complaint) => ComplaintDecision | null,
): Promise<Complaint> {
  const r = await decideAndCommit(
    p,
    () => p.complaints.get(complaintId),
    'complaint',
    (c) => {
      const d = decide(c);
      return d && [complaintWrite(d, c.version)];
    },
  );
  const [w] = r.writes;
  return w?.kind === 'complaint' ? w.decision.complaint : r.current;
}

export async function investigateComplaint(
  p: Ports,
  caller: Caller,
  complaintId: string,
  body: InvestigationRequest,
) {
  authorize(caller, 'handle_complaint');
  const c = await mutateComplaint(p, complaintId, (c) =>
    investigate(assertCanReadComplaint(c, caller), caller, body, p.clock.now()),
  );
  return toComplaintView(c, caller);
}

export async function callBackComplainant(
  p: Ports,
  caller: Caller,
  complaintId: string,
  body: ComplaintCallbackRequest,
) {
  authorize(caller, 'handle_complaint');
  const c = await mutateComplaint(p, complaintId, (c) =>
    recordComplaintCallback(assertCanReadComplaint(c, caller), caller, body, p.clock.now()),
  );
  return toComplaintView(c, caller);
}

// --- called by the complaint state machine (the `complaint` workflow subject) ---

async function loadComplaintStep(p: Ports, complaintId: string) {
  const c = await p.complaints.get(complaintId);
  if (!c) throw new NotFoundError(`No complaint ${complaintId}`);
  return complaintStepFor(c, p.clock.now(), p.settings);
}

async function complaintTimerFired(p: Ports, complaintId: string) {
  const c = await mutateComplaint(p, complaintId, (c) => onComplaintTimer(c, p.clock.now()));
  return complaintStepFor(c, p.clock.now(), p.settings);
}

async function parkComplaintWait(
  p: Ports,
  complaintId: string,
  milestone: ComplaintMilestone,
  token: string,
) {
  const outcome = await p.complaints.park(
    complaintId,
    { token, milestone },
    complaintWaitingStatuses(milestone),
  );
  if (!outcome.parked)
    await p.complaintWorkflow.resume(token, complaintStepFor(outcome.complaint, p.clock.now(), p.settings));
  return { reached: !outcome.parked };
}

export const complaintSubject = {
  load: loadComplaintStep,
  timerFired: complaintTimerFired,
  park: (p: Ports, id: string, milestone: Milestone, token: string) =>
    parkComplaintWait(p, id, milestone as ComplaintMilestone, token),
};
