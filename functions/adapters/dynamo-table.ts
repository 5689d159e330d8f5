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
import { StaleWriteError, UnavailableError, ValidationError } from '../domain/errors';
import type { ChainedItem, StoredHistoryItem } from '../domain/history-chain';
import type { Clock, Page, Quota, Receipt } from '../domain/ports';
import { QuotaExceededError, ReceiptExistsError } from '../domain/ports';
import { isTransient } from './dynamo-errors';
import { INDEXES, KEY, outboxSort, TTL_ATTRIBUTE } from './table-layout';

// What the job and complaint stores share of the single table: the document client with its
// error mapping, the one transaction path, history items, receipts, quotas and page tokens.

export type Key = Record<string, string>;
type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

const DAY_SECONDS = 24 * 3600;
/** Each kind's partition prefix and how long its receipts are kept. */
const RECEIPTS: Record<Receipt['kind'], { prefix: string; ttlSeconds: number }> = {
  idempotency: { prefix: 'IDEM', ttlSeconds: DAY_SECONDS },
  complaint: { prefix: 'IDEM-COMPLAINT', ttlSeconds: DAY_SECONDS },
  callback: { prefix: 'IDEM-CALLBACK', ttlSeconds: DAY_SECONDS },
  webhook: { prefix: 'HOOK', ttlSeconds: 7 * DAY_SECONDS },
};
export const NEW_ITEM = `attribute_not_exists(${KEY.partition})`;

const unavailable = () =>
  new UnavailableError('The job store is briefly unavailable; nothing was changed', 2);

const receiptKey = (kind: Receipt['kind'], key: string) => ({
  [KEY.partition]: `${RECEIPTS[kind].prefix}#${key}`,
  [KEY.sort]: 'RECEIPT',
});

const LAYOUT_ATTRIBUTES = new Set<string>([
  KEY.partition,
  KEY.sort,
  ...Object.values(INDEXES).flatMap((i) => [i.partitionKey, i.sortKey]),
]);

/** An item's own attributes, without the table's keys (how a stream image is read too). */
export const withoutLayout = (item: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(item).filter(([k]) => !LAYOUT_ATTRIBUTES.has(k)));

/** One aggregate's item in a transaction: new, or conditional on the version it was read at. */
export interface AggregatePut {
  key: Key;
  item: Record<string, unknown>;
  version: number;
  expectedVersion: number | null;
  /** Chained onto the aggregate's head (history-chain.ts chainOnto), which `item` advances. */
  history: readonly ChainedItem[];
  historyPrefix: string;
  /** What the write announces (an outbox entry's attributes), put beside it; none when it announces nothing. */
  outbox?: Record<string, unknown>;
}

