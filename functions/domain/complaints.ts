import { investigationDueAt } from './business-calendar';
import { ConflictError, ValidationError } from './errors';
import { actorOf, entry } from './history';
import type { BusinessCalendar } from './policy';
import type {
  CallbackRequest,
  ComplaintCallbackRequest,
  ComplaintRequest,
  InvestigationRequest,
} from './schemas';
import type {
  Caller,
  Complaint,
  ComplaintMilestone,
  ComplaintMiss,
  ComplaintStatus,
  HistoryItem,
  Job,
  Locale,
} from './types';

// The complaint lifecycle (S16, S17): received → investigated (the same business day) → closed by a
// callback that reached the resident (within 3 days). Each decision first settles the
// deadlines that have passed, so a miss is recorded once, by whichever notices it first: the
// workflow's timer or a late recording.

/** S17: every complainant is called back within three days of receipt. */
export const COMPLAINT_CALLBACK_MS = 3 * 24 * 60 * 60 * 1000;

/** A job callback at or below this satisfaction opens a complaint (source `callback`). */
export const COMPLAINT_SATISFACTION_AT_MOST = 2;

export interface ComplaintDecision {
  complaint: Complaint;
  history: HistoryItem[];
  /** A workflow task token to resume once the write has committed. */
  resume: string | null;
}

/**
 * The deadline the agents work to next, which orders their queue (the store's index and the
 * console alike): the investigation's until it is filed, then the callback's; none once closed.
 */
export function nextComplaintDeadline(c: Pick<Complaint, 'status' | 'sla'>) {
  if (c.status === 'received')
    return { kind: 'investigation' as const, dueAt: c.sla.investigationDueAt, met: c.sla.investigationMet };
  if (c.status === 'investigated')
    return { kind: 'callback' as const, dueAt: c.sla.callbackDueAt, met: c.sla.callbackMet };
  return null;
}

/** Has a complaint in `status` moved past what a wait for `milestone` is waiting for? */
export function complaintReached(status: ComplaintStatus, milestone: ComplaintMilestone): boolean {
  return milestone === 'investigation' ? status !== 'received' : status === 'closed';
}

function fresh(
  fields: Pick<
    Complaint,
    | 'complaintId'
    | 'category'
    | 'description'
    | 'jobId'
    | 'unitId'
    | 'residentId'
    | 'contactPhone'
    | 'locale'
    | 'source'
  >,
  now: Date,
  calendar: BusinessCalendar,
): Complaint {
  const createdAt = now.toISOString();
  return {
    ...fields,
    status: 'received',
    sla: {
      investigationDueAt: investigationDueAt(calendar, now).toISOString(),
      investigatedAt: null,
      investigationMet: null,
      callbackDueAt: new Date(now.getTime() + COMPLAINT_CALLBACK_MS).toISOString(),
      calledBackAt: null,
      callbackMet: null,
    },
    investigation: null,
    callbackAttempts: 0,
    answerBy: null,
    satisfied: null,
    alerts: {},
    wait: null,
    createdAt,
    updatedAt: createdAt,
    version: 1,
  };
}

function received(complaint: Complaint, now: Date, actor: string): ComplaintDecision {
  const { source, category, jobId, sla } = complaint;
  return {
    complaint,
    // Both deadlines too, so the history alone tells whether each was kept.
    history: [
      entry('complaint.received', now, actor, {
        source,
        category,
        ...(jobId && { jobId }),
        investigationDueAt: sla.investigationDueAt,
        callbackDueAt: sla.callbackDueAt,
      }),
    ],
    resume: null,
  };
}

/**
 * A resident complains about their own job or unit, or staff record a resident's complaint
 * taken by phone. With `job` (already checked readable by the caller) the unit, phone and
 * language default to the job's.
 */
export function receiveComplaint(
  req: ComplaintRequest,
  caller: Caller,
  complaintId: string,
  now: Date,
  calendar: BusinessCalendar,
  job: Job | null,
): ComplaintDecision {
  const errors: { path: string; message: string }[] = [];
  const staff = caller.role !== 'resident';
  if (!staff && req.residentId !== undefined && req.residentId !== caller.sub)
    errors.push({ path: 'residentId', message: 'only staff record a complaint for another resident' });
  if (staff && req.residentId === undefined)
    errors.push({ path: 'residentId', message: 'required when staff record a complaint' });
  if (job && req.unitId !== undefined && req.unitId !== job.unitId)
    errors.push({ path: 'unitId', message: "must be the job's unit, or left out" });
  if (job && staff && req.residentId !== undefined && req.residentId !== job.residentId)
    errors.push({ path: 'residentId', message: "must be the job's resident" });
  const contactPhone = req.contactPhone ?? job?.contactPhone ?? null;
  if (!contactPhone)
    errors.push({ path: 'contactPhone', message: 'required without a jobId: the callback needs a number' });
  if (errors.length)
    throw new ValidationError('The complaint names the wrong resident, unit or phone', errors);
  const complaint = fresh(
    {
      complaintId,
      category: req.category,
      description: req.description,
      jobId: job?.jobId ?? null,
      unitId: job?.unitId ?? (req.unitId as string),
      residentId: staff ? (req.residentId as string) : caller.sub,
      contactPhone,
      locale: req.locale ?? job?.locale ?? 'zh-CN',
      source: staff ? 'agent' : 'resident',
    },
    now,
    calendar,
  );
  return received(complaint, now, actorOf(caller));
}

/** Does this job callback open a complaint? A reached resident who scored the visit 2 or less. */
export const callbackComplains = (body: CallbackRequest) =>
  body.reached && (body.satisfaction ?? 5) <= COMPLAINT_SATISFACTION_AT_MOST;

