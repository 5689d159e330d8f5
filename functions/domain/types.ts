export const STATUSES = [
  'booked',
  'accepted',
  'en_route',
  'arrived',
  'diagnosed',
  'in_progress',
  'completed',
  'cleaned',
  'signed',
  'closed',
  'cancelled',
  'declined',
  'needs_follow_up',
] as const;
export type Status = (typeof STATUSES)[number];

export const CATEGORIES = ['plumbing', 'electrical', 'appliance', 'door_lock', 'hvac', 'other'] as const;
export type Category = (typeof CATEGORIES)[number];

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export const PRIORITIES = ['urgent', 'regular'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const ROLES = ['resident', 'agent', 'manager'] as const;
export type Role = (typeof ROLES)[number];

/** How a booking reached us: the resident's own app, or an agent taking their call (S18). */
export const CHANNELS = ['app', 'phone'] as const;
export type Channel = (typeof CHANNELS)[number];

/**
 * The property a unit belongs to: the part of its id before the first dash ("A1-1203" → "A1").
 * Boards filter and reports group by it.
 */
export const propertyOf = (unitId: string): string => unitId.split('-', 1)[0] ?? unitId;

/** The resident's own score of the visit (1–5), given once from `signed` on; the callback starts from it. */
export interface Rating {
  score: number;
  comment: string | null;
  at: string;
}

export interface Caller {
  sub: string;
  role: Role;
}

export interface Quote {
  labor: number;
  parts: number;
  currency: 'CNY';
}

export interface Sla {
  arrivalDueAt: string;
  arrivedAt: string | null;
  arrivalMet: boolean | null;
  callbackDueAt: string | null;
  callbackMet: boolean | null;
}

/** Milestones the workflow waits for; the task token stored on the job names one. */
export type Milestone = 'arrival' | 'visit_end' | 'callback';

export const SEVERITIES = ['critical', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** The alerts the domain queues on a job, each with its severity; the workflow sends each once. */
export const ALERT_SEVERITY = {
  'sla.arrival_missed': 'critical',
  'sla.callback_missed': 'warning',
  'job.unable_to_fix': 'warning',
  'callback.reminder': 'info',
} as const satisfies Record<string, Severity>;
export type AlertType = keyof typeof ALERT_SEVERITY;

/** The alert the state machine publishes itself when a task keeps failing (critical). */
export const STALLED_ALERT = 'workflow.stalled';

/** Every `type` on the alerts topic: what subscriptions may filter on. */
export const ALERT_TYPES = [STALLED_ALERT, ...(Object.keys(ALERT_SEVERITY) as AlertType[])] as const;
export type AlertTopicType = (typeof ALERT_TYPES)[number];

/** The alerts that stand for a missed SLA. */
export type SlaMiss = Extract<AlertType, 'sla.arrival_missed' | 'sla.callback_missed'>;

export interface Wait {
  token: string;
  milestone: Milestone;
}

/** What an alert's wording needs beyond the job: when a late milestone or a cancellation happened, a reason. */
export interface AlertDetail {
  /** The late milestone (arrival, reached callback) happened then: "arrived 25 minutes late". */
  lateAt?: string;
  /** Cancelled then, with nobody on site after the deadline. */
  cancelledAt?: string;
  reason?: string;
}

/** An alert the decision queued for the workflow to send once; its words come when it is sent. */
export interface PendingAlert {
  type: AlertType;
  sent: boolean;
  detail?: AlertDetail;
}

/** Everything the job item holds; `toJobView` decides what a caller sees. */
export interface Job {
  jobId: string;
  status: Status;
  priority: Priority;
  unitId: string;
  category: Category;
  description: string;
  contactPhone: string;
  locale: Locale;
  residentId: string;
  channel: Channel;
  appointment: { start: string; end: string } | null;
  technician: { id: string; name: string } | null;
  quote: (Quote & { covered: boolean; fault: string }) | null;
  laborWaived: boolean;
  sla: Sla;
  workStartedAt: string | null;
  completedAt: string | null;
  callbackAttempts: number;
  rating: Rating | null;
  /** What the resident said at the reached callback (1–5); what the reports average. */
  satisfaction: number | null;
  /** Alerts queued for the workflow to publish, keyed by type: each is sent once. */
  alerts: Partial<Record<AlertType, PendingAlert>>;
  /** The workflow's task token and the milestone it waits for; never leaves the server. */
  wait: Wait | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface HistoryItem {
  type: string;
  at: string;
  actor: string;
  data: Record<string, unknown>;
}
