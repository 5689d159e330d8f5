export const STATUSES = [
  'booked',
  'accepted',
  'en_route',
  /** The technician came and nobody answered (job.no_access): waiting for a new time, untimed. */
  'awaiting_reschedule',
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
  /**
   * Staff limited to some properties (the token's `custom:properties`): they see and act on
   * those only. Absent: company scope. Residents never carry it (they see their own jobs).
   */
  properties?: readonly string[];
}

export interface Quote {
  labor: number;
  parts: number;
  currency: 'CNY';
}

export interface Sla {
  arrivalDueAt: string;
  /**
   * The escalation ladder's instants (sla.ts ladderInstants), recorded at booking and at each
   * reschedule. Items written before the ladder lack them: they have no warnings to send.
   */
  acceptWarnAt?: string | null;
  arrivalRiskAt?: string | null;
  arrivedAt: string | null;
  arrivalMet: boolean | null;
  /** The technician came and nobody answered (job.no_access); absent on older items. */
  noAccess?: boolean;
  callbackDueAt: string | null;
  callbackMet: boolean | null;
}

/**
 * Milestones the workflow waits for; the task token stored on the job or complaint names one.
 * A job waits for arrival, visit_end and callback, and for a reschedule after a visit nobody
 * answered; a complaint for investigation and callback.
 */
export type JobMilestone = 'arrival' | 'reschedule' | 'visit_end' | 'callback';

export type ComplaintMilestone = 'investigation' | 'callback';
export type Milestone = JobMilestone | ComplaintMilestone;

