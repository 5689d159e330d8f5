import type { Decision } from './lifecycle';
import type { MetricPoint } from './metrics';
import type { Notice } from './notifications';
import type { DomainSettings } from './policy';
import type { ReportFact, StoredReport } from './reports';
import type { HistoryItem, Job, JobMilestone, Status, Wait } from './types';
import type { Step } from './workflow';

// The only ways the domain reaches the outside world; adapters implement them for AWS
// and for the local stack alike.

export interface Clock {
  now(): Date;
}

/** Written in the same transaction as the job, so a failed request consumes neither. */
export interface Receipt {
  kind: 'idempotency' | 'webhook';
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
  status?: Status;
  /** The jobs the workflow still times (open ones), oldest first. */
  open?: boolean;
  limit: number;
  nextToken?: string;
}

export interface JobStore {
  get(jobId: string): Promise<Job | null>;
  /**
   * Writes the job, its history, the receipt and the quota count atomically; throws
   * ReceiptExistsError if the receipt is taken, QuotaExceededError if the quota is full.
   */
  create(decision: Decision, receipt?: Receipt, quota?: Quota): Promise<void>;
  /** Conditional on `expectedVersion`; throws StaleWriteError when another writer got there first. */
  save(decision: Decision, expectedVersion: number, receipt?: Receipt): Promise<void>;
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
  history(jobId: string): Promise<HistoryItem[]>;
  list(filter: ListFilter): Promise<Page<Job>>;
  receipt(kind: Receipt['kind'], key: string): Promise<Receipt | null>;
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

export interface Notifier {
  publish(jobId: string, notice: Notice): Promise<void>;
}

export interface Workflow {
  /**
   * Idempotent: one execution per job, named after it. With `first`, the execution begins at that
   * step; without, it asks where the job stands — how a restarted or replayed start resumes.
   */
  start(jobId: string, first?: Step): Promise<void>;
  /** Resumes a waiting task with the job's next step; a token that is no longer waiting is ignored. */
  resume(token: string, next: Step): Promise<void>;
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
  reports: ReportStore;
  notifier: Notifier;
  workflow: Workflow;
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
