import { defaultCalendar } from '../functions/domain/business-calendar';
import type { Rng } from './soak-rng';

// What the soak believes about each job: its plan, and every event the product accepted
// (in order), with the simulated-clock window around the ones that time an SLA.

/** The properties' calendar: nobody configures one in the soak, so 09:00–18:00 Monday to Friday in Asia/Shanghai. */
export const SOAK_CALENDAR = defaultCalendar('Asia/Shanghai');

export type Fate =
  | 'complete'
  | 'callback_missed'
  | 'late'
  | 'cancel_resident'
  | 'cancel_manager'
  | 'declined'
  | 'unable'
  | 'no_show'
  | 'never_accepted';

export interface Plan {
  priority: 'urgent' | 'regular';
  fate: Fate;
  enRoute: boolean;
  /** cancel_resident: the status the resident cancels in. */
  cancelAt: 'booked' | 'accepted' | 'en_route';
  /** cancel_manager: cancel before or after the diagnosis. */
  managerCancelAt: 'arrived' | 'diagnosed';
  unableAfterStart: boolean;
  callbackAttempt: boolean;
  lateCallback: boolean;
  /** The reached callback scores the visit 1–2: a complaint (source callback). */
  unhappy: boolean;
  /** …and the issue is not resolved: a rework is booked on the call. */
  unresolved: boolean;
  /** The resident also complains about the job themselves (POST /complaints). */
  residentComplains: boolean;
}

/** Simulated-clock ms read just before the first attempt and just after the answer. */
export type Window = [number, number];

export interface JobRecord {
  n: number;
  resident: string;
  token: string;
  plan: Plan;
  jobId: string;
  technician: string;
  arrivalDueAt: number;
  /** Event types the product accepted, in the order it accepted them, `job.booked` first. */
  accepted: string[];
  arrival?: Window;
  cancel?: Window;
  callback?: Window;
  /** Set when a step was refused unexpectedly: the job is no longer driven. */
  stuck?: string;
  /** Real ms when the last accepted event was answered. */
  lastAckAt: number;
  /** An answered event DynamoDB Local lost to a SIGKILL right after answering it. */
  lostOnKill?: string;
  steps: Step[];
  /**
   * The complaints opened about this job: by which request, the window it was answered in, and
   * whether the stack restarted inside it (its notice to the resident may then be missing).
   */
  complaints: Array<{
    complaintId: string;
    source: 'callback' | 'resident';
    received: Window;
    unsure: boolean;
  }>;
  /** The rework the callback booked, and the window it asked for. */
  rework?: { jobId: string; appointment: { start: string; end: string } };
}

export function makePlan(rng: Rng): Plan {
  return {
    priority: rng.chance(0.5) ? 'urgent' : 'regular',
    fate: rng.weighted<Fate>({
      complete: 34,
      callback_missed: 14,
      late: 14,
      cancel_resident: 9,
      cancel_manager: 5,
      declined: 6,
      unable: 8,
      no_show: 6,
      never_accepted: 4,
    }),
    enRoute: rng.chance(0.5),
    cancelAt: rng.pick(['booked', 'accepted', 'en_route'] as const),
    managerCancelAt: rng.pick(['arrived', 'diagnosed'] as const),
    unableAfterStart: rng.chance(0.5),
    callbackAttempt: rng.chance(0.3),
    lateCallback: rng.chance(0.5),
    unhappy: rng.chance(0.2),
    unresolved: rng.chance(0.5),
    residentComplains: rng.chance(0.08),
  };
}

/** The status each accepted event leaves a job in (api contract). */
export const STATUS_AFTER: Record<string, string> = {
  'job.booked': 'booked',
  'job.accepted': 'accepted',
  'job.en_route': 'en_route',
  'job.arrived': 'arrived',
  'job.diagnosed': 'diagnosed',
  'job.quote_declined': 'declined',
  'job.work_started': 'in_progress',
  'job.completed': 'completed',
  'job.unable_to_fix': 'needs_follow_up',
  'job.site_cleaned': 'cleaned',
  'job.form_signed': 'signed',
  'job.cancelled': 'cancelled',
  'callback.attempted': 'signed',
  'callback.completed': 'closed',
};

/** Which statuses each event may come from (api contract); the soak's own copy, to check the product by. */
export const ALLOWED_FROM: Record<string, readonly string[]> = {
  'job.accepted': ['booked'],
  'job.en_route': ['accepted'],
  'job.arrived': ['accepted', 'en_route'],
  'job.diagnosed': ['arrived'],
  'job.quote_declined': ['diagnosed'],
  'job.work_started': ['diagnosed'],
  'job.completed': ['in_progress'],
  'job.unable_to_fix': ['arrived', 'diagnosed', 'in_progress'],
  'job.site_cleaned': ['completed'],
  'job.form_signed': ['cleaned'],
  'job.cancelled': ['booked', 'accepted', 'en_route', 'arrived', 'diagnosed'],
  'callback.attempted': ['signed'],
  'callback.completed': ['signed'],
  // Links: a complaint about the job in any status; a rework only by the callback that closes it.
  'job.complaint_opened': Object.values(STATUS_AFTER),
  'job.rework_booked': ['closed'],
};

/** The escalation ladder's warnings before the arrival deadline: each at most once per job. */
export const LADDER_WARNINGS = ['sla.acceptance_warning', 'sla.arrival_at_risk'];

