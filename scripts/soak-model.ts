import type { Rng } from './soak-rng';

// What the soak believes about each job: its plan, and every event the product accepted
// (in order), with the simulated-clock window around the ones that time an SLA.

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
};

/** History entries the workflow writes itself, not answers to a request. */
export const SYSTEM_ENTRIES = ['sla.arrival_missed', 'sla.callback_missed', 'callback.reminder'];

export const statusOf = (job: JobRecord) => STATUS_AFTER[job.accepted[job.accepted.length - 1] ?? ''] ?? '?';
