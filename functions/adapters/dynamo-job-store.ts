import { type DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { StaleWriteError, ValidationError } from '../domain/errors';
import type { Decision } from '../domain/lifecycle';
import {
  type Clock,
  type JobStore,
  type ListFilter,
  type Receipt,
  ReceiptExistsError,
} from '../domain/ports';
import type { HistoryItem, Job } from '../domain/types';

// Single-table layout (see README "Data"): job JOB#<id>/JOB, history JOB#<id>/EVT#<at>#<version>#<n>,
// receipts IDEM#<key> or HOOK#<key>/RECEIPT with a TTL. GSIs serve every listing; nothing scans.

const RECEIPT_TTL_SECONDS = { idempotency: 24 * 3600, webhook: 7 * 24 * 3600 } as const;
const INDEX = {
  resident: { name: 'byResident', pk: 'gsi1pk' },
  status: { name: 'byStatus', pk: 'gsi2pk' },
  all: { name: 'allJobs', pk: 'gsi3pk' },
} as const;

const jobKey = (jobId: string) => ({ pk: `JOB#${jobId}`, sk: 'JOB' });
const receiptKey = (kind: Receipt['kind'], key: string) => ({
  pk: `${kind === 'idempotency' ? 'IDEM' : 'HOOK'}#${key}`,
  sk: 'RECEIPT',
});

function jobItem(job: Job) {
  const order = `${job.createdAt}#${job.jobId}`;
  return {
    ...jobKey(job.jobId),
    ...job,
    gsi1pk: `RES#${job.residentId}`,
    gsi1sk: order,
    gsi2pk: `STATUS#${job.status}`,
    gsi2sk: order,
    gsi3pk: 'JOB',
    gsi3sk: order,
  };
}

function fromItem(item: Record<string, unknown>): Job {
  const { pk, sk, gsi1pk, gsi1sk, gsi2pk, gsi2sk, gsi3pk, gsi3sk, ...job } = item;
  return job as unknown as Job;
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
    const out = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: jobKey(jobId), ConsistentRead: true }),
    );
    return out.Item ? fromItem(out.Item) : null;
  }

  create(decision: Decision, receipt?: Receipt): Promise<void> {
    return this.write(decision, { ConditionExpression: 'attribute_not_exists(pk)' }, receipt);
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

  private async write(decision: Decision, condition: object, receipt?: Receipt): Promise<void> {
    const { job } = decision;
    const history = decision.history.map((h, i) => ({
      Put: {
        TableName: this.table,
        Item: {
          pk: `JOB#${job.jobId}`,
          sk: `EVT#${h.at}#${String(job.version).padStart(6, '0')}#${i}`,
          ...h,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    }));
    const receiptPut = receipt && {
      Put: {
        TableName: this.table,
        Item: {
          ...receiptKey(receipt.kind, receipt.key),
          ...receipt,
          ttl: Math.floor(this.clock.now().getTime() / 1000) + RECEIPT_TTL_SECONDS[receipt.kind],
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
    const items: object[] = [
      { Put: { TableName: this.table, Item: jobItem(job), ...condition } },
      ...history,
    ];
    if (receiptPut) items.push(receiptPut);
    try {
      await this.doc.send(
        new TransactWriteCommand({ TransactItems: items as TransactWriteCommandInput['TransactItems'] }),
      );
    } catch (e) {
      if (!(e instanceof TransactionCanceledException)) throw e;
      const reasons = e.CancellationReasons ?? [];
      if (receiptPut && reasons[items.length - 1]?.Code === 'ConditionalCheckFailed')
        throw new ReceiptExistsError();
      if (reasons[0]?.Code === 'ConditionalCheckFailed') throw new StaleWriteError();
      throw e;
    }
  }

  async receipt(kind: Receipt['kind'], key: string): Promise<Receipt | null> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: receiptKey(kind, key), ConsistentRead: true }),
    );
    if (!out.Item) return null;
    const { kind: k, key: rk, bodyHash, response } = out.Item as Receipt;
    return { kind: k, key: rk, bodyHash, response };
  }

  async history(jobId: string): Promise<HistoryItem[]> {
    const items: HistoryItem[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :evt)',
          ExpressionAttributeValues: { ':pk': `JOB#${jobId}`, ':evt': 'EVT#' },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      for (const { type, at, actor, data } of out.Items ?? []) items.push({ type, at, actor, data });
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  }

  async list(filter: ListFilter) {
    const index = filter.residentId ? INDEX.resident : filter.status ? INDEX.status : INDEX.all;
    const partition = filter.residentId
      ? `RES#${filter.residentId}`
      : filter.status
        ? `STATUS#${filter.status}`
        : 'JOB';
    const input: QueryCommandInput = {
      TableName: this.table,
      IndexName: index.name,
      KeyConditionExpression: `${index.pk} = :p`,
      ExpressionAttributeValues: { ':p': partition },
      ScanIndexForward: false,
      Limit: filter.limit,
      ExclusiveStartKey: decodeToken(filter.nextToken, index.pk, partition),
    };
    if (filter.residentId && filter.status) {
      input.FilterExpression = '#status = :status';
      input.ExpressionAttributeNames = { '#status': 'status' };
      input.ExpressionAttributeValues = { ...input.ExpressionAttributeValues, ':status': filter.status };
    }
    const out = await this.doc.send(new QueryCommand(input));
    const nextToken =
      out.LastEvaluatedKey && Buffer.from(JSON.stringify(out.LastEvaluatedKey)).toString('base64url');
    return { items: (out.Items ?? []).map(fromItem), ...(nextToken && { nextToken }) };
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
