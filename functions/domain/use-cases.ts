import { randomUUID } from 'node:crypto';
import { assertCanRead, assertInScope, authorize, listingScope } from './access';
import { afterCommit, bodyHash, commit, decideAndCommit, jobWrite, replayOf } from './commits';
import { complaintSubject } from './complaint-cases';
import type { ComplaintStep } from './complaint-workflow';
import { callbackComplains, complaintOfCallback } from './complaints';
import { poolOf } from './dispatch';
import { dispatchEvent, withPool } from './dispatch-cases';
import { AppError, NotFoundError, RateLimitedError, ValidationError } from './errors';
import { storeSignature } from './forms';
import {
  applyWebhook,
  bookingParty,
  bookJob,
  cancelJob,
  type Decision,
  onTimer,
  rateJob,
  recordCallback,
} from './lifecycle';
import { bookRework, linked, openFollowUp, recallOf } from './links';
import { photoViews } from './photo-cases';
import type { PropertyPolicy } from './policy';
import type { Ports, Quota, Receipt, Write } from './ports';
import { QuotaExceededError, ReceiptExistsError } from './ports';
import { policyOfUnit } from './property-cases';
import {
  type ComplaintChange,
  complaintFacts,
  type JobChange,
  type MonthlyReport,
  type ReportFact,
  reportFacts,
  toMonthlyReport,
} from './reports';
import { rescheduleJob } from './reschedule';
import type {
  BookingRequest,
  CallbackRequest,
  FollowUpRequest,
  ListQuery,
  MonthlyReportQuery,
  RatingRequest,
  RescheduleRequest,
  WebhookEvent,
} from './schemas';
import { type Caller, type Job, type JobMilestone, type Milestone, propertyOf, type Status } from './types';
import { type JobView, toHistoryView, toJobView } from './views';
import { type Step, stepFor, waitingStatuses } from './workflow';

/** The job's decision (the first job write) after a commit, or the job as read when nothing changed. */
const jobAfter = (r: { current: Job; writes: Write[] }): Job => {
  const first = r.writes.find((w) => w.kind === 'job' && w.decision.job.jobId === r.current.jobId);
  return first?.kind === 'job' ? first.decision.job : r.current;
};

/** One job's decision, committed conditionally on the version it was read at. */
async function mutate(
  p: Ports,
  jobId: string,
  decide: (job: Job) => Decision | null | Promise<Decision | null>,
  receipt?: (decision: Decision) => Receipt,
): Promise<Job> {
  const r = await decideAndCommit(
    p,
    () => p.store.get(jobId),
    'job',
    async (job) => {
      const d = await decide(job);
      return d && [jobWrite(d, job.version)];
    },
    receipt && ((writes) => receipt((writes[0] as Write & { kind: 'job' }).decision)),
  );
  return jobAfter(r);
}

/** Books the repair and answers its Job view; a replay (same Idempotency-Key and body) answers the first view again. */
export async function book(
  p: Ports,
  caller: Caller,
  body: BookingRequest,
  clientKey?: string,
): Promise<JobView> {
  authorize(caller, 'book');
  // An agent limited to some properties books for their units only.
  assertInScope(caller, propertyOf(body.unitId), 'unit');
  const key = clientKey && `${caller.sub}#${clientKey}`;
  const hash = bodyHash(body);
  // The reads a booking needs do not depend on each other: one round trip's wait, not four (the
  // roster is read even where the property assigns, to not wait for its policy first).
  const [earlier, lastSigned, policy, roster] = await Promise.all([
    replayOf<JobView>(p, 'idempotency', key, hash),
    p.store.lastSigned(body.unitId, body.category),
    policyOfUnit(p, body.unitId),
    p.directory.technicians(propertyOf(body.unitId)),
  ]);
  if (earlier) return earlier;

  const now = p.clock.now();
  // A booking of the unit and fault a technician signed off within 30 days is its recall.
  const booked = bookJob(body, caller, randomUUID(), now, { recall: recallOf(lastSigned, now) }, policy);
  const decision = { ...booked, pool: poolOf(booked.job, policy, roster) };
  const view = toJobView(decision.job, caller);
  // The resident's quota, whoever books: an agent's phone bookings count against it too.
  const quota = bookingQuota(
    bookingParty(body, caller).residentId,
    now,
    p.settings.bookingsPerHour ?? DEFAULT_BOOKINGS_PER_HOUR,
  );
  try {
    // The booking's one transaction: the job, its history, its notices and the start of its
    // execution (outbox messages, delivered from the stream), the receipt and the quota count.
    await commit(
      p,
      [jobWrite(decision, null)],
      key ? { kind: 'idempotency', key, bodyHash: hash, result: view } : undefined,
      quota,
    );
  } catch (e) {
    // Another request with the same key won the race: answer as it did.
    if (e instanceof ReceiptExistsError)
      return (await replayOf<JobView>(p, 'idempotency', key, hash)) ?? view;
    if (e instanceof QuotaExceededError)
      throw new RateLimitedError(
        `At most ${quota.limit} bookings per hour; try again later`,
        (quota.windowEndsAt.getTime() - now.getTime()) / 1000,
      );
    throw e;
  }
  await afterCommit(p, [jobWrite(decision, null)]);
  return view;
}

