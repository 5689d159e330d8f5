import { businessHoursText, windowOutsideHours } from './business-calendar';
import { checkDispatch } from './dispatch';
import { ConflictError, ForbiddenError, ValidationError } from './errors';
import { signatureFile } from './form-files';
import { actorOf, entry } from './history';
import { namePhotos } from './photos';
import type { BusinessCalendar, PropertyPolicy } from './policy';
import type {
  BookingRequest,
  CallbackRequest,
  RatingRequest,
  WebhookEvent,
  WebhookEventType,
} from './schemas';
import {
  arrivalDueAt,
  callbackDueAt,
  dueOnTimer,
  isBeforeArrival,
  ladderInstants,
  QUICK_FIX_MS,
} from './sla';
import {
  type AlertDetail,
  type AlertType,
  type Caller,
  type HistoryItem,
  type Job,
  NO_LINKS,
  type PendingAlert,
  type Recall,
  type SlaMiss,
  type Status,
} from './types';
import { milestoneReached, retimed } from './workflow';

/**
 * The outcome of one decision: the job to write and, in its history, what happened. Words come
 * after: the notices are rendered from the history in one pass (notifications.ts, noticesFor),
 * and a queued alert's text when the workflow sends it.
 */
export interface Decision {
  job: Job;
  history: HistoryItem[];
  /** A workflow task token to resume once the write has committed. */
  resume: string | null;
  /**
   * Whom the technician notices of a job put up for taking (booked, or given back) address
   * (dispatch.ts poolOf); absent: the whole technicians topic, as before rosters.
   */
  pool?: readonly string[];
}

const MAX_APPOINTMENT_MS = 4 * 60 * 60 * 1000;

/** Which status each technician event moves the job from, and to. */
export const TRANSITIONS: Record<WebhookEventType, { from: readonly Status[]; to: Status }> = {
  'job.accepted': { from: ['booked'], to: 'accepted' },
  // Given back by the offered technician, or by the accepting one before setting off.
  'job.rejected': { from: ['booked', 'accepted'], to: 'booked' },
  'job.en_route': { from: ['accepted'], to: 'en_route' },
  'job.arrived': { from: ['accepted', 'en_route'], to: 'arrived' },
  'job.no_access': { from: ['accepted', 'en_route'], to: 'awaiting_reschedule' },
  'job.diagnosed': { from: ['arrived'], to: 'diagnosed' },
  'job.quote_declined': { from: ['diagnosed'], to: 'declined' },
  'job.work_started': { from: ['diagnosed'], to: 'in_progress' },
  'job.completed': { from: ['in_progress'], to: 'completed' },
  'job.unable_to_fix': { from: ['arrived', 'diagnosed', 'in_progress'], to: 'needs_follow_up' },
  'job.site_cleaned': { from: ['completed'], to: 'cleaned' },
  'job.form_signed': { from: ['cleaned'], to: 'signed' },
};

const RESIDENT_CANCELLABLE: readonly Status[] = ['booked', 'accepted', 'en_route', 'awaiting_reschedule'];
// Not needs_follow_up: that visit happened and ended (the resident was promised a follow-up,
// perhaps holds a take-away receipt); calling it cancelled would rewrite its outcome.
const MANAGER_CANCELLABLE: readonly Status[] = [...RESIDENT_CANCELLABLE, 'arrived', 'diagnosed'];

function conflict(job: Job, action: string, allowed: readonly Status[]): ConflictError {
  return new ConflictError(
    `Job ${job.jobId} is ${job.status}; ${action} is allowed only when it is ${allowed.join(' or ')}`,
  );
}

/**
 * Bumps the version and, when the change reaches what the workflow waits for or moves the
 * deadlines it is timed by, hands back its token.
 */
export function commit(before: Job, after: Job, now: Date, history: HistoryItem[]): Decision {
  const job: Job = { ...after, updatedAt: now.toISOString(), version: before.version + 1 };
  let resume: string | null = null;
  if (job.wait && (milestoneReached(job, job.wait.milestone) || retimed(before, job))) {
    resume = job.wait.token;
    job.wait = null;
  }
  return { job, history, resume };
}

/**
 * A command settled an SLA after its deadline, before the workflow's timer recorded the miss.
 * That timer never will (the command resumes or ends the wait), so the miss is recorded here,
 * as the timer would have: alert queued once, history item by `system`, placed before the
 * command's own item. Returns the history to prepend; nothing if the miss was already alerted.
 */