/** History entries the workflow writes itself, not answers to a request. */
export const SYSTEM_ENTRIES = [
  'sla.arrival_missed',
  'sla.callback_missed',
  'callback.reminder',
  ...LADDER_WARNINGS,
];

/** The status the accepted events lead to (links leave it as it is). */
export const statusOf = (job: JobRecord) =>
  STATUS_AFTER[job.accepted.findLast((t) => STATUS_AFTER[t] !== undefined) ?? ''] ?? '?';

/** One accepted request: how many entries of `accepted` it added (a callback adds its links too), answered when (real ms). */
export interface Step {
  size: number;
  at: number;
}

/** What the soak tracks the same way for jobs and complaints. */
export interface Tracked {
  accepted: string[];
  steps: Step[];
  /** Real ms when the last accepted request was answered. */
  lastAckAt: number;
  stuck?: string;
  lostOnKill?: string;
}

/** History entries a request adds whatever the job's status: a resident's complaint about it. */
const LINK_ONLY = ['job.complaint_opened'];

export function acceptStep(r: Tracked, types: string[]): true {
  r.accepted.push(...types);
  r.lastAckAt = Date.now();
  r.steps.push({ size: types.length, at: r.lastAckAt });
  return true;
}

/**
 * The step DynamoDB Local may have lost (its index in `steps`, or -1): the latest one answered
 * within the window of a SIGKILL, with nothing accepted after it but links (which land in any
 * status, so they do not prove the step before them).
 */
export function suspectStep(r: Tracked, killedNear: (ms: number) => boolean): number {
  let end = r.accepted.length;
  for (let i = r.steps.length - 1; i >= 0; i--) {
    const step = r.steps[i] as Step;
    if (killedNear(step.at)) return i;
    const types = r.accepted.slice(end - step.size, end);
    if (!types.every((t) => LINK_ONLY.includes(t))) return -1;
    end -= step.size;
  }
  return -1;
}

const stepStart = (r: Tracked, i: number) => r.steps.slice(0, i).reduce((n, s) => n + s.size, 0);

/** `accepted` without the entries of step `i`. */
export function withoutStep(r: Tracked, i: number): string[] {
  const from = stepStart(r, i);
  return [...r.accepted.slice(0, from), ...r.accepted.slice(from + (r.steps[i]?.size ?? 0))];
}

/** Takes step `i` back out (DynamoDB Local lost it) and names it as lost; the record is no longer driven. */
export function dropStep(r: Tracked, i: number): void {
  const lost = r.accepted.splice(stepStart(r, i), r.steps[i]?.size ?? 0);
  r.steps.splice(i, 1);
  r.lostOnKill = lost.join(' + ');
  r.stuck ??= `lost on SIGKILL: ${r.lostOnKill}`;
}

// --- complaints (issue #11) ---

/** When a complaint step comes: before its deadline, after it, or not at all. */
export type Timing = 'on_time' | 'late' | 'never';

export interface ComplaintPlan {
  investigation: Timing;
  /** The reached callback (only once investigated). */
  callback: Timing;
  /** Callbacks that do not reach the resident, before the reached one. */
  attempts: number;
  /** An on-time callback right after the investigation, rather than after the investigation deadline's jump. */
  callbackSoon: boolean;
  /** The late step is sent while the clock jumps past its deadline (it may land on either side, or before the timer). */
  raceJump: boolean;
  /** A callback tried before the investigation (409, nothing changes). */
  earlyCallback: boolean;
}

export interface ComplaintRecord {
  n: number;
  job: JobRecord;
  source: 'callback' | 'resident';
  complaintId: string;
  plan: ComplaintPlan;
  investigationDueAt: number;
  callbackDueAt: number;
  /** Requests the product accepted for this complaint, in order, `complaint.received` first. */
  accepted: string[];
  steps: Step[];
  investigation?: Window;
  callback?: Window;
  stuck?: string;
  lastAckAt: number;
  lostOnKill?: string;
  /** Steps whose request saw the stack restart: a notice published between its commit and the crash may be missing. */
  unsure: string[];
}

export function makeComplaintPlan(rng: Rng): ComplaintPlan {
  const timing = () => rng.weighted<Timing>({ on_time: 45, late: 35, never: 20 });
  return {
    investigation: timing(),
    callback: timing(),
    attempts: Number(rng.weighted({ '0': 50, '1': 35, '2': 15 })),
    callbackSoon: rng.chance(0.5),
    raceJump: rng.chance(0.3),
    earlyCallback: rng.chance(0.15),
  };
}

export const COMPLAINT_STATUS_AFTER: Record<string, string> = {
  'complaint.received': 'received',
  'complaint.investigated': 'investigated',
  'complaint.callback_attempted': 'investigated',
  'complaint.called_back': 'closed',
};

/** Complaint history entries the complaint's workflow (or a late recording) writes as `system`. */
export const COMPLAINT_SYSTEM_ENTRIES = [
  'sla.complaint_investigation_missed',
  'sla.complaint_callback_missed',
];

/** What the residents topic says for each accepted complaint request. */
export const COMPLAINT_TOLD = ['complaint.received', 'complaint.investigated', 'complaint.called_back'];

export const complaintStatusOf = (c: ComplaintRecord) =>
  COMPLAINT_STATUS_AFTER[c.accepted[c.accepted.length - 1] ?? ''] ?? '?';