const DEFAULT_BOOKINGS_PER_HOUR = 10;
const HOUR_MS = 3600_000;

/** A resident's bookings are counted per clock hour, so one account cannot flood the technicians. */
function bookingQuota(residentId: string, now: Date, limit: number): Quota {
  const start = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS;
  return {
    key: `${residentId}#${new Date(start).toISOString()}`,
    limit,
    windowEndsAt: new Date(start + HOUR_MS),
  };
}

/** What a technician event did: recorded now, or a redelivery of one recorded before (nothing changed). */
export interface EventOutcome {
  redelivery: boolean;
  job: { jobId: string; status: Status };
}

export async function technicianEvent(
  p: Ports,
  webhookId: string,
  event: WebhookEvent,
): Promise<EventOutcome> {
  const again = async () => {
    const first = await p.store.receipt('webhook', webhookId);
    return first && { redelivery: true, job: first.result as EventOutcome['job'] };
  };
  const seen = await again();
  if (seen) return seen;
  const receipt = (d: Decision): Receipt => ({
    kind: 'webhook',
    key: webhookId,
    bodyHash: bodyHash(event),
    result: { jobId: d.job.jobId, status: d.job.status },
  });
  try {
    const job = await mutate(
      p,
      event.jobId,
      async (j) => {
        const policy = await policyOfUnit(p, j.unitId);
        const d = await dispatchEvent(p, j, event, policy, applyWebhook(j, event, p.clock.now(), policy));
        if (event.type === 'job.form_signed') await storeSignature(p, d, event.data.signature);
        return d;
      },
      receipt,
    );
    return { redelivery: false, job: { jobId: job.jobId, status: job.status } };
  } catch (e) {
    // The same delivery may have committed while this one was deciding: then this one's
    // refusal (a 409 for the status it already moved) is really a redelivery.
    const first = e instanceof ReceiptExistsError || e instanceof AppError ? await again() : null;
    if (!first) throw e;
    return first;
  }
}

/** One job as its reader may see it, with the photos they may see (photo-cases.ts). */
export async function getJob(p: Ports, caller: Caller, jobId: string) {
  authorize(caller, 'read');
  const job = assertCanRead(await p.store.get(jobId), caller);
  return { ...toJobView(job, caller), photos: await photoViews(p, job, caller) };
}

export async function jobHistory(p: Ports, caller: Caller, jobId: string) {
  authorize(caller, 'read');
  assertCanRead(await p.store.get(jobId), caller);
  return { items: toHistoryView(await p.store.history(jobId), caller) };
}

export async function listJobs(p: Ports, caller: Caller, q: ListQuery) {
  authorize(caller, 'list');
  const residentId = caller.role === 'resident' ? caller.sub : undefined;
  if (q.open && (residentId || q.status))
    throw new ValidationError('open=true is the staff board: it takes no status', [
      { path: 'open', message: residentId ? 'staff only' : 'cannot be combined with status' },
    ]);
  const page = await p.store.list({
    residentId,
    properties: listingScope(caller, q.property),
    status: q.status,
    open: q.open,
    limit: q.limit,
    nextToken: q.nextToken,
  });
  return {
    items: page.items.map((j) => toJobView(j, caller)),
    ...(page.nextToken && { nextToken: page.nextToken }),
  };
}

export async function cancel(p: Ports, caller: Caller, jobId: string, reason?: string) {
  authorize(caller, 'cancel');
  const job = await mutate(p, jobId, (j) =>
    cancelJob(assertCanRead(j, caller), caller, reason, p.clock.now()),
  );
  return toJobView(job, caller);
}

