import { createHash, randomUUID } from 'node:crypto';
import { assertCanRead, authorize } from './access';
import {
  AppError,
  IdempotencyMismatchError,
  NotFoundError,
  RateLimitedError,
  StaleWriteError,
  UnavailableError,
  ValidationError,
} from './errors';
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
import { metricsFor } from './metrics';
import { noticesFor } from './notifications';
import type { Ports, Quota, Receipt } from './ports';
import { QuotaExceededError, ReceiptExistsError } from './ports';
import { type JobChange, type MonthlyReport, reportFacts, toMonthlyReport } from './reports';
import type {
  BookingRequest,
  CallbackRequest,
  ListQuery,
  MonthlyReportQuery,
  RatingRequest,
  WebhookEvent,
} from './schemas';
import type { Caller, Job, JobMilestone, Milestone, Status } from './types';
import { type JobView, toHistoryView, toJobView } from './views';
import { type Step, stepFor, waitingStatuses } from './workflow';

const MAX_WRITE_ATTEMPTS = 5;

export const bodyHash = (body: unknown) =>
  createHash('sha256').update(JSON.stringify(body)).digest('base64url');

/** Effects after a committed write: they never undo it, so a failure is logged, not thrown. */
async function afterCommit(p: Ports, decision: Decision): Promise<void> {
  const jobId = decision.job.jobId;
  for (const point of metricsFor(decision)) p.metrics.record(point);
  const results = await Promise.allSettled([
    ...noticesFor(decision, p.settings).map((n) => p.notifier.publish(jobId, n)),
    decision.resume
      ? p.workflow.resume(decision.resume, stepFor(decision.job, p.clock.now(), p.settings))
      : Promise.resolve(),
  ]);
  for (const r of results)
    if (r.status === 'rejected')
      // The name only: an SDK's message can carry hosts, ARNs or request data.
      p.logger.error('post-commit effect failed', { jobId, errorName: (r.reason as Error)?.name ?? 'Error' });
}

/** Read, decide, write conditionally; on a concurrent write, read again and decide again. */
async function mutate(
  p: Ports,
  jobId: string,
  decide: (job: Job) => Decision | null,
  receipt?: (decision: Decision) => Receipt,
): Promise<Job> {
  for (let attempt = 1; ; attempt++) {
    const job = await p.store.get(jobId);
    if (!job) throw new NotFoundError('No such job');
    const decision = decide(job);
    if (!decision) return job;
    try {
      await p.store.save(decision, job.version, receipt?.(decision));
    } catch (e) {
      if (!(e instanceof StaleWriteError)) throw e;
      if (attempt < MAX_WRITE_ATTEMPTS) continue;
      throw new UnavailableError('The job is being changed by others right now; try again in a moment');
    }
    await afterCommit(p, decision);
    return decision.job;
  }
}