export function missedFirst(next: Job, type: SlaMiss, detail: AlertDetail, now: Date): HistoryItem[] {
  if (next.alerts[type]) return [];
  next.alerts[type] = queued(type, detail);
  return [entry(type, now, 'system')];
}

/** An alert for the workflow to send once; its words are rendered when it is sent. */
const queued = (type: AlertType, detail?: AlertDetail): PendingAlert => ({
  type,
  sent: false,
  ...(detail && { detail }),
});

/**
 * Whose job a booking is, and how it came: a resident books their own from the app; an agent
 * books by phone for the resident they name (S18). The request says nothing else about it.
 */
export function bookingParty(req: BookingRequest, caller: Caller) {
  const errors: { path: string; message: string }[] = [];
  if (caller.role === 'resident') {
    if (req.residentId !== undefined && req.residentId !== caller.sub)
      errors.push({ path: 'residentId', message: 'only staff book on behalf of another resident' });
    if (req.channel === 'phone')
      errors.push({ path: 'channel', message: 'must be app for your own booking' });
  } else {
    if (req.residentId === undefined)
      errors.push({ path: 'residentId', message: 'required when staff book for a resident' });
    if (req.channel === 'app') errors.push({ path: 'channel', message: 'must be phone for a staff booking' });
  }
  if (errors.length) throw new ValidationError('The booking names the wrong resident or channel', errors);
  return caller.role === 'resident'
    ? { residentId: caller.sub, channel: 'app' as const }
    : { residentId: req.residentId as string, channel: 'phone' as const };
}

/** Where a booking comes from beyond the request: the job it reworks or follows up, the signed job it recalls. */
export interface Origin {
  reworkOf?: string;
  followUpOf?: string;
  recall?: Recall | null;
}

export function bookJob(
  req: BookingRequest,
  caller: Caller,
  jobId: string,
  now: Date,
  origin: Origin,
  policy: PropertyPolicy,
): Decision {
  checkAppointment(req, now, policy);
  const party = bookingParty(req, caller);
  const createdAt = now.toISOString();
  const due = arrivalDueAt(req.priority, now, req.appointment?.start, policy.sla);
  const job: Job = {
    jobId,
    status: 'booked',
    priority: req.priority,
    unitId: req.unitId,
    category: req.category,
    description: req.description,
    contactPhone: req.contactPhone,
    locale: req.locale,
    residentId: party.residentId,
    channel: party.channel,
    appointment: req.appointment ?? null,
    technician: null,
    offer: null,
    quote: null,
    laborWaived: false,
    sla: {
      arrivalDueAt: due,
      ...ladderInstants(req.priority === 'urgent', now, due, policy.sla),
      arrivedAt: null,
      arrivalMet: null,
      noAccess: false,
      callbackDueAt: null,
      callbackMet: null,
    },
    workStartedAt: null,
    completedAt: null,
    callbackAttempts: 0,
    rating: null,
    satisfaction: null,
    signedAt: null,
    signature: null,
    form: null,
    links: { ...NO_LINKS, reworkOf: origin.reworkOf ?? null, followUpOf: origin.followUpOf ?? null },
    recall: null,
    alerts: {},
    wait: null,
    createdAt,
    updatedAt: createdAt,
    version: 1,
  };
  const history: HistoryItem[] = [];
  // A rework or follow-up is the same fault coming back by design, not a recall.
  const recall = origin.reworkOf || origin.followUpOf ? null : (origin.recall ?? null);
  if (recall) {
    job.recall = recall;
    job.links.recallOf = recall.jobId;
    job.alerts['job.recall'] = queued('job.recall');
    history.push(
      entry('job.recall_detected', now, 'system', { recallOf: recall.jobId, signedAt: recall.signedAt }),
    );
  }
  history.push(
    // arrivalDueAt too, so the history alone tells whether the arrival was on time.
    entry('job.booked', now, actorOf(caller), {
      ...(party.channel === 'phone' && { channel: party.channel, residentId: party.residentId }),
      ...(origin.reworkOf && { reworkOf: origin.reworkOf }),
      ...(origin.followUpOf && { followUpOf: origin.followUpOf }),
      priority: req.priority,
      category: req.category,
      arrivalDueAt: job.sla.arrivalDueAt,
    }),
  );
  return { job, history, resume: null };
}

/**
 * A booking's appointment rules (a reschedule's too): a regular repair comes at an agreed window
 * in the future, at most 4 hours long, within the business hours of one business day of the
 * property; an urgent one comes now, at any hour.
 */