/** A new time agreed with the resident: the arrival deadline moves with it (reschedule.ts). */
export async function reschedule(p: Ports, caller: Caller, jobId: string, body: RescheduleRequest) {
  authorize(caller, 'reschedule');
  const job = await mutate(p, jobId, async (j) =>
    rescheduleJob(assertCanRead(j, caller), caller, body, p.clock.now(), await policyOfUnit(p, j.unitId)),
  );
  return toJobView(job, caller);
}

/**
 * S15's callback. A resident who scores the visit 2 or less opens a complaint (source
 * `callback`); an issue not resolved books the rework at the time agreed on the call. The job,
 * the complaint and the rework are one commit conditional on the job's version, so a retried or
 * concurrent callback opens exactly one of each (the second finds the job closed: 409, or with
 * the same Idempotency-Key, the first answer again).
 */
export async function callback(
  p: Ports,
  caller: Caller,
  jobId: string,
  body: CallbackRequest,
  clientKey?: string,
): Promise<JobView> {
  authorize(caller, 'record_callback');
  const key = clientKey && `${caller.sub}#${jobId}#${clientKey}`;
  const hash = bodyHash(body);
  const earlier = await replayOf<JobView>(p, 'callback', key, hash);
  if (earlier) return earlier;
  try {
    const r = await decideAndCommit(
      p,
      () => p.store.get(jobId),
      'job',
      async (j) => callbackWrites(p, assertCanRead(j, caller), caller, body, await policyOfUnit(p, j.unitId)),
      key
        ? (writes) => ({ kind: 'callback', key, bodyHash: hash, result: viewOf(writes, caller) })
        : undefined,
    );
    return toJobView(jobAfter(r), caller);
  } catch (e) {
    // The same request committed meanwhile: its receipt is taken, or this one read the job it
    // had closed (a 409). Either way it is a replay: answer as the first did.
    const raced = e instanceof ReceiptExistsError || e instanceof AppError;
    const first = raced && (await replayOf<JobView>(p, 'callback', key, hash));
    if (!first) throw e;
    return first;
  }
}

const viewOf = (writes: readonly Write[], caller: Caller) =>
  toJobView((writes[0] as Write & { kind: 'job' }).decision.job, caller);

async function callbackWrites(
  p: Ports,
  job: Job,
  caller: Caller,
  body: CallbackRequest,
  policy: PropertyPolicy,
): Promise<Write[]> {
  const now = p.clock.now();
  let decision = recordCallback(job, caller, body, now);
  const created: Write[] = [];
  if (callbackComplains(body)) {
    const complaint = complaintOfCallback(job, caller, body, randomUUID(), now, policy);
    created.push({ kind: 'complaint', decision: complaint, expectedVersion: null });
    decision = linked(
      decision,
      'complaints',
      complaint.complaint.complaintId,
      'job.complaint_opened',
      caller,
      now,
    );
  }
  const agreed = body.reached && body.issueResolved === false ? body.rework : undefined;
  if (agreed) {
    const rework = underRework(() => bookRework(job, agreed.appointment, caller, randomUUID(), now, policy));
    created.push(jobWrite(await withPool(p, rework, policy), null));
    decision = linked(decision, 'reworkJobs', rework.job.jobId, 'job.rework_booked', caller, now);
  }
  return [jobWrite(decision, job.version), ...created];
}

/** The rework's appointment is the body's `rework.appointment`: its errors name that path. */
function underRework<T>(decide: () => T): T {
  try {
    return decide();
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    throw new ValidationError(
      e.message,
      e.errors.map((x) => ({ ...x, path: `rework.${x.path}` })),
    );
  }
}

/** A manager opens the follow-up visit of a needs_follow_up job; a second is a 409. */
export async function followUp(
  p: Ports,
  caller: Caller,
  jobId: string,
  body: FollowUpRequest,
): Promise<JobView> {
  authorize(caller, 'open_follow_up');
  const r = await decideAndCommit(
    p,
    () => p.store.get(jobId),
    'job',
    async (j) => {
      const original = assertCanRead(j, caller);
      const policy = await policyOfUnit(p, original.unitId);
      const d = openFollowUp(original, body.appointment, caller, randomUUID(), p.clock.now(), policy);
      return [jobWrite(d.original, original.version), jobWrite(await withPool(p, d.followUp, policy), null)];
    },
  );
  return toJobView((r.writes[1] as Write & { kind: 'job' }).decision.job, caller);
}

export async function rate(p: Ports, caller: Caller, jobId: string, body: RatingRequest) {
  authorize(caller, 'rate');
  const job = await mutate(p, jobId, (j) => rateJob(assertCanRead(j, caller), caller, body, p.clock.now()));
  return toJobView(job, caller);
}

