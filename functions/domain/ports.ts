import type { ComplaintStep } from './complaint-workflow';
import type { ComplaintDecision } from './complaints';
import type { RepairForm } from './form-words';
import type { Decision } from './lifecycle';
import type { SignedJob } from './links';
import type { MetricPoint } from './metrics';
import type { About, Notice } from './notifications';
import type { OutboxedWrite, OutboxLedger } from './outbox';
import type { DomainSettings, PropertySettings, Technician } from './policy';
import type { ReportFact, StoredReport } from './reports';
import type {
  Category,
  Complaint,
  ComplaintMilestone,
  ComplaintStatus,
  Job,
  JobMilestone,
  Status,
  StoredHistoryItem,
  UploadForm,
  Wait,
} from './types';
import type { CheckedTarget, Resolve, TargetRules } from './webhook-target';
import type { Delivery, DeliveryStatus, Subject, WebhookEndpoint } from './webhooks';
import type { Step } from './workflow';

// The only ways the domain reaches the outside world; adapters implement them for AWS
// and for the local stack alike.

export interface Clock {
  now(): Date;
}

/** Written in the same transaction as the job, so a failed request consumes neither. */
export interface Receipt {
  /**
   * What the key is unique within: a booking's Idempotency-Key (`idempotency`), a complaint's or a
   * job callback's (each its own, so one route's key never answers another's), a webhook-id.
   */
  kind: 'idempotency' | 'complaint' | 'callback' | 'webhook';
  key: string;
  bodyHash: string;
  /** What the first request's use case answered; a replay answers it again. */
  result: unknown;
}

/** At most `limit` writes per `key` until `windowEndsAt`. */
export interface Quota {
  key: string;
  limit: number;
  windowEndsAt: Date;
}

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

export interface ListFilter {
  residentId?: string;
  /** Staff listings: only these properties' jobs (the caller's scope, or the one asked for); absent = all. */
  properties?: readonly string[];
  status?: Status;
  /** The jobs the workflow still times (open ones), oldest first. */
  open?: boolean;
  limit: number;
  nextToken?: string;
}

/**
 * One aggregate's part of a commit: new (`expectedVersion` null: it must not exist yet) or an
 * update conditional on the version it was read at.
 */
export type Write =
  | { kind: 'job'; decision: Decision; expectedVersion: number | null }
  | { kind: 'complaint'; decision: ComplaintDecision; expectedVersion: number | null };

export interface JobStore {
  get(jobId: string): Promise<Job | null>;
  /**
   * Parks the workflow's task token on the job in one conditional write (version bumped, so a
   * writer that read the job before must read it again and see the token), unless the job has
   * already left `waitingIn`: then nothing is written and the job is returned, so the caller can
   * resume the task at once. Throws NotFoundError for an unknown job.
   */
  park(
    jobId: string,
    wait: Wait<JobMilestone>,
    waitingIn: readonly Status[],
  ): Promise<{ parked: true } | { parked: false; job: Job }>;
  /**
   * Every aggregate's write: all of `writes` with their history and their outbox messages
   * (functions/domain/outbox.ts), the receipt and the quota count in one transaction. A job
   * callback that opens a complaint and books its rework is one commit, so a retried or
   * concurrent callback opens exactly one of each. Throws StaleWriteError when any aggregate's
   * condition failed, ReceiptExistsError if the receipt is taken, QuotaExceededError if the
   * quota is full.
   */
  commit(writes: readonly OutboxedWrite[], receipt?: Receipt, quota?: Quota): Promise<void>;
  /** Oldest first, in commit order (the chain's); chained items carry their hash links. */
  history(jobId: string): Promise<StoredHistoryItem[]>;
  list(filter: ListFilter): Promise<Page<Job>>;
  receipt(kind: Receipt['kind'], key: string): Promise<Receipt | null>;
  /**
   * How many jobs this technician holds now (dispatch.ts holderOf): one Query of the sparse
   * byTechnician index, which is eventually consistent (a job accepted a moment ago may not count yet).
   */
  openJobsOf(technicianId: string): Promise<number>;
  /** The unit's job of this category whose form was signed last, if any: what a booking may recall. */
  lastSigned(unitId: string, category: Category): Promise<SignedJob | null>;
}