/** Books the repair and answers its Job view; a replay (same Idempotency-Key and body) answers the first view again. */
export async function book(
  p: Ports,
  caller: Caller,
  body: BookingRequest,
  idempotencyKey?: string,
): Promise<JobView> {
  authorize(caller, 'book');
  const key = idempotencyKey && `${caller.sub}#${idempotencyKey}`;
  const hash = bodyHash(body);
  const replay = async () => {
    const r = key ? await p.store.receipt('idempotency', key) : null;
    if (r && r.bodyHash !== hash)
      throw new IdempotencyMismatchError('This Idempotency-Key was used with another body');
    return r?.result as JobView | undefined;
  };
  const earlier = await replay();
  if (earlier) return restarted(p, earlier);

  const now = p.clock.now();
  const decision = bookJob(body, caller, randomUUID(), now);
  const view = toJobView(decision.job, caller);
  // The resident's quota, whoever books: an agent's phone bookings count against it too.
  const quota = bookingQuota(
    bookingParty(body, caller).residentId,
    now,
    p.settings.bookingsPerHour ?? DEFAULT_BOOKINGS_PER_HOUR,
  );
  try {
    await p.store.create(
      decision,
      key ? { kind: 'idempotency', key, bodyHash: hash, result: view } : undefined,
      quota,
    );
  } catch (e) {
    // Another request with the same key won the race: answer as it did.
    if (e instanceof ReceiptExistsError) return restarted(p, (await replay()) ?? view);
    if (e instanceof QuotaExceededError)
      throw new RateLimitedError(
        `At most ${quota.limit} bookings per hour; try again later`,
        (quota.windowEndsAt.getTime() - now.getTime()) / 1000,
      );
    throw e;
  }
  await p.workflow.start(decision.job.jobId, stepFor(decision.job, now, p.settings));
  await afterCommit(p, decision);
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

/**
 * A replayed booking starts its workflow again (idempotent), so a retry after a failed
 * StartExecution is what repairs it: the job never goes untimed.
 */
async function restarted(p: Ports, view: JobView): Promise<JobView> {
  await p.workflow.start(view.jobId);
  return view;
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
      (j) => applyWebhook(j, event, p.clock.now(), p.settings),
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

export async function getJob(p: Ports, caller: Caller, jobId: string) {
  authorize(caller, 'read');
  return toJobView(assertCanRead(await p.store.get(jobId), caller), caller);
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

export async function callback(p: Ports, caller: Caller, jobId: string, body: CallbackRequest) {
  authorize(caller, 'record_callback');
  const job = await mutate(p, jobId, (j) =>
    recordCallback(assertCanRead(j, caller), caller, body, p.clock.now()),
  );
  return toJobView(job, caller);
}

export async function rate(p: Ports, caller: Caller, jobId: string, body: RatingRequest) {
  authorize(caller, 'rate');
  const job = await mutate(p, jobId, (j) => rateJob(assertCanRead(j, caller), caller, body, p.clock.now()));
  return toJobView(job, caller);
}

/** A month's figures for managers: read from the aggregate items the report stream keeps, never from the jobs. */
export async function monthlyReport(p: Ports, caller: Caller, q: MonthlyReportQuery): Promise<MonthlyReport> {
  authorize(caller, 'read_reports');
  const property = q.property ?? null;
  return toMonthlyReport(q.month, property, p.settings.timeZone, await p.reports.read(q.month, property));
}

// --- called by the table's stream ---

/**
 * A job item changed: add what the change settled to the monthly figures, once per change. A
 * removed item adds nothing (jobs are never deleted; S23 keeps them).
 */
export async function countJobChange(p: Ports, change: JobChange) {
  const facts = change.after ? reportFacts(change.before, change.after, p.settings.timeZone) : [];
  if (!facts.length) return { facts: 0, applied: false };
  return { facts: facts.length, applied: await p.reports.apply(change.id, facts) };
}

// --- called by the state machine ---
// The task functions serve any state machine on the workflow protocol: each names its subject
// (the aggregate it times) in the payload, and finds here how to load, time and park it.
// Jobs now; a second aggregate (complaints) adds its entry instead of copying the functions.

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
  load(p: Ports, id: string): Promise<Step>;
  /** A wait timed out: record what was due and answer the next step. */
  timerFired(p: Ports, id: string): Promise<Step>;
  /** Park the task token while `milestone` is still to come; resume at once otherwise. */
  park(p: Ports, id: string, milestone: Milestone, token: string): Promise<{ reached: boolean }>;
}

export const WORKFLOW_SUBJECTS = {
  job: { load: loadPhase, timerFired, park: awaitMilestone },
} as const satisfies Record<string, WorkflowSubject>;
export type WorkflowSubjectName = keyof typeof WORKFLOW_SUBJECTS;

export function workflowSubject(name: string): WorkflowSubject {
  const subject = (WORKFLOW_SUBJECTS as Record<string, WorkflowSubject>)[name];
  if (!subject) throw new NotFoundError(`No workflow subject ${name}`);
  return subject;
}
