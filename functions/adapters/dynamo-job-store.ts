import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
  type QueryCommandOutput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { NotFoundError, StaleWriteError, UnavailableError, ValidationError } from '../domain/errors';
import type { Decision } from '../domain/lifecycle';
import {
  type Clock,
  type JobStore,
  type ListFilter,
  type Page,
  type Quota,
  QuotaExceededError,
  type Receipt,
  ReceiptExistsError,
} from '../domain/ports';
import { FINAL } from '../domain/sla';
import {
  type HistoryItem,
  type Job,
  type JobMilestone,
  NO_LINKS,
  type Status,
  type Wait,
} from '../domain/types';
import { hasNextStep } from '../domain/workflow';
import { isTransient } from './dynamo-errors';
import { INDEXES, JOB_ITEM, jobKey, KEY, TTL_ATTRIBUTE } from './table-layout';

// Single-table layout (table-layout.ts; docs/architecture.md "Data"): job JOB#<id>/JOB, history
// JOB#<id>/EVT#<at>#<version>#<n>, receipts IDEM#<key> or HOOK#<key>/RECEIPT with a TTL. GSIs
// serve every listing; nothing scans.

const RECEIPT_TTL_SECONDS = { idempotency: 24 * 3600, webhook: 7 * 24 * 3600 } as const;
const { byResident, byStatus, allJobs, withNextStep } = INDEXES;
/** The one partition of the sparse withNextStep index: only jobs the workflow still has a step for carry it. */
const NEXT_STEP_PARTITION = 'STEP';
const NEW_ITEM = `attribute_not_exists(${KEY.partition})`;

const unavailable = () =>
  new UnavailableError('The job store is briefly unavailable; nothing was changed', 2);

const receiptKey = (kind: Receipt['kind'], key: string) => ({
  [KEY.partition]: `${kind === 'idempotency' ? 'IDEM' : 'HOOK'}#${key}`,
  [KEY.sort]: 'RECEIPT',
});

/** The job as its table item, with the keys of every index it belongs to. */
export function jobItem(job: Job) {
  const order = `${job.createdAt}#${job.jobId}`;
  return {
    ...jobKey(job.jobId),
    ...job,
    [byResident.partitionKey]: `RES#${job.residentId}`,
    [byResident.sortKey]: order,
    [byStatus.partitionKey]: `STATUS#${job.status}`,
    [byStatus.sortKey]: order,
    [allJobs.partitionKey]: 'JOB',
    [allJobs.sortKey]: order,
    ...(hasNextStep(job) && {
      [withNextStep.partitionKey]: NEXT_STEP_PARTITION,
      [withNextStep.sortKey]: order,
    }),
  };
}

const LAYOUT_ATTRIBUTES = new Set<string>([
  KEY.partition,
  KEY.sort,
  ...Object.values(INDEXES).flatMap((i) => [i.partitionKey, i.sortKey]),
]);

/** The job an item holds, without the table's key attributes (also how a stream image is read). */
export function jobFromItem(item: Record<string, unknown>): Job {
  return {
    // Items written before 0.6 carry none of these.
    signedAt: null,
    links: NO_LINKS,
    recall: null,
    ...Object.fromEntries(Object.entries(item).filter(([k]) => !LAYOUT_ATTRIBUTES.has(k))),
  } as unknown as Job;
}