export interface ComplaintListFilter {
  residentId?: string;
  /** As ListFilter's: only these properties' complaints; absent = all. */
  properties?: readonly string[];
  status?: ComplaintStatus;
  /** The complaints still open (the agents' queue), the nearest deadline first. */
  open?: boolean;
  limit: number;
  nextToken?: string;
}

/** Complaints are written through JobStore.commit (one write path); this reads and parks them. */
export interface ComplaintStore {
  get(complaintId: string): Promise<Complaint | null>;
  history(complaintId: string): Promise<StoredHistoryItem[]>;
  list(filter: ComplaintListFilter): Promise<Page<Complaint>>;
  /** As JobStore.park, for a complaint's wait. */
  park(
    complaintId: string,
    wait: Wait<ComplaintMilestone>,
    waitingIn: readonly ComplaintStatus[],
  ): Promise<{ parked: true } | { parked: false; complaint: Complaint }>;
}

/** The monthly figures, kept current from the table's stream (functions/domain/reports.ts). */
export interface ReportStore {
  /**
   * Adds one change's facts, each to its property and to the whole company, at most once per
   * `changeId` (all of them or none): a change applied before, a redelivered stream record,
   * changes nothing and answers false.
   */
  apply(changeId: string, facts: readonly ReportFact[]): Promise<boolean>;
  /** The figures kept for a month (`YYYY-MM`), of one property or (null) the whole company. */
  read(month: string, property: string | null): Promise<StoredReport>;
}

/** The properties' settings and the technicians' roster: few items, written by managers, read on every decision. */
export interface Directory {
  property(propertyId: string): Promise<PropertySettings | null>;
  saveProperty(propertyId: string, settings: PropertySettings): Promise<void>;
  /** Every configured property, by id. */
  properties(): Promise<(PropertySettings & { propertyId: string })[]>;
  technician(technicianId: string): Promise<Technician | null>;
  saveTechnician(technician: Technician): Promise<void>;
  /** The roster, by id; with `property`, those who work there. */
  technicians(property?: string): Promise<Technician[]>;
}

/** The two buckets: residents' and technicians' photos, and the archived repair forms (S12, S14, S23). */
export const BUCKETS = ['photos', 'forms'] as const;
export type Bucket = (typeof BUCKETS)[number];

/** What an upload may be: a presigned POST's policy fixes the key, the type and the size range. */
export interface UploadRules {
  contentType: string;
  maxBytes: number;
  expiresSeconds: number;
}

/** Files in the buckets (S3 on AWS, s3rver locally): written by the functions, read through short-lived URLs. */
export interface Files {
  uploadForm(bucket: Bucket, key: string, rules: UploadRules): Promise<UploadForm>;
  put(bucket: Bucket, key: string, body: Uint8Array, contentType: string): Promise<void>;
  /** The object's bytes and type, or null when there is none. */
  get(bucket: Bucket, key: string): Promise<{ body: Uint8Array; contentType: string } | null>;
  delete(bucket: Bucket, key: string): Promise<void>;
  /** A GET URL valid for `expiresSeconds`; with `filename`, served as a download of that name. */
  downloadUrl(bucket: Bucket, key: string, expiresSeconds: number, filename?: string): Promise<string>;
}

/** Lays out a repair form (form-words.ts) as a PDF: pdf-lib with the embedded CJK font (adapters/form-pdf.ts). */
export interface FormRenderer {
  render(form: RepairForm): Promise<Uint8Array>;
}

/** SNS. Only the outbox consumer publishes (functions/domain/outbox.ts); alerts go from the state machines. */
export interface Notifier {
  publish(about: About, notice: Notice): Promise<void>;
}

/** One state machine: the jobs' (Step) or the complaints' (ComplaintStep). */
export interface Workflow<S = Step> {
  /**
   * Idempotent: one execution per job (or complaint), named after it. With `first`, the execution
   * begins at that step; without, it asks where its subject stands — how a restarted or replayed
   * start resumes.
   */
  start(id: string, first?: S): Promise<void>;
  /** Resumes a waiting task with the next step; a token that is no longer waiting is ignored. */
  resume(token: string, next: S): Promise<void>;
}

export interface Metrics {
  record(point: MetricPoint): void;
}

export interface Logger {
  info(message: string, extra: Record<string, unknown>): void;
  warn(message: string, extra: Record<string, unknown>): void;
  error(message: string, extra: Record<string, unknown>): void;
}

