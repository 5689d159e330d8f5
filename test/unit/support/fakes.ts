import type { ComplaintStep } from '../../../functions/domain/complaint-workflow';
import type { ComplaintDecision } from '../../../functions/domain/complaints';
import { holderOf } from '../../../functions/domain/dispatch';
import { NotFoundError, StaleWriteError } from '../../../functions/domain/errors';
import type { RepairForm } from '../../../functions/domain/form-words';
import type { StoredHistoryItem } from '../../../functions/domain/history-chain';
import type { Decision } from '../../../functions/domain/lifecycle';
import type { SignedJob } from '../../../functions/domain/links';
import type { MetricPoint } from '../../../functions/domain/metrics';
import type { About, Notice } from '../../../functions/domain/notifications';
import {
  deliverEntry,
  entryOf,
  type OutboxEntry,
  type OutboxedWrite,
  type OutboxLedger,
} from '../../../functions/domain/outbox';
import type { PropertySettings, Technician } from '../../../functions/domain/policy';
import type { Ports } from '../../../functions/domain/ports';
import {
  type Bucket,
  type Clock,
  type ComplaintListFilter,
  type ComplaintStore,
  type Directory,
  type Files,
  type FormRenderer,
  type JobStore,
  type ListFilter,
  type Logger,
  type Metrics,
  type Notifier,
  type Page,
  type Receipt,
  ReceiptExistsError,
  type ReportStore,
  type UploadRules,
  type Workflow,
} from '../../../functions/domain/ports';
import type { ReportFact, StoredReport } from '../../../functions/domain/reports';
import {
  type Category,
  type Complaint,
  type ComplaintMilestone,
  type ComplaintStatus,
  type Job,
  type JobMilestone,
  propertyOf,
  type Status,
  type Wait,
} from '../../../functions/domain/types';
import type { Step } from '../../../functions/domain/workflow';
import { NOW, settings } from './fixtures';

// Small in-memory implementations of our own ports: they keep the contracts of the
// interfaces (conditional writes, receipts in the same "transaction") and record calls.

const receiptId = (kind: Receipt['kind'], key: string) => `${kind}#${key}`;

export class FakeJobStore implements JobStore {
  readonly jobs = new Map<string, Job>();
  readonly histories = new Map<string, StoredHistoryItem[]>();
  readonly receipts = new Map<string, Receipt>();
  readonly calls = { get: 0, create: 0, save: 0, receipt: 0, park: 0 };
  lastFilter: ListFilter | undefined;
  /** Runs before each save is checked, so a test can play a concurrent writer. */
  beforeSave: ((attempt: number) => void) | undefined;

  put(job: Job): this {
    this.jobs.set(job.jobId, structuredClone(job));
    return this;
  }

  async get(jobId: string): Promise<Job | null> {
    this.calls.get++;
    const job = this.jobs.get(jobId);
    return job ? structuredClone(job) : null;
  }

  /** Every outbox entry committed, in order (the table's OUTBOX# items). */
  readonly outbox: OutboxEntry[] = [];
  /** Sees each commit's entries after it committed: fakePorts delivers them at once, as a stream that keeps up. */
  afterCommit: ((entries: OutboxEntry[]) => Promise<void>) | undefined;

  /** All of `writes` or none, as the table's transaction. */
  async commit(writes: readonly OutboxedWrite[], receipt?: Receipt): Promise<void> {
    const updates = writes.filter((w) => w.expectedVersion !== null).length;
    if (writes.some((w) => w.expectedVersion === null)) this.calls.create++;
    if (updates) {
      this.calls.save++;
      this.beforeSave?.(this.calls.save);
    }
    if (receipt && this.receipts.has(receiptId(receipt.kind, receipt.key))) throw new ReceiptExistsError();
    for (const w of writes) {
      const current =
        w.kind === 'job'
          ? this.jobs.get(w.decision.job.jobId)
          : this.complaints.items.get(w.decision.complaint.complaintId);
      if (w.expectedVersion === null ? current : current?.version !== w.expectedVersion)
        throw new StaleWriteError();
    }
    for (const w of writes)
      if (w.kind === 'job') this.apply(w.decision);
      else this.complaints.apply(w.decision);
    if (receipt) this.receipts.set(receiptId(receipt.kind, receipt.key), structuredClone(receipt));
    const entries = writes.filter((w) => w.messages.length).map((w) => structuredClone(entryOf(w)));
    this.outbox.push(...entries);
    await this.afterCommit?.(entries);
  }

