import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { complaintHasNextStep } from '../domain/complaint-workflow';
import { nextComplaintDeadline } from '../domain/complaints';
import { NotFoundError } from '../domain/errors';
import type { StoredHistoryItem } from '../domain/history-chain';
import type { Clock, ComplaintListFilter, ComplaintStore, Page } from '../domain/ports';
import {
  type Complaint,
  type ComplaintMilestone,
  type ComplaintStatus,
  propertyOf,
  type Wait,
} from '../domain/types';
import { DynamoTable, withoutLayout } from './dynamo-table';
import { PropertyListings, type PropertyPartitions } from './property-listing';
import { PropertyRegistry } from './property-registry';
import { COMPLAINT_ITEM, complaintKey, INDEXES } from './table-layout';

// Complaints share the table and its indexes with jobs under their own partitions
// (table-layout.ts COMPLAINT_ITEM); they are written through DynamoJobStore.commit, the one
// transaction path, and read here.

const { byResident, byStatus, allJobs, withNextStep } = INDEXES;
/** The complaint partitions of the listing indexes, each property's own: a `C` keeps them apart from the jobs'. */
export const COMPLAINT_PARTITIONS: PropertyPartitions = {
  resident: 'CRES#',
  status: (property, status) => `CSTATUS#${property}#${status}`,
  all: (property) => `COMPLAINT#${property}`,
  step: (property) => `CSTEP#${property}`,
};

/** The withNextStep order: the next deadline, or (closed, an alert still to send) the callback's. */
const nextDeadline = (c: Complaint) => nextComplaintDeadline(c)?.dueAt ?? c.sla.callbackDueAt;

export function complaintItem(c: Complaint) {
  const order = `${c.createdAt}#${c.complaintId}`;
  const property = propertyOf(c.unitId);
  return {
    ...complaintKey(c.complaintId),
    ...c,
    [byResident.partitionKey]: `${COMPLAINT_PARTITIONS.resident}${c.residentId}`,
    [byResident.sortKey]: order,
    [byStatus.partitionKey]: COMPLAINT_PARTITIONS.status(property, c.status),
    [byStatus.sortKey]: order,
    [allJobs.partitionKey]: COMPLAINT_PARTITIONS.all(property),
    [allJobs.sortKey]: order,
    ...(complaintHasNextStep(c) && {
      [withNextStep.partitionKey]: COMPLAINT_PARTITIONS.step(property),
      [withNextStep.sortKey]: `${nextDeadline(c)}#${c.complaintId}`,
    }),
  };
}

export const complaintFromItem = (item: Record<string, unknown>) =>
  withoutLayout(item) as unknown as Complaint;

export class DynamoComplaintStore implements ComplaintStore {
  private readonly table: DynamoTable;
  private readonly listings: PropertyListings;

  constructor(client: DynamoDBClient, tableName: string, clock: Clock) {
    this.table = new DynamoTable(client, tableName, clock);
    this.listings = new PropertyListings(this.table, new PropertyRegistry(this.table), COMPLAINT_PARTITIONS);
  }

  async get(complaintId: string): Promise<Complaint | null> {
    const item = await this.table.get(complaintKey(complaintId));
    return item ? complaintFromItem(item) : null;
  }

  history(complaintId: string): Promise<StoredHistoryItem[]> {
    return this.table.history(complaintKey(complaintId).pk, COMPLAINT_ITEM.historyPrefix);
  }

  async park(complaintId: string, wait: Wait<ComplaintMilestone>, waitingIn: readonly ComplaintStatus[]) {
    if (await this.table.park(complaintKey(complaintId), wait, waitingIn)) return { parked: true } as const;
    const complaint = await this.get(complaintId);
    if (!complaint) throw new NotFoundError(`No complaint ${complaintId}`);
    return { parked: false, complaint } as const;
  }

  /**
   * The complaints the workflow still has a step for, the nearest deadline first, of some
   * properties or (absent) every one: the queue, and what a restart resumes.
   */
  listWithNextStep(
    limit: number,
    nextToken?: string,
    properties?: readonly string[],
  ): Promise<Page<Complaint>> {
    return this.listings.withNextStep({ properties, limit, nextToken }, complaintFromItem);
  }

  forgetFinished(complaintId: string, version: number): Promise<void> {
    return this.table.forgetFinished(complaintKey(complaintId), version);
  }

  async list(filter: ComplaintListFilter): Promise<Page<Complaint>> {
    if (filter.open) {
      const page = await this.listWithNextStep(filter.limit, filter.nextToken, filter.properties);
      return { ...page, items: page.items.filter((c) => c.status !== 'closed') };
    }
    return this.listings.list(filter, complaintFromItem);
  }
}