/** Everything the use cases reach the world through. */
export interface Ports {
  store: JobStore;
  complaints: ComplaintStore;
  reports: ReportStore;
  directory: Directory;
  notifier: Notifier;
  files: Files;
  /** Which outbox messages went out: the outbox consumer's bookkeeping. */
  ledger: OutboxLedger;
  /** Only the outbox-stream function renders forms; the others' is a stub that says so. */
  formRenderer: FormRenderer;
  workflow: Workflow;
  complaintWorkflow: Workflow<ComplaintStep>;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  settings: DomainSettings;
}

export class ReceiptExistsError extends Error {
  constructor() {
    super('A receipt with this key exists');
  }
}

export class QuotaExceededError extends Error {
  constructor() {
    super('The quota for this window is used up');
  }
}

/** A queue of deliveries: one endpoint's events of one job or complaint, sent in order. */
export interface DeliveryQueue {
  endpointId: string;
  subject: Subject;
}

/** Outbound webhooks' endpoints and their delivery queues (functions/adapters/dynamo-webhook-store.ts). */
export interface WebhookStore {
  /** Throws ConflictError past MAX_ENDPOINTS. */
  createEndpoint(endpoint: WebhookEndpoint): Promise<void>;
  endpoint(endpointId: string): Promise<WebhookEndpoint | null>;
  endpoints(): Promise<WebhookEndpoint[]>;
  /** Conditional on the version read; false when another writer got there first. */
  saveEndpoint(endpoint: WebhookEndpoint, expectedVersion: number): Promise<boolean>;
  deleteEndpoint(endpointId: string): Promise<void>;
  /** A failed attempt: counted, `failingSince` set if it was not; the endpoint as it now is. */
  endpointFailed(endpointId: string, now: Date): Promise<WebhookEndpoint | null>;
  /** A delivered attempt: the failure count cleared. */
  endpointDelivered(endpointId: string): Promise<void>;
  /** A new delivery, unless it exists (a redelivered event): then nothing is written and false answered. */
  enqueue(delivery: Delivery): Promise<boolean>;
  /** Every delivery of a queue, in position order. */
  queue(queue: DeliveryQueue): Promise<Delivery[]>;
  delivery(endpointId: string, deliveryId: string): Promise<Delivery | null>;
  /** Conditional on the version read; false when another writer (a manual retry) got there first. */
  saveDelivery(delivery: Delivery, expectedVersion: number): Promise<boolean>;
  deliveries(
    endpointId: string,
    opts: { limit: number; nextToken?: string; status?: DeliveryStatus },
  ): Promise<Page<Delivery>>;
  /** Every queue with a pending delivery (the local stack's restart re-arms them; on AWS, operators' list). */
  pendingQueues(): Promise<DeliveryQueue[]>;
  /** Takes the queue's lease until `until`, unless another holder's has not run out; false then. */
  lease(queue: DeliveryQueue, holder: string, until: Date, now: Date): Promise<boolean>;
  release(queue: DeliveryQueue, holder: string): Promise<void>;
}

/** One POST to a checked target; never throws for the receiver's failure, which it reports. */
export interface WebhookSender {
  post(
    target: CheckedTarget,
    headers: Record<string, string>,
    body: string,
    timeoutMs: number,
  ): Promise<{ status: number } | { error: 'timeout' | 'connection' }>;
}

/** Runs the deliverer for a queue: soon (`kick`), or at a time (a retry). */
export interface DeliveryScheduler {
  kick(queue: DeliveryQueue): Promise<void>;
  at(queue: DeliveryQueue, when: Date): Promise<void>;
}

/** What the webhook use cases reach the world through, besides the domain's ports. */
export interface WebhookPorts {
  webhooks: WebhookStore;
  sender: WebhookSender;
  resolve: Resolve;
  scheduler: DeliveryScheduler;
  /** Where targets may be (webhook-target.ts): `public` on AWS, `loopback` allowed locally. */
  webhookTargets: TargetRules;
  /**
   * The real time, for the signature's webhook-timestamp (receivers check it against their own
   * clocks, ±5 minutes) and for a queue's lease (it bounds a run's real running time): never the
   * local stack's virtual time.
   */
  wallClock: Clock;
}