  /** The complaints committed through this store (one write path, as DynamoJobStore.commit). */
  readonly complaints = new FakeComplaintStore();
  readonly signed = new Map<string, SignedJob>();

  async lastSigned(unitId: string, category: Category): Promise<SignedJob | null> {
    const jobs = [...this.jobs.values()].filter(
      (j) => j.unitId === unitId && j.category === category && j.signedAt,
    );
    jobs.sort((a, b) => (a.signedAt as string).localeCompare(b.signedAt as string));
    const last = jobs.at(-1);
    return last
      ? { jobId: last.jobId, technician: last.technician, signedAt: last.signedAt as string }
      : null;
  }

  /** As the byTechnician index: the jobs this technician holds now. */
  async openJobsOf(technicianId: string): Promise<number> {
    return [...this.jobs.values()].filter((j) => holderOf(j) === technicianId).length;
  }

  async park(jobId: string, wait: Wait<JobMilestone>, waitingIn: readonly Status[]) {
    this.calls.park++;
    const job = this.jobs.get(jobId);
    if (!job) throw new NotFoundError(`No job ${jobId}`);
    if (!waitingIn.includes(job.status)) return { parked: false, job: structuredClone(job) } as const;
    this.jobs.set(jobId, { ...job, wait: { ...wait }, version: job.version + 1 });
    return { parked: true } as const;
  }

  private apply(decision: Decision) {
    this.jobs.set(decision.job.jobId, structuredClone(decision.job));
    this.histories.set(decision.job.jobId, [
      ...(this.histories.get(decision.job.jobId) ?? []),
      ...decision.history,
    ]);
  }

  async history(jobId: string): Promise<StoredHistoryItem[]> {
    return this.histories.get(jobId) ?? [];
  }

  async list(filter: ListFilter): Promise<Page<Job>> {
    this.lastFilter = filter;
    const items = [...this.jobs.values()].filter(
      (j) =>
        (!filter.residentId || j.residentId === filter.residentId) &&
        (!filter.properties || filter.properties.includes(propertyOf(j.unitId))) &&
        (!filter.status || j.status === filter.status),
    );
    return { items: items.slice(0, filter.limit), ...(items.length > filter.limit && { nextToken: 'more' }) };
  }

  async receipt(kind: Receipt['kind'], key: string): Promise<Receipt | null> {
    this.calls.receipt++;
    return structuredClone(this.receipts.get(receiptId(kind, key)) ?? null);
  }
}

export class FakeComplaintStore implements ComplaintStore {
  readonly items = new Map<string, Complaint>();
  readonly histories = new Map<string, StoredHistoryItem[]>();

  apply(d: ComplaintDecision) {
    this.items.set(d.complaint.complaintId, structuredClone(d.complaint));
    this.histories.set(d.complaint.complaintId, [
      ...(this.histories.get(d.complaint.complaintId) ?? []),
      ...d.history,
    ]);
  }

  async get(id: string) {
    const c = this.items.get(id);
    return c ? structuredClone(c) : null;
  }

  async history(id: string) {
    return this.histories.get(id) ?? [];
  }

  async list(filter: ComplaintListFilter): Promise<Page<Complaint>> {
    const items = [...this.items.values()].filter(
      (c) =>
        (!filter.residentId || c.residentId === filter.residentId) &&
        (!filter.properties || filter.properties.includes(propertyOf(c.unitId))) &&
        (!filter.status || c.status === filter.status) &&
        (!filter.open || c.status !== 'closed'),
    );
    return { items: items.slice(0, filter.limit) };
  }

  async park(id: string, wait: Wait<ComplaintMilestone>, waitingIn: readonly ComplaintStatus[]) {
    const c = this.items.get(id);
    if (!c) throw new NotFoundError(`No complaint ${id}`);
    if (!waitingIn.includes(c.status)) return { parked: false, complaint: structuredClone(c) } as const;
    this.items.set(id, { ...c, wait: { ...wait }, version: c.version + 1 });
    return { parked: true } as const;
  }
}