export function checkAppointment(req: BookingRequest, now: Date, calendar: BusinessCalendar): void {
  const a = req.appointment;
  if (req.priority === 'urgent') {
    if (a)
      throw new ValidationError('An urgent repair has no appointment', [
        { path: 'appointment', message: 'must be absent for an urgent repair' },
      ]);
    return;
  }
  if (!a)
    throw new ValidationError('A regular repair needs an appointment', [
      { path: 'appointment', message: 'required for a regular repair' },
    ]);
  const start = Date.parse(a.start);
  const end = Date.parse(a.end);
  const errors = [];
  if (start <= now.getTime()) errors.push({ path: 'appointment.start', message: 'must be in the future' });
  if (end <= start) errors.push({ path: 'appointment.end', message: 'must be after appointment.start' });
  else if (end - start > MAX_APPOINTMENT_MS)
    errors.push({ path: 'appointment.end', message: 'the window must be at most 4 hours' });
  if (end > start)
    for (const side of windowOutsideHours(calendar, a))
      errors.push({
        path: `appointment.${side}`,
        message: `must be within business hours, ${businessHoursText(calendar)}`,
      });
  if (errors.length) throw new ValidationError('The appointment is not valid', errors);
}

export function applyWebhook(job: Job, event: WebhookEvent, now: Date, policy: PropertyPolicy): Decision {
  // A second technician accepting is a state conflict (409, per the contract); any other
  // event from someone other than the accepting technician is forbidden (403).
  if (event.type !== 'job.accepted' && job.technician && job.technician.id !== event.technicianId)
    throw new ForbiddenError(`Job ${job.jobId} is assigned to another technician`);
  const rule = TRANSITIONS[event.type];
  if (!rule.from.includes(job.status)) throw conflict(job, event.type, rule.from);
  checkDispatch(job, event, policy);

  const at = now.toISOString();
  const next: Job = { ...job, status: rule.to, sla: { ...job.sla }, alerts: { ...job.alerts } };
  const missed: HistoryItem[] = [];
  const data: Record<string, unknown> = { ...event.data, occurredAt: event.occurredAt };
  switch (event.type) {
    case 'job.accepted':
      next.technician = { id: event.technicianId, name: event.data.technicianName };
      next.offer = null;
      break;
    case 'job.rejected':
      // Back to booked with nobody on it; the arrival deadline stands (it runs from the booking).
      next.technician = null;
      next.offer = null;
      data.from = job.status;
      data.technicianName = job.technician?.name ?? job.offer?.name ?? null;
      break;
    case 'job.en_route':
      break;
    case 'job.arrived': {
      missed.push(...settleArrival(next, job, now));
      data.kitComplete = Object.values(event.data.kit).every(Boolean);
      next.photos = namePhotos(job, event.technicianId, event.data.photoIds, 'before');
      break;
    }
    case 'job.no_access':
      // The technician came: the arrival is settled as job.arrived settles it (late is late),
      // and the job waits, untimed, for a reschedule.
      missed.push(...settleArrival(next, job, now));
      next.sla.noAccess = true;
      break;
    case 'job.diagnosed':
      next.quote = { ...event.data.quote, covered: event.data.covered, fault: event.data.fault };
      break;
    case 'job.quote_declined':
      break;
    case 'job.work_started':
      next.workStartedAt = at;
      break;
    case 'job.completed': {
      next.completedAt = at;
      next.photos = namePhotos(job, event.technicianId, event.data.photoIds, 'after');
      const started = job.workStartedAt ? Date.parse(job.workStartedAt) : Number.NaN;
      next.laborWaived = policy.quickFixWaiver && now.getTime() - started <= QUICK_FIX_MS;
      // Recorded, not re-derived: the property's policy may change later.
      data.laborWaived = next.laborWaived;
      break;
    }
    case 'job.unable_to_fix':
      next.alerts['job.unable_to_fix'] = queued('job.unable_to_fix', { reason: event.data.reason });
      break;
    case 'job.site_cleaned':
      break;
    case 'job.form_signed':
      next.signedAt = at;
      // The image goes to the forms bucket (use-cases.ts technicianEvent, before this commits);
      // the job and its history keep its key and hash, not 200 KiB of base64.
      next.signature = signatureFile(job.jobId, event.data.signature);
      data.signature = next.signature;
      next.sla.callbackDueAt = callbackDueAt(now, policy.sla);
      // Recorded, like arrivalDueAt: the callback window may change later.
      data.callbackDueAt = next.sla.callbackDueAt;
      break;
  }
  const own = entry(event.type, now, `technician:${event.technicianId}`, data);
  return commit(job, next, now, [...missed, own]);
}