/** A month's figures for managers: read from the aggregate items the report stream keeps, never from the jobs. */
export async function monthlyReport(p: Ports, caller: Caller, q: MonthlyReportQuery): Promise<MonthlyReport> {
  authorize(caller, 'read_reports');
  const property = reportScope(caller, q.property);
  return toMonthlyReport(q.month, property, p.settings.timeZone, await p.reports.read(q.month, property));
}

/**
 * Whose figures a report is: the property asked for (in scope, or it does not exist for the
 * caller), else the whole company, or for a manager limited to one property that property. One
 * limited to several names the one they want: the company's figures are not theirs to see, and a
 * sum of their properties would be a report of a scope that has no figures of its own.
 */
function reportScope(caller: Caller, property: string | undefined): string | null {
  if (property !== undefined) {
    assertInScope(caller, property, 'property');
    return property;
  }
  if (!caller.properties) return null;
  const [only, ...more] = caller.properties;
  if (only !== undefined && !more.length) return only;
  throw new ValidationError('Your account covers several properties: name the one to report on', [
    { path: 'property', message: `required: one of ${caller.properties.join(', ')}` },
  ]);
}

// --- called by the table's stream ---

/**
 * A job item changed: add what the change settled to the monthly figures, once per change. A
 * removed item adds nothing (jobs are never deleted; S23 keeps them).
 */
export async function countJobChange(p: Ports, change: JobChange) {
  return count(
    p,
    change.id,
    change.after ? reportFacts(change.before, change.after, p.settings.timeZone) : [],
  );
}

/** A complaint item changed: as countJobChange (complaints are never deleted either). */
export async function countComplaintChange(p: Ports, change: ComplaintChange) {
  return count(
    p,
    change.id,
    change.after ? complaintFacts(change.before, change.after, p.settings.timeZone) : [],
  );
}

/** One change's facts applied under its id, all or none, at most once; nothing written for none. */
async function count(p: Ports, changeId: string, facts: ReportFact[]) {
  if (!facts.length) return { facts: 0, applied: false };
  return { facts: facts.length, applied: await p.reports.apply(changeId, facts) };
}

// --- called by the state machine ---
// The task functions serve any state machine on the workflow protocol: each names its subject
// (the aggregate it times) in the payload, and finds here how to load, time and park it.
// Jobs, and complaints (complaint-cases.ts): each adds its entry instead of copying the functions.

export async function loadPhase(p: Ports, jobId: string): Promise<Step> {
  const job = await p.store.get(jobId);
  if (!job) throw new NotFoundError(`No job ${jobId}`);
  return stepFor(job, p.clock.now(), p.settings);
}

export async function timerFired(p: Ports, jobId: string): Promise<Step> {
  const job = await mutate(p, jobId, (j) => onTimer(j, p.clock.now()));
  return stepFor(job, p.clock.now(), p.settings);
}

export async function awaitMilestone(p: Ports, jobId: string, milestone: JobMilestone, token: string) {
  const outcome = await p.store.park(jobId, { token, milestone }, waitingStatuses(milestone));
  // The event the machine waits for came first (the early-event race): resume at once.
  if (!outcome.parked) await p.workflow.resume(token, stepFor(outcome.job, p.clock.now(), p.settings));
  return { jobId, milestone, reached: !outcome.parked };
}

/** What the workflow's task functions ask of the aggregate a state machine times. */
export interface WorkflowSubject {
  /** Its next step, read from the store (an execution started without one). */
  load(p: Ports, id: string): Promise<Step | ComplaintStep>;
  /** A wait timed out: record what was due and answer the next step. */
  timerFired(p: Ports, id: string): Promise<Step | ComplaintStep>;
  /** Park the task token while `milestone` is still to come; resume at once otherwise. */
  park(p: Ports, id: string, milestone: Milestone, token: string): Promise<{ reached: boolean }>;
}

export const WORKFLOW_SUBJECTS = {
  job: { load: loadPhase, timerFired, park: awaitMilestone },
  complaint: complaintSubject,
} as const satisfies Record<string, WorkflowSubject>;
export type WorkflowSubjectName = keyof typeof WORKFLOW_SUBJECTS;

export function workflowSubject(name: string): WorkflowSubject {
  const subject = (WORKFLOW_SUBJECTS as Record<string, WorkflowSubject>)[name];
  if (!subject) throw new NotFoundError(`No workflow subject ${name}`);
  return subject;
}