/** The report store's contract in memory: each change once, each fact under its property and the company (null). */
/** The directory in memory: properties and technicians by id. */
export class FakeDirectory implements Directory {
  readonly propertyItems = new Map<string, PropertySettings>();
  readonly technicianItems = new Map<string, Technician>();
  async property(propertyId: string) {
    return this.propertyItems.get(propertyId) ?? null;
  }
  async saveProperty(propertyId: string, settings: PropertySettings) {
    this.propertyItems.set(propertyId, settings);
  }
  async properties() {
    return [...this.propertyItems].map(([propertyId, s]) => ({ ...s, propertyId }));
  }
  async technician(technicianId: string) {
    return this.technicianItems.get(technicianId) ?? null;
  }
  async saveTechnician(t: Technician) {
    this.technicianItems.set(t.technicianId, t);
  }
  async technicians(property?: string) {
    const all = [...this.technicianItems.values()];
    return property ? all.filter((t) => t.properties.includes(property)) : all;
  }
}

export class FakeReportStore implements ReportStore {
  readonly applied = new Set<string>();
  private readonly scopes = new Map<string, StoredReport>();

  async apply(changeId: string, facts: readonly ReportFact[]): Promise<boolean> {
    if (this.applied.has(changeId)) return false;
    this.applied.add(changeId);
    for (const fact of facts)
      for (const scope of [fact.property, null]) {
        const report = this.scope(fact.month, scope);
        let counters = report.totals as Record<string, number>;
        if (fact.technician) {
          const { id, name } = fact.technician;
          const rows = report.technicians as StoredReport['technicians'][number][];
          let row = rows.find((t) => t.id === id);
          if (!row) {
            row = { id, name, counters: {} };
            rows.push(row);
          }
          counters = row.counters as Record<string, number>;
        }
        counters[fact.counter] = (counters[fact.counter] ?? 0) + fact.by;
      }
    return true;
  }

  async read(month: string, property: string | null): Promise<StoredReport> {
    return structuredClone(this.scope(month, property));
  }

  private scope(month: string, property: string | null): StoredReport {
    const key = `${month}#${property}`;
    const report = this.scopes.get(key) ?? { totals: {}, technicians: [] };
    this.scopes.set(key, report);
    return report;
  }
}

export class FakeNotifier implements Notifier {
  readonly published: Array<{ jobId?: string; complaintId?: string; notice: Notice }> = [];
  failWith: Error | undefined;

  async publish(about: About, notice: Notice): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.published.push({ ...about, notice });
  }
}

/** The outbox entries' delivered marks in memory, by subject and version. */
export class FakeOutboxLedger implements OutboxLedger {
  readonly marks = new Map<string, Set<string>>();
  readonly completed = new Set<string>();
  private key = (e: OutboxEntry) => `${e.subject}#${e.subjectId}#${e.version}`;

  async delivered(entry: OutboxEntry): Promise<ReadonlySet<string>> {
    return new Set(this.marks.get(this.key(entry)));
  }

  async markDelivered(entry: OutboxEntry, ids: readonly string[], complete: boolean): Promise<void> {
    const marks = this.marks.get(this.key(entry)) ?? new Set();
    for (const id of ids) marks.add(id);
    this.marks.set(this.key(entry), marks);
    if (complete) this.completed.add(this.key(entry));
  }
}

export class FakeWorkflow<S = Step> implements Workflow<S> {
  readonly started: string[] = [];
  /** The first step each start was given (undefined: the execution reads the job). */
  readonly firstSteps: Array<S | undefined> = [];
  readonly resumed: string[] = [];
  /** The step each resume handed the machine. */
  readonly nextSteps: S[] = [];
  failResumeWith: Error | undefined;
  failStartWith: Error | undefined;

  async start(jobId: string, first?: S): Promise<void> {
    if (this.failStartWith) throw this.failStartWith;
    this.started.push(jobId);
    this.firstSteps.push(first);
  }

  async resume(token: string, next: S): Promise<void> {
    if (this.failResumeWith) throw this.failResumeWith;
    this.resumed.push(token);
    this.nextSteps.push(next);
  }
}