export class DynamoTable {
  readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    readonly name: string,
    private readonly clock: Clock,
  ) {
    this.doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  /** Every call to DynamoDB: a transient failure becomes a 503 with Retry-After, never a 500. */
  async send<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (e) {
      if (isTransient(e)) throw unavailable();
      throw e;
    }
  }

  async get(key: Key): Promise<Record<string, unknown> | undefined> {
    const out = await this.send(() =>
      this.doc.send(new GetCommand({ TableName: this.name, Key: key, ConsistentRead: true })),
    );
    return out.Item;
  }

  /** One conditional UpdateItem; false when its condition did not hold. */
  async updateIf(key: Key, update: Omit<UpdateCommandInput, 'TableName' | 'Key'>): Promise<boolean> {
    try {
      await this.send(() => this.doc.send(new UpdateCommand({ TableName: this.name, Key: key, ...update })));
      return true;
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) return false;
      throw e;
    }
  }

  /**
   * One transaction: each aggregate with its history, then the quota counter and the receipt.
   * Which condition failed says which error: a receipt taken, a quota full, or a stale aggregate.
   */
  async commit(puts: readonly AggregatePut[], receipt?: Receipt, quota?: Quota): Promise<void> {
    const items: TransactItem[] = [];
    const aggregateAt: number[] = [];
    for (const put of puts) {
      aggregateAt.push(items.length);
      items.push({
        Put: {
          TableName: this.name,
          Item: { ...put.key, ...put.item },
          ...(put.expectedVersion === null
            ? { ConditionExpression: NEW_ITEM }
            : {
                ConditionExpression: 'version = :expected',
                ExpressionAttributeValues: { ':expected': put.expectedVersion },
              }),
        },
      });
      for (const [i, h] of put.history.entries()) {
        const sk = `${put.historyPrefix}${h.at}#${String(put.version).padStart(6, '0')}#${i}`;
        items.push({
          Put: {
            TableName: this.name,
            Item: { [KEY.partition]: put.key[KEY.partition], [KEY.sort]: sk, ...h },
            ConditionExpression: NEW_ITEM,
          },
        });
      }
      if (put.outbox) items.push(this.outboxPut(put, put.outbox));
    }
    const quotaAt = quota ? items.push(this.quotaUpdate(quota)) - 1 : -1;
    const receiptAt = receipt ? items.push(this.receiptPut(receipt)) - 1 : -1;
    try {
      await this.send(() => this.doc.send(new TransactWriteCommand({ TransactItems: items })));
    } catch (e) {
      if (!(e instanceof TransactionCanceledException)) throw e;
      const failed = (at: number) =>
        at >= 0 && e.CancellationReasons?.[at]?.Code === 'ConditionalCheckFailed';
      if (failed(receiptAt)) throw new ReceiptExistsError();
      if (failed(quotaAt)) throw new QuotaExceededError();
      if (aggregateAt.some(failed)) throw new StaleWriteError();
      if (
        e.CancellationReasons?.some((r) => r.Code === 'TransactionConflict' || r.Code === 'ThrottlingError')
      )
        throw unavailable();
      throw e;
    }
  }

  /**
   * The write's outbox entry (table-layout.ts OUTBOX_ITEM): one item per aggregate write, however
   * many messages it holds, so a commit stays far inside the transaction's 100 items.
   */
  private outboxPut(put: AggregatePut, entry: Record<string, unknown>): TransactItem {
    return {
      Put: {
        TableName: this.name,
        Item: { [KEY.partition]: put.key[KEY.partition], [KEY.sort]: outboxSort(put.version), ...entry },
        ConditionExpression: NEW_ITEM,
      },
    };
  }

  private receiptPut(receipt: Receipt): TransactItem {
    return {
      Put: {
        TableName: this.name,
        Item: {
          ...receiptKey(receipt.kind, receipt.key),
          ...receipt,
          [TTL_ATTRIBUTE]: Math.floor(this.clock.now().getTime() / 1000) + RECEIPTS[receipt.kind].ttlSeconds,
        },
        ConditionExpression: NEW_ITEM,
      },
    };
  }

  /** A counter per caller and window, expiring with its window: the write fails once it is full. */
  private quotaUpdate(quota: Quota): TransactItem {
    return {
      Update: {
        TableName: this.name,
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

  async receipt(kind: Receipt['kind'], key: string): Promise<Receipt | null> {
    const item = await this.get(receiptKey(kind, key));
    if (!item) return null;
    const { kind: k, key: rk, bodyHash, result } = item as unknown as Receipt;
    return { kind: k, key: rk, bodyHash, result };
  }

  /**
   * Every history item of one partition in the order it was committed (the version, then its place
   * in the commit, from the sort key): the order its chain links them, even where clocks of two
   * writers disagree about `at`. Chained items carry `hash` and `prevHash`.
   */
  async history(partition: string, prefix: string): Promise<StoredHistoryItem[]> {
    const items: { order: [number, number]; item: StoredHistoryItem }[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const query = new QueryCommand({
        TableName: this.name,
        KeyConditionExpression: `${KEY.partition} = :pk AND begins_with(${KEY.sort}, :evt)`,
        ExpressionAttributeValues: { ':pk': partition, ':evt': prefix },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      });
      const out: QueryCommandOutput = await this.send(() => this.doc.send(query));
      for (const { [KEY.sort]: sk, type, at, actor, data, hash, prevHash } of out.Items ?? []) {
        const item = {
          type,
          at,
          actor,
          data,
          ...(hash !== undefined && { hash, prevHash: prevHash ?? null }),
        };
        items.push({ order: commitOrder(String(sk)), item });
      }
      start = out.LastEvaluatedKey;
    } while (start);
    return items.sort((a, b) => a.order[0] - b.order[0] || a.order[1] - b.order[1]).map((i) => i.item);
  }

  /** Every item of one index partition, every page: for the small listings (directory, registry). */
  async queryAll(index: keyof typeof INDEXES, partition: string): Promise<Record<string, unknown>[]> {
    const keys = INDEXES[index];
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.send(() =>
        this.doc.send(
          new QueryCommand({
            TableName: this.name,
            IndexName: index,
            KeyConditionExpression: `${keys.partitionKey} = :p`,
            ExpressionAttributeValues: { ':p': partition },
            ExclusiveStartKey: start,
          }),
        ),
      );
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  }

  /** One page of a Query, its items read by `read`, its continuation as an opaque token. */
  async page<T>(input: QueryCommandInput, read: (item: Record<string, unknown>) => T): Promise<Page<T>> {
    const out = await this.send(() => this.doc.send(new QueryCommand(input)));
    const nextToken =
      out.LastEvaluatedKey && Buffer.from(JSON.stringify(out.LastEvaluatedKey)).toString('base64url');
    return { items: (out.Items ?? []).map(read), ...(nextToken && { nextToken }) };
  }

  /** How many items one index partition holds: a COUNT Query, every page. */
  async count(index: keyof typeof INDEXES, partition: string): Promise<number> {
    let total = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const input: QueryCommandInput = {
        TableName: this.name,
        IndexName: index,
        KeyConditionExpression: `${INDEXES[index].partitionKey} = :p`,
        ExpressionAttributeValues: { ':p': partition },
        Select: 'COUNT',
        ExclusiveStartKey: start,
      };
      const out: QueryCommandOutput = await this.send(() => this.doc.send(new QueryCommand(input)));
      total += out.Count ?? 0;
      start = out.LastEvaluatedKey;
    } while (start);
    return total;
  }

  /** A Query of one index partition, with the page token checked to continue that partition only. */
  queryIndex(
    index: keyof typeof INDEXES,
    partition: string,
    opts: { limit: number; nextToken?: string; newestFirst?: boolean },
  ): QueryCommandInput {
    const keys = INDEXES[index];
    return {
      TableName: this.name,
      IndexName: index,
      KeyConditionExpression: `${keys.partitionKey} = :p`,
      ExpressionAttributeValues: { ':p': partition },
      ScanIndexForward: !opts.newestFirst,
      Limit: opts.limit,
      ExclusiveStartKey: decodeToken(opts.nextToken, keys.partitionKey, partition),
    };
  }

  /**
   * Takes an item that no longer has a workflow step off the withNextStep index, unless it changed
   * since `version`: the state machine marks the last alert sent with its own write, which leaves it on.
   */
  async forgetFinished(key: Key, version: number): Promise<void> {
    // Bookkeeping of the index only: no history, and the version stays (nothing to re-decide).
    // A failed condition means it changed meanwhile: its new write put the keys as they should be.
    await this.updateIf(key, {
      UpdateExpression: 'REMOVE #pk, #sk',
      ConditionExpression: '#version = :version',
      ExpressionAttributeNames: {
        '#pk': INDEXES.withNextStep.partitionKey,
        '#sk': INDEXES.withNextStep.sortKey,
        '#version': 'version',
      },
      ExpressionAttributeValues: { ':version': version },
    });
  }

  /**
   * Parks a workflow's task token on an item in one conditional write (version bumped, so a writer
   * that read it before must read it again and see the token), while its status is in `waitingIn`.
   */
  park(key: Key, wait: unknown, waitingIn: readonly string[]): Promise<boolean> {
    const statuses = Object.fromEntries(waitingIn.map((s, i) => [`:s${i}`, s]));
    return this.updateIf(key, {
      UpdateExpression: 'SET #wait = :wait, #version = #version + :one',
      ConditionExpression: `attribute_exists(${KEY.partition}) AND #status IN (${Object.keys(statuses).join(', ')})`,
      ExpressionAttributeNames: { '#wait': 'wait', '#version': 'version', '#status': 'status' },
      ExpressionAttributeValues: { ':wait': wait, ':one': 1, ...statuses },
    });
  }
}

/** A history item's commit version and place in its commit, from `<prefix><at>#<version>#<n>`. */
function commitOrder(sk: string): [number, number] {
  const [, version, n] = /#(\d+)#(\d+)$/.exec(sk) ?? [];
  return [Number(version ?? 0), Number(n ?? 0)];
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