/** The technician is on site now: the arrival SLA settles, met by the deadline, once per visit. */
function settleArrival(next: Job, job: Job, now: Date): HistoryItem[] {
  const at = now.toISOString();
  // Timed by the server's clock, never by the reported occurredAt (api-contract).
  next.sla.arrivedAt = at;
  if (next.sla.arrivalMet !== null) return [];
  next.sla.arrivalMet = now.getTime() <= Date.parse(job.sla.arrivalDueAt);
  return next.sla.arrivalMet ? [] : missedFirst(next, 'sla.arrival_missed', { lateAt: at }, now);
}

export function cancelJob(job: Job, caller: Caller, reason: string | undefined, now: Date) {
  // Who may cancel at all is access.ts's; how late each may, the lifecycle's.
  const allowed = caller.role === 'manager' ? MANAGER_CANCELLABLE : RESIDENT_CANCELLABLE;
  if (!allowed.includes(job.status)) throw conflict(job, 'cancel', allowed);
  const next: Job = { ...job, status: 'cancelled', sla: { ...job.sla }, alerts: { ...job.alerts } };
  const missed: HistoryItem[] = [];
  // Nobody arrived by the deadline: the miss stands even though the job is now cancelled.
  if (
    isBeforeArrival(job.status) &&
    job.sla.arrivalMet === null &&
    now.getTime() > Date.parse(job.sla.arrivalDueAt)
  ) {
    next.sla.arrivalMet = false;
    missed.push(...missedFirst(next, 'sla.arrival_missed', { cancelledAt: now.toISOString() }, now));
  }
  const data = reason ? { reason } : {};
  const own = entry('job.cancelled', now, actorOf(caller), data);
  return commit(job, next, now, [...missed, own]);
}

export function recordCallback(job: Job, caller: Caller, body: CallbackRequest, now: Date) {
  if (job.status !== 'signed') throw conflict(job, 'a callback', ['signed']);
  const actor = actorOf(caller);
  const next: Job = {
    ...job,
    sla: { ...job.sla },
    alerts: { ...job.alerts },
    callbackAttempts: job.callbackAttempts + 1,
  };
  // An attempt leaves the workflow's callback timer running: a late one is left to that timer.
  if (!body.reached) return commit(job, next, now, [entry('callback.attempted', now, actor, { ...body })]);
  next.status = 'closed';
  next.satisfaction = body.satisfaction ?? null;
  const missed: HistoryItem[] = [];
  const due = job.sla.callbackDueAt ?? '';
  if (next.sla.callbackMet === null) {
    next.sla.callbackMet = now.getTime() <= Date.parse(due);
    if (!next.sla.callbackMet) {
      missed.push(...missedFirst(next, 'sla.callback_missed', { lateAt: now.toISOString() }, now));
    }
  }
  return commit(job, next, now, [...missed, entry('callback.completed', now, actor, { ...body })]);
}

const RATEABLE: readonly Status[] = ['signed', 'closed'];

/** The resident's own score, once, after the form is signed; the callback agent sees it first. */
export function rateJob(job: Job, caller: Caller, body: RatingRequest, now: Date): Decision {
  if (!RATEABLE.includes(job.status)) throw conflict(job, 'a rating', RATEABLE);
  if (job.rating) throw new ConflictError(`Job ${job.jobId} is already rated`);
  const rating = { score: body.score, comment: body.comment ?? null, at: now.toISOString() };
  const next: Job = { ...job, rating };
  return commit(job, next, now, [entry('job.rated', now, actorOf(caller), { ...body })]);
}

/**
 * A workflow timer fired: record the ladder step, missed SLA or reminder it stands for, once.
 * Nothing (null) when the job moved on meanwhile: the machine waits again for the next instant.
 */
export function onTimer(job: Job, now: Date): Decision | null {
  const due: AlertType | null = dueOnTimer(job, now);
  if (!due) return null;
  const next: Job = { ...job, sla: { ...job.sla }, alerts: { ...job.alerts } };
  if (due === 'sla.arrival_missed') next.sla.arrivalMet = false;
  if (due === 'sla.callback_missed') next.sla.callbackMet = false;
  // Each alert once per job: a rescheduled visit missed after an earlier miss is recorded, not re-alerted.
  if (!job.alerts[due]) next.alerts[due] = queued(due);
  return commit(job, next, now, [entry(due, now, 'system')]);
}