export class FakeLogger implements Logger {
  readonly lines: Array<{
    level: 'info' | 'warn' | 'error';
    message: string;
    extra: Record<string, unknown>;
  }> = [];
  info(message: string, extra: Record<string, unknown>) {
    this.lines.push({ level: 'info', message, extra });
  }
  warn(message: string, extra: Record<string, unknown>) {
    this.lines.push({ level: 'warn', message, extra });
  }
  error(message: string, extra: Record<string, unknown>) {
    this.lines.push({ level: 'error', message, extra });
  }
}

export class FakeMetrics implements Metrics {
  readonly points: MetricPoint[] = [];
  record(point: MetricPoint) {
    this.points.push(point);
  }
}

/** The buckets in memory; an upload form points nowhere (the unit tests only read its fields). */
export class FakeFiles implements Files {
  readonly objects = new Map<string, { body: Uint8Array; contentType: string }>();
  /** Every put, in order (`bucket/key`): on a versioned bucket each is a version. */
  readonly puts: string[] = [];
  /** Every upload form asked for, with the rules its policy would fix. */
  readonly forms: Array<{ bucket: Bucket; key: string; rules: UploadRules }> = [];
  private readonly at = (bucket: Bucket, key: string) => `${bucket}/${key}`;
  async uploadForm(bucket: Bucket, key: string, rules: UploadRules) {
    this.forms.push({ bucket, key, rules });
    return { url: `https://files.test/${bucket}`, fields: { key, 'Content-Type': rules.contentType } };
  }
  async put(bucket: Bucket, key: string, body: Uint8Array, contentType: string) {
    this.objects.set(this.at(bucket, key), { body, contentType });
    this.puts.push(this.at(bucket, key));
  }
  async get(bucket: Bucket, key: string) {
    return this.objects.get(this.at(bucket, key)) ?? null;
  }
  async delete(bucket: Bucket, key: string) {
    this.objects.delete(this.at(bucket, key));
  }
  async downloadUrl(bucket: Bucket, key: string, expiresSeconds: number) {
    return `https://files.test/${this.at(bucket, key)}?expires=${expiresSeconds}`;
  }
}

/** A form "rendered" as its JSON (the signature as its length): the tests read back what it was told. */
export class FakeFormRenderer implements FormRenderer {
  readonly rendered: RepairForm[] = [];
  async render(form: RepairForm) {
    this.rendered.push(form);
    const { signature, ...rest } = form;
    return new TextEncoder().encode(JSON.stringify({ ...rest, signatureBytes: signature.png.length }));
  }
}

export class FakeClock implements Clock {
  constructor(private current: Date = NOW) {}
  now() {
    return new Date(this.current);
  }
  set(to: Date) {
    this.current = to;
  }
}

export interface FakePorts extends Ports {
  store: FakeJobStore;
  complaints: FakeComplaintStore;
  reports: FakeReportStore;
  directory: FakeDirectory;
  notifier: FakeNotifier;
  files: FakeFiles;
  ledger: FakeOutboxLedger;
  /** Entries whose delivery failed (SNS or StartExecution down): the stream would deliver them again. */
  undelivered: OutboxEntry[];
  /** Delivers the undelivered entries again, as the stream's retry does. */
  redeliver(): Promise<void>;
  formRenderer: FakeFormRenderer;
  workflow: FakeWorkflow;
  complaintWorkflow: FakeWorkflow<ComplaintStep>;
  clock: FakeClock;
  logger: FakeLogger;
  metrics: FakeMetrics;
}

export function fakePorts(): FakePorts {
  const store = new FakeJobStore();
  const undelivered: OutboxEntry[] = [];
  const deliver = async (entries: readonly OutboxEntry[]) => {
    for (const entry of entries)
      await deliverEntry(p, entry).catch(() => {
        undelivered.push(entry);
      });
  };
  store.afterCommit = deliver;
  const p: FakePorts = {
    store,
    ledger: new FakeOutboxLedger(),
    undelivered,
    redeliver: () => deliver(undelivered.splice(0)),
    complaints: store.complaints,
    reports: new FakeReportStore(),
    directory: new FakeDirectory(),
    notifier: new FakeNotifier(),
    files: new FakeFiles(),
    formRenderer: new FakeFormRenderer(),
    workflow: new FakeWorkflow(),
    complaintWorkflow: new FakeWorkflow<ComplaintStep>(),
    clock: new FakeClock(),
    logger: new FakeLogger(),
    metrics: new FakeMetrics(),
    settings: settings(),
  };
  return p;
}