export class DynamoJobStore implements JobStore {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly table: string,
    private readonly clock: Clock,
  ) {
    this.doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  async get(jobId: string): Promise<Job | null> {
    const out = await this.send(() =>
      this.doc.send(new GetCommand({ TableName: this.table, Key: jobKey(jobId), ConsistentRead: true })),
    );
    return out.Item ? jobFromItem(out.Item) : null;
  }

  create(decision: Decision, receipt?: Receipt, quota?: Quota): Promise<void> {
    return this.write(decision, { ConditionExpression: NEW_ITEM }, receipt, quota);
  }

  save(decision: Decision, expectedVersion: number, receipt?: Receipt): Promise<void> {
    return this.write(
      decision,
      {
        ConditionExpression: 'version = :expected',
        ExpressionAttributeValues: { ':expected': expectedVersion },
      },
      receipt,
    );
  }

  /**
   * One UpdateItem, not a read and a transaction: parking a token is the workflow's own bookkeeping
   * (no history, no status change, so no index key moves), and runs once per milestone of every job.
   */
  async park(jobId: string, wait: Wait<JobMilestone>, waitingIn: readonly Status[]) {
    const statuses = Object.fromEntries(waitingIn.map((s, i) => [`:s${i}`, s]));
    const parked = await this.updateJobIf(jobId, {
      UpdateExpression: 'SET #wait = :wait, #version = #version + :one',
      ConditionExpression: `attribute_exists(${KEY.partition}) AND #status IN (${Object.keys(statuses).join(', ')})`,
      ExpressionAttributeNames: { '#wait': 'wait', '#version': 'version', '#status': 'status' },
      ExpressionAttributeValues: { ':wait': wait, ':one': 1, ...statuses },
    });
    if (parked) return { parked: true } as const;
    // Rare (the event came first): read the job to tell the machine where it is now.
    const job = await this.get(jobId);
    if (!job) throw new NotFoundError(`No job ${jobId}`);
    return { parked: false, job } as const;
  }

  /** One conditional UpdateItem on the job item; false when its condition did not hold. */
  private async updateJobIf(
    jobId: string,
    update: Omit<UpdateCommandInput, 'TableName' | 'Key'>,
  ): Promise<boolean> {
    try {
      await this.send(() =>
        this.doc.send(new UpdateCommand({ TableName: this.table, Key: jobKey(jobId), ...update })),
      );
      return true;
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) return false;
      throw e;
    }
  }

  /** One transaction: the job, its history, and the quota counter and receipt where given. */
  private async write(
    decision: Decision,
    condition: object,
    receipt?: Receipt,
    quota?: Quota,
  ): Promise<void> {
    const { job } = decision;
    const items: object[] = [{ Put: { TableName: this.table, Item: jobItem(job), ...condition } }];
    for (const [i, h] of decision.history.entries()) {
      const sk = `${JOB_ITEM.historyPrefix}${h.at}#${String(job.version).padStart(6, '0')}#${i}`;
      items.push({
        Put: {
          TableName: this.table,
          Item: { ...jobKey(job.jobId), [KEY.sort]: sk, ...h },
          ConditionExpression: NEW_ITEM,
        },
      });
    }
    const quotaAt = quota ? items.push(this.quotaUpdate(quota)) - 1 : -1;
    const receiptAt = receipt ? items.push(this.receiptPut(receipt)) - 1 : -1;
    try {
      await this.send(() =>
        this.doc.send(
          new TransactWriteCommand({ TransactItems: items as TransactWriteCommandInput['TransactItems'] }),
        ),
      );
    } catch (e) {
      if (!(e instanceof TransactionCanceledException)) throw e;
      const failed = (at: number) =>
        at >= 0 && e.CancellationReasons?.[at]?.Code === 'ConditionalCheckFailed';
      if (failed(receiptAt)) throw new ReceiptExistsError();
      if (failed(quotaAt)) throw new QuotaExceededError();
      if (failed(0)) throw new StaleWriteError();
      if (
        e.CancellationReasons?.some((r) => r.Code === 'TransactionConflict' || r.Code === 'ThrottlingError')
      )
        throw unavailable();
      throw e;
    }
  }

  private receiptPut(receipt: Receipt) {
    return {
      Put: {
        TableName: this.table,
        Item: {
          ...receiptKey(receipt.kind, receipt.key),
          ...receipt,
          [TTL_ATTRIBUTE]: Math.floor(this.clock.now().getTime() / 1000) + RECEIPT_TTL_SECONDS[receipt.kind],
        },
        ConditionExpression: NEW_ITEM,
      },
    };
  }

  /** A counter per caller and window, expiring with its window: the write fails once it is full. */
  private quotaUpdate(quota: Quota) {
    return {
      Update: {
        TableName: this.table,
        Key: { [KEY.partition]: `QUOTA#${quota.key}`, [KEY.sort]: 'QUOTA' },
        UpdateExpression: 'ADD #count :one SET #ttl = :ttl',
        ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
        ExpressionAttributeNames: { '#count': 'count', '#ttl': TTL_ATTRIBUTE },
        ExpressionAttributeValues: {
          ':one': 1,
          ':limit': quota.limit,
          ':ttl': Math.floor(quota.windowEndsAt.getTime() / 1000) + 3600,
        },
      },
    };
  }

  /** Every call to DynamoDB: a transient failure becomes a 503 with Retry-After, never a 500. */
  private async send<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (e) {
      if (isTransient(e)) throw unavailable();
      throw e;
    }
  }

  async receipt(kind: Receipt['kind'], key: string): Promise<Receipt | null> {
    const out = await this.send(() =>
      this.doc.send(
        new GetCommand({ TableName: this.table, Key: receiptKey(kind, key), ConsistentRead: true }),
      ),
    );
    if (!out.Item) return null;
    const { kind: k, key: rk, bodyHash, result } = out.Item as Receipt;
    return { kind: k, key: rk, bodyHash, result };
  }

  async history(jobId: string): Promise<HistoryItem[]> {
    const items: HistoryItem[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const query = new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: `${KEY.partition} = :pk AND begins_with(${KEY.sort}, :evt)`,
        ExpressionAttributeValues: { ':pk': jobKey(jobId)[KEY.partition], ':evt': JOB_ITEM.historyPrefix },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      });
      const out: QueryCommandOutput = await this.send(() => this.doc.send(query));
      for (const { type, at, actor, data } of out.Items ?? []) items.push({ type, at, actor, data });
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  }

  /**
   * The jobs the workflow still has a step for (hasNextStep), oldest first, from the sparse index:
   * what the local stack's restart resumes. Not a domain port: no use case needs it.
   */
  async listWithNextStep(limit: number, nextToken?: string) {
    const input: QueryCommandInput = {
      TableName: this.table,
      IndexName: 'withNextStep',
      KeyConditionExpression: `${withNextStep.partitionKey} = :p`,
      ExpressionAttributeValues: { ':p': NEXT_STEP_PARTITION },
      Limit: limit,
      ExclusiveStartKey: decodeToken(nextToken, withNextStep.partitionKey, NEXT_STEP_PARTITION),
    };
    return this.page(input);
  }

  /**
   * Takes a job that no longer has a step off that index, unless it changed since `version`: the
   * state machine marks the last alert sent with its own write ("Mark the alert sent"), which leaves it on.
   */
  async forgetFinished(jobId: string, version: number): Promise<void> {
    // Bookkeeping of the index only: no history, and the version stays (nothing to re-decide).
    // A failed condition means it changed meanwhile: its new write put the keys as they should be.
    await this.updateJobIf(jobId, {
      UpdateExpression: 'REMOVE #pk, #sk',
      ConditionExpression: '#version = :version',
      ExpressionAttributeNames: {
        '#pk': withNextStep.partitionKey,
        '#sk': withNextStep.sortKey,
        '#version': 'version',
      },
      ExpressionAttributeValues: { ':version': version },
    });
  }

  /** The board: open jobs, oldest first, from the sparse index (an ended job waiting only to alert is left out). */
  private async openJobs(limit: number, nextToken?: string): Promise<Page<Job>> {
    const page = await this.listWithNextStep(limit, nextToken);
    return { ...page, items: page.items.filter((j) => !FINAL.includes(j.status)) };
  }

  private async page(input: QueryCommandInput): Promise<Page<Job>> {
    const out = await this.send(() => this.doc.send(new QueryCommand(input)));
    const nextToken =
      out.LastEvaluatedKey && Buffer.from(JSON.stringify(out.LastEvaluatedKey)).toString('base64url');
    return { items: (out.Items ?? []).map(jobFromItem), ...(nextToken && { nextToken }) };
  }

  async list(filter: ListFilter) {
    if (filter.open) return this.openJobs(filter.limit, filter.nextToken);
    const [name, index] = filter.residentId
      ? (['byResident', byResident] as const)
      : filter.status
        ? (['byStatus', byStatus] as const)
        : (['allJobs', allJobs] as const);
    const partition = filter.residentId
      ? `RES#${filter.residentId}`
      : filter.status
        ? `STATUS#${filter.status}`
        : 'JOB';
    const input: QueryCommandInput = {
      TableName: this.table,
      IndexName: name,
      KeyConditionExpression: `${index.partitionKey} = :p`,
      ExpressionAttributeValues: { ':p': partition },
      ScanIndexForward: false,
      Limit: filter.limit,
      ExclusiveStartKey: decodeToken(filter.nextToken, index.partitionKey, partition),
    };
    if (filter.residentId && filter.status) {
      input.FilterExpression = '#status = :status';
      input.ExpressionAttributeNames = { '#status': 'status' };
      input.ExpressionAttributeValues = { ...input.ExpressionAttributeValues, ':status': filter.status };
    }
    return this.page(input);
  }
}

/** A page token only continues the listing it came from: no reaching into another resident's partition. */
function decodeToken(token: string | undefined, pkName: string, partition: string) {
  if (!token) return undefined;
  try {
    const key = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (key && typeof key === 'object' && key[pkName] === partition) return key as Record<string, unknown>;
  } catch {
    // fall through to the validation error
  }
  throw new ValidationError('nextToken is not valid for this listing', [
    { path: 'nextToken', message: 'not a token from this listing' },
  ]);
}