/** What a complaint from a callback says when the agent wrote nothing: the score, in the resident's language. */
const callbackScoreText = (locale: Locale, score: number) =>
  locale === 'en' ? `Satisfaction ${score} of 5 at the job callback` : `回访满意度 ${score} 分(满分 5 分)`;

/** The complaint a bad job callback opens: about the job's quality, in the agent's words. */
export function complaintOfCallback(
  job: Job,
  caller: Caller,
  body: CallbackRequest,
  complaintId: string,
  now: Date,
  calendar: BusinessCalendar,
): ComplaintDecision {
  const complaint = fresh(
    {
      complaintId,
      category: 'quality',
      description: body.comment || callbackScoreText(job.locale, body.satisfaction ?? 0),
      jobId: job.jobId,
      unitId: job.unitId,
      residentId: job.residentId,
      contactPhone: job.contactPhone,
      locale: job.locale,
      source: 'callback',
    },
    now,
    calendar,
  );
  return received(complaint, now, actorOf(caller));
}

/**
 * The deadlines passed at `now` and not yet recorded: each is recorded as missed, its alert
 * queued once, with a history item by `system` (placed before the decision's own). A command
 * at the deadline's very millisecond is in time; a timer fires at (or after) it, so `byTimer`
 * counts the deadline itself as passed.
 */
function settleMisses(next: Complaint, now: Date, byTimer = false): HistoryItem[] {
  const t = now.getTime();
  const passed = (due: string) => (byTimer ? t >= Date.parse(due) : t > Date.parse(due));
  const history: HistoryItem[] = [];
  const miss = (type: ComplaintMiss) => {
    if (next.alerts[type]) return;
    next.alerts[type] = { type, sent: false };
    history.push(entry(type, now, 'system'));
  };
  if (
    next.status === 'received' &&
    next.sla.investigationMet === null &&
    passed(next.sla.investigationDueAt)
  ) {
    next.sla.investigationMet = false;
    miss('sla.complaint_investigation_missed');
  }
  if (next.status !== 'closed' && next.sla.callbackMet === null && passed(next.sla.callbackDueAt)) {
    next.sla.callbackMet = false;
    miss('sla.complaint_callback_missed');
  }
  return history;
}

const copy = (c: Complaint): Complaint => ({ ...c, sla: { ...c.sla }, alerts: { ...c.alerts } });

/**
 * Bumps the version and hands back the workflow's token when the wait is over: its milestone
 * reached, or an alert queued that the machine must send (a late recording noticed the miss
 * before the timer, which then never fires for it).
 */
function commit(before: Complaint, after: Complaint, now: Date, history: HistoryItem[]): ComplaintDecision {
  const complaint: Complaint = { ...after, updatedAt: now.toISOString(), version: before.version + 1 };
  const alertQueued = Object.values(complaint.alerts).some((a) => a && !a.sent);
  let resume: string | null = null;
  if (complaint.wait && (alertQueued || complaintReached(complaint.status, complaint.wait.milestone))) {
    resume = complaint.wait.token;
    complaint.wait = null;
  }
  return { complaint, history, resume };
}

function conflict(c: Complaint, action: string, allowed: ComplaintStatus): ConflictError {
  return new ConflictError(
    `Complaint ${c.complaintId} is ${c.status}; ${action} is allowed only when it is ${allowed}`,
  );
}

/** S16: what was found, its cause, who handled it and the result, filed once. */
export function investigate(
  c: Complaint,
  caller: Caller,
  body: InvestigationRequest,
  now: Date,
): ComplaintDecision {
  if (c.status !== 'received') throw conflict(c, 'an investigation', 'received');
  const next = copy(c);
  const missed = settleMisses(next, now);
  next.status = 'investigated';
  next.sla.investigatedAt = now.toISOString();
  if (next.sla.investigationMet === null) next.sla.investigationMet = true;
  next.investigation = { ...body, at: now.toISOString(), by: actorOf(caller) };
  return commit(c, next, now, [
    ...missed,
    entry('complaint.investigated', now, actorOf(caller), { ...body }),
  ]);
}

/**
 * S17: the callback. Reached, it closes the complaint; not reached, it counts an attempt and
 * the deadline stands. A question it could not answer keeps its `answerBy`.
 */
export function recordComplaintCallback(
  c: Complaint,
  caller: Caller,
  body: ComplaintCallbackRequest,
  now: Date,
): ComplaintDecision {
  if (c.status === 'received')
    throw new ConflictError(
      `Complaint ${c.complaintId} is not investigated yet; call back after the investigation`,
    );
  if (c.status !== 'investigated') throw conflict(c, 'a callback', 'investigated');
  const next = copy(c);
  const missed = settleMisses(next, now);
  next.callbackAttempts = c.callbackAttempts + 1;
  if (body.answerBy) next.answerBy = body.answerBy;
  const actor = actorOf(caller);
  if (!body.reached)
    return commit(c, next, now, [...missed, entry('complaint.callback_attempted', now, actor, { ...body })]);
  next.status = 'closed';
  next.satisfied = body.satisfied ?? null;
  next.sla.calledBackAt = now.toISOString();
  if (next.sla.callbackMet === null) next.sla.callbackMet = true;
  return commit(c, next, now, [...missed, entry('complaint.called_back', now, actor, { ...body })]);
}

/** A workflow timer fired: record the deadlines it stands for, once each. */
export function onComplaintTimer(c: Complaint, now: Date): ComplaintDecision | null {
  const next = copy(c);
  const missed = settleMisses(next, now, true);
  if (!missed.length) return null;
  // The token that waited timed out with this timer: nothing is left to resume.
  next.wait = null;
  return commit(c, next, now, missed);
}