export const SEVERITIES = ['critical', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** The alerts the domain queues on a job, each with its severity; the workflow sends each once. */
export const ALERT_SEVERITY = {
  // The escalation ladder before the arrival deadline, then its miss.
  'sla.acceptance_warning': 'warning',
  'sla.arrival_at_risk': 'warning',
  'sla.arrival_missed': 'critical',
  'sla.callback_missed': 'warning',
  'job.unable_to_fix': 'warning',
  'callback.reminder': 'info',
  /** A booking for the same unit and category within 30 days of a signed job. */
  'job.recall': 'info',
  // S16, S17: every missed complaint deadline is the managers' at once.
  'sla.complaint_investigation_missed': 'critical',
  'sla.complaint_callback_missed': 'critical',
} as const satisfies Record<string, Severity>;
export type AlertType = keyof typeof ALERT_SEVERITY;

/** The alerts queued on a job (the rest are a complaint's). */
export const JOB_ALERT_TYPES = [
  'sla.acceptance_warning',
  'sla.arrival_at_risk',
  'sla.arrival_missed',
  'sla.callback_missed',
  'job.unable_to_fix',
  'callback.reminder',
  'job.recall',
] as const satisfies readonly AlertType[];

/** The alert the state machine publishes itself when a task keeps failing (critical). */
export const STALLED_ALERT = 'workflow.stalled';

/**
 * A technician gave an offered or accepted job back (job.rejected): the staff are warned at once,
 * by the use case itself, every time (not a queued alert: those are once per type per job).
 */
export const REJECTED_ALERT = 'job.rejected';

/** Every `type` on the alerts topic: what subscriptions may filter on. */
export const ALERT_TYPES = [
  STALLED_ALERT,
  REJECTED_ALERT,
  ...(Object.keys(ALERT_SEVERITY) as AlertType[]),
] as const;
export type AlertTopicType = (typeof ALERT_TYPES)[number];

/** The alerts that stand for a missed SLA of a job. */
export type SlaMiss = Extract<AlertType, 'sla.arrival_missed' | 'sla.callback_missed'>;

/** The alerts that stand for a missed deadline of a complaint. */
export type ComplaintMiss = Extract<
  AlertType,
  'sla.complaint_investigation_missed' | 'sla.complaint_callback_missed'
>;

export interface Wait<M extends Milestone = Milestone> {
  token: string;
  milestone: M;
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

/**
 * How a job is tied to others: the job it reworks, follows up or recalls, and what came of it
 * (rework jobs, follow-ups, complaints). Ids only.
 */
export interface Links {
  reworkOf: string | null;
  followUpOf: string | null;
  recallOf: string | null;
  reworkJobs: string[];
  followUps: string[];
  complaints: string[];
}

/** A job tied to no other. */
export const NO_LINKS: Links = {
  reworkOf: null,
  followUpOf: null,
  recallOf: null,
  reworkJobs: [],
  followUps: [],
  complaints: [],
};

/** The signed job a booking recalls: who signed it off and when (the report counts it there). */
export interface Recall {
  jobId: string;
  technician: { id: string; name: string } | null;
  signedAt: string;
}

/** A booked job offered to one technician by a dispatcher (POST /jobs/{jobId}/assign): only they may accept. */
export interface Offer {
  technicianId: string;
  /** From the roster; null for an id the roster does not know (a property without a roster). */
  name: string | null;
  at: string;
  /** Who offered it, as the history names them (`manager:m-1`). */
  by: string;
}

/** A file of the forms bucket a job names: its key, and the SHA-256 (hex) of its bytes. */
export interface StoredFile {
  key: string;
  sha256: string;
}

/** The signed repair form as archived (S12, S14): a PDF, kept two years (S23). */
export interface ArchivedForm extends StoredFile {
  bytes: number;
  archivedAt: string;
}

/** A browser's direct upload: POST `fields` and then the file, as multipart/form-data, to `url`. */
export interface UploadForm {
  url: string;
  fields: Record<string, string>;
}

/** Who took a photo: the owner resident (the app), or the technician holding the job (their platform). */
export type PhotoParty = 'resident' | 'technician';

/**
 * A photo of the job, kept on the job item (a few hundred bytes each, their number bounded in
 * photos.ts): its bytes are in the photos bucket, first under `uploads/`, then, checked and
 * without their location metadata, under `photos/`.
 */
export interface Photo {
  photoId: string;
  by: PhotoParty;
  /** The resident's sub or the technician's id. */
  uploaderId: string;
  /** A technician's photo named in job.arrived (before) or job.completed (after); null until then and for residents. */
  stage: 'before' | 'after' | null;
  contentType: string;
  /** The size declared for the upload: the most the presigned POST accepts. */
  bytes: number;
  /** pending until the content check ran; then accepted (a clean copy is served) or rejected (deleted). */
  state: 'pending' | 'accepted' | 'rejected';
  /** Why it was rejected (photo-bytes.ts RejectReason). */
  reason: string | null;
  requestedAt: string;
  /** The presigned POST's expiry: a pending photo past it no longer holds a place. */
  uploadExpiresAt: string;
  checkedAt: string | null;
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
  /** The standing offer of a booked job (assign dispatch); items written before it read as null. */
  offer: Offer | null;
  quote: (Quote & { covered: boolean; fault: string }) | null;
  laborWaived: boolean;
  sla: Sla;
  workStartedAt: string | null;
  completedAt: string | null;
  callbackAttempts: number;
  rating: Rating | null;
  /** What the resident said at the reached callback (1–5); what the reports average. */
  satisfaction: number | null;
  /** When the form was signed: a booking of the same unit and category within 30 days recalls it. */
  signedAt: string | null;
  /**
   * The resident's signature image in the forms bucket (job.form_signed); null before, and on
   * items signed before 0.9, whose history item holds the PNG itself (base64).
   */
  signature: StoredFile | null;
  /** The form's PDF once archived from the stream (job.form_archived); null until then. */
  form: ArchivedForm | null;
  links: Links;
  /** The job this booking recalls, as it stood (null when it recalls none). */
  recall: Recall | null;
  /** Alerts queued for the workflow to publish, keyed by type: each is sent once. */
  alerts: Partial<Record<AlertType, PendingAlert>>;
  /** Its photos (photos.ts); absent on items written before them. */
  photos?: Photo[];
  /** The workflow's task token and the milestone it waits for; never leaves the server. */
  wait: Wait<JobMilestone> | null;
  createdAt: string;
  updatedAt: string;
  version: number;
  /**
   * The hash of the newest history item as of this read (functions/domain/history-chain.ts):
   * the store chains a commit's items onto it and sets the new one; the domain never changes it.
   * Absent until the first chained item.
   */
  historyHead?: string;
}

export interface HistoryItem {
  type: string;
  at: string;
  actor: string;
  data: Record<string, unknown>;
}

// The history's hash chain (functions/domain/history-chain.ts), as types the pages' client reads too.

export interface ChainLink {
  /** SHA-256 (hex) of the canonical JSON of {subject, id, type, at, actor, data, prevHash}. */
  hash: string;
  /** The hash of the item recorded before it; null for the first chained item. */
  prevHash: string | null;
}
/** A history item as stored: chained, or (written before the chain existed) without the link. */
export type StoredHistoryItem = HistoryItem & Partial<ChainLink>;

/** The check of a history against its chain and the head its aggregate records. */
export type ChainCheck =
  | { valid: true; items: number; legacy: number; head: string | null }
  | { valid: false; items: number; legacy: number; brokenAt: number; reason: string };

/** The export an owners' association keeps (docs/verify-history.md checks it). */
export interface HistoryExport {
  format: 'history-chain/1';
  subject: 'job' | 'complaint';
  id: string;
  exportedAt: string;
  head: string | null;
  hashing: string;
  /** How many items, first, were recorded before the chain existed. */
  legacy: number;
  items: StoredHistoryItem[];
}

// --- complaints (S16, S17) ---

export const COMPLAINT_STATUSES = ['received', 'investigated', 'closed'] as const;
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number];

export const COMPLAINT_CATEGORIES = ['conduct', 'quality', 'lateness', 'price', 'other'] as const;
export type ComplaintCategory = (typeof COMPLAINT_CATEGORIES)[number];

/** Who raised it: the resident, an agent or manager taking their call, or a bad job callback. */
export const COMPLAINT_SOURCES = ['resident', 'agent', 'callback'] as const;
export type ComplaintSource = (typeof COMPLAINT_SOURCES)[number];

export interface ComplaintSla {
  /**
   * S16, the same day on the property's business calendar: 23:59:59.999 local of the day of
   * receipt when it is a business day and the complaint came before closing time, else of the
   * next business day (business-calendar.ts, investigationDueAt).
   */
  investigationDueAt: string;
  investigatedAt: string | null;
  investigationMet: boolean | null;
  /** Receipt + 3 days (S17). */
  callbackDueAt: string;
  calledBackAt: string | null;
  callbackMet: boolean | null;
}

/** What S16 files: what was found, why it happened, who handled it and what was done. */
export interface Investigation {
  findings: string;
  cause: string;
  handler: string;
  result: string;
  at: string;
  by: string;
}

/** Everything the complaint item holds; `toComplaintView` decides what a caller sees. */
export interface Complaint {
  complaintId: string;
  status: ComplaintStatus;
  category: ComplaintCategory;
  description: string;
  jobId: string | null;
  unitId: string;
  residentId: string;
  contactPhone: string | null;
  locale: Locale;
  source: ComplaintSource;
  sla: ComplaintSla;
  investigation: Investigation | null;
  callbackAttempts: number;
  /** S17: a question the call could not answer gets a time for the answer. */
  answerBy: string | null;
  /** What the resident said at the reached callback. */
  satisfied: boolean | null;
  alerts: Partial<Record<ComplaintMiss, PendingAlert>>;
  wait: Wait<ComplaintMilestone> | null;
  createdAt: string;
  updatedAt: string;
  version: number;
  /**
   * The hash of the newest history item as of this read (functions/domain/history-chain.ts):
   * the store chains a commit's items onto it and sets the new one; the domain never changes it.
   * Absent until the first chained item.
   */
  historyHead?: string;
}
