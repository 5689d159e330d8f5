import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { holderOf } from '../domain/dispatch';
import { NotFoundError } from '../domain/errors';
import { chainOnto, type StoredHistoryItem } from '../domain/history-chain';
import type { Decision } from '../domain/lifecycle';
import type { SignedJob } from '../domain/links';
import { entryOf, type OutboxedWrite } from '../domain/outbox';
import type { Clock, JobStore, ListFilter, Page, Quota, Receipt, Write } from '../domain/ports';
import { FINAL } from '../domain/sla';
import {
  type Category,
  type Job,
  type JobMilestone,
  NO_LINKS,
  propertyOf,
  type Status,
  type Wait,
} from '../domain/types';
import { hasNextStep } from '../domain/workflow';
import { complaintItem } from './dynamo-complaint-store';
import { outboxItem } from './dynamo-outbox';
import { type AggregatePut, DynamoTable, withoutLayout } from './dynamo-table';
import { PropertyListings, type PropertyPartitions } from './property-listing';
import { PropertyRegistry } from './property-registry';
import { COMPLAINT_ITEM, complaintKey, INDEXES, JOB_ITEM, jobKey } from './table-layout';

// Single-table layout (table-layout.ts; docs/architecture.md "Data"): job JOB#<id>/JOB, history
// JOB#<id>/EVT#<at>#<version>#<n>, receipts IDEM#<key> or HOOK#<key>/RECEIPT with a TTL. GSIs
// serve every listing, each property in partitions of its own; nothing scans.

const { byResident, byStatus, allJobs, withNextStep, lastSigned, byTechnician } = INDEXES;
/**
 * The job partitions of the listing indexes: a resident's, and each property's by status, all of
 * them, and (sparse: only jobs the workflow still has a step for) withNextStep.
 */
export const JOB_PARTITIONS: PropertyPartitions = {
  resident: 'RES#',
  status: (property, status) => `STATUS#${property}#${status}`,
  all: (property) => `JOB#${property}`,
  step: (property) => `STEP#${property}`,
};
const signedPartition = (unitId: string, category: Category) => `SIGNED#${unitId}#${category}`;
const holderPartition = (technicianId: string) => `TECH#${technicianId}`;

/** The job as its table item, with the keys of every index it belongs to. */
export function jobItem(job: Job) {
  const order = `${job.createdAt}#${job.jobId}`;
  const holder = holderOf(job);
  const property = propertyOf(job.unitId);
  return {
    ...jobKey(job.jobId),
    ...job,
    [byResident.partitionKey]: `${JOB_PARTITIONS.resident}${job.residentId}`,
    [byResident.sortKey]: order,
    [byStatus.partitionKey]: JOB_PARTITIONS.status(property, job.status),
    [byStatus.sortKey]: order,
    [allJobs.partitionKey]: JOB_PARTITIONS.all(property),
    [allJobs.sortKey]: order,
    ...(hasNextStep(job) && {
      [withNextStep.partitionKey]: JOB_PARTITIONS.step(property),
      [withNextStep.sortKey]: order,
    }),
    ...(job.signedAt && {
      [lastSigned.partitionKey]: signedPartition(job.unitId, job.category),
      [lastSigned.sortKey]: `${job.signedAt}#${job.jobId}`,
    }),
    ...(holder && {
      [byTechnician.partitionKey]: holderPartition(holder),
      [byTechnician.sortKey]: order,
    }),
  };
}

/** The job an item holds, without the table's key attributes (also how a stream image is read). */
export function jobFromItem(item: Record<string, unknown>): Job {
  // Items written before 0.6 carry none of signedAt, links, recall; before dispatch, no offer;
  // before the archived forms, no signature or form.
  return {
    signedAt: null,
    signature: null,
    form: null,
    links: NO_LINKS,
    recall: null,
    offer: null,
    ...withoutLayout(item),
  } as unknown as Job;
}

/** The property a write belongs to: where its item lists. */
const propertyOfWrite = (w: Write) =>
  propertyOf(w.kind === 'job' ? w.decision.job.unitId : w.decision.complaint.unitId);

/**
 * A write as the table's transaction takes it: the aggregate's item, keys and history, the new
 * items chained onto the head the aggregate was read with (the version condition makes that the
 * current head) and the item carrying the new one; and its outbox entry.
 */
function aggregatePut(w: OutboxedWrite): AggregatePut {
  const outbox = w.messages.length ? { outbox: outboxItem(entryOf(w)) } : {};
  if (w.kind === 'job') {
    const { job } = w.decision;
    const { items: history, head } = chainOnto(
      { subject: 'job', id: job.jobId },
      job.historyHead ?? null,
      w.decision.history,
    );
    return {
      key: jobKey(job.jobId),
      item: { ...jobItem(job), ...(head && { historyHead: head }) },
      version: job.version,
      expectedVersion: w.expectedVersion,
      history,
      historyPrefix: JOB_ITEM.historyPrefix,
      ...outbox,
    };
  }
  const { complaint } = w.decision;
  const { items: history, head } = chainOnto(
    { subject: 'complaint', id: complaint.complaintId },
    complaint.historyHead ?? null,
    w.decision.history,
  );
  return {
    key: complaintKey(complaint.complaintId),
    item: { ...complaintItem(complaint), ...(head && { historyHead: head }) },
    version: complaint.version,
    expectedVersion: w.expectedVersion,
    history,
    historyPrefix: COMPLAINT_ITEM.historyPrefix,
    ...outbox,
  };
}

export class DynamoJobStore implements JobStore {
  private readonly table: DynamoTable;
  private readonly registry: PropertyRegistry;
  private readonly listings: PropertyListings;

  constructor(client: DynamoDBClient, tableName: string, clock: Clock) {
    this.table = new DynamoTable(client, tableName, clock);
    this.registry = new PropertyRegistry(this.table);
    this.listings = new PropertyListings(this.table, this.registry, JOB_PARTITIONS);
  }

  async get(jobId: string): Promise<Job | null> {
    const item = await this.table.get(jobKey(jobId));
    return item ? jobFromItem(item) : null;
  }

  /** A new job announcing nothing: for tests and tools (the use cases commit with their messages). */
  create(decision: Decision, receipt?: Receipt, quota?: Quota): Promise<void> {
    return this.commit([{ kind: 'job', decision, expectedVersion: null, messages: [] }], receipt, quota);
  }

  /** A job's update announcing nothing: for tests and tools, as create. */
  save(decision: Decision, expectedVersion: number, receipt?: Receipt): Promise<void> {
    return this.commit([{ kind: 'job', decision, expectedVersion, messages: [] }], receipt);
  }

  async commit(writes: readonly OutboxedWrite[], receipt?: Receipt, quota?: Quota): Promise<void> {
    // Before the transaction, so a committed job's property is always among those a company
    // listing merges (once per property and process; a failed transaction costs nothing more).
    await this.registry.note(writes.map(propertyOfWrite));
    return this.table.commit(writes.map(aggregatePut), receipt, quota);
  }

  /**
   * One UpdateItem, not a read and a transaction: parking a token is the workflow's own bookkeeping
   * (no history, no status change, so no index key moves), and runs once per milestone of every job.
   */
  async park(jobId: string, wait: Wait<JobMilestone>, waitingIn: readonly Status[]) {
    if (await this.table.park(jobKey(jobId), wait, waitingIn)) return { parked: true } as const;
    // Rare (the event came first): read the job to tell the machine where it is now.
    const job = await this.get(jobId);
    if (!job) throw new NotFoundError(`No job ${jobId}`);
    return { parked: false, job } as const;
  }

  receipt(kind: Receipt['kind'], key: string): Promise<Receipt | null> {
    return this.table.receipt(kind, key);
  }

  history(jobId: string): Promise<StoredHistoryItem[]> {
    return this.table.history(jobKey(jobId).pk, JOB_ITEM.historyPrefix);
  }

  async openJobsOf(technicianId: string): Promise<number> {
    return this.table.count('byTechnician', holderPartition(technicianId));
  }

  async lastSigned(unitId: string, category: Category): Promise<SignedJob | null> {
    const input = this.table.queryIndex('lastSigned', signedPartition(unitId, category), {
      limit: 1,
      newestFirst: true,
    });
    const [last] = (await this.table.page(input, jobFromItem)).items;
    return last?.signedAt
      ? { jobId: last.jobId, technician: last.technician, signedAt: last.signedAt }
      : null;
  }

  /**
   * The jobs the workflow still has a step for (hasNextStep), oldest first, from the sparse index,
   * of some properties or (absent) every one: the board, and what the local stack's restart resumes.
   */
  listWithNextStep(limit: number, nextToken?: string, properties?: readonly string[]): Promise<Page<Job>> {
    return this.listings.withNextStep({ properties, limit, nextToken }, jobFromItem);
  }

  /** Takes a job that no longer has a step off that index, unless it changed since `version`. */
  forgetFinished(jobId: string, version: number): Promise<void> {
    return this.table.forgetFinished(jobKey(jobId), version);
  }

  /** The board: open jobs, oldest first, from the sparse index (an ended job waiting only to alert is left out). */
  private async openJobs(filter: ListFilter): Promise<Page<Job>> {
    const page = await this.listWithNextStep(filter.limit, filter.nextToken, filter.properties);
    return { ...page, items: page.items.filter((j) => !FINAL.includes(j.status)) };
  }

  async list(filter: ListFilter) {
    if (filter.open) return this.openJobs(filter);
    return this.listings.list(filter, jobFromItem);
  }
}
