import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandOutput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ConflictError, ValidationError } from '../domain/errors';
import type { Clock, DeliveryQueue, Page, WebhookStore } from '../domain/ports';
import {
  type Delivery,
  type DeliveryStatus,
  MAX_ENDPOINTS,
  type Subject,
  subjectOfDeliveryId,
  type WebhookEndpoint,
} from '../domain/webhooks';
import { DynamoTable, NEW_ITEM, withoutLayout } from './dynamo-table';
import { INDEXES, KEY, TTL_ATTRIBUTE, WEBHOOK_ITEM } from './table-layout';

// Endpoints, their delivery queues and the queues' leases, as items of the one table
// (table-layout.ts WEBHOOK_ITEM). Every write that two runs could race on is conditional: a
// delivery on its version, a lease on its holder or its end.

const { allJobs } = INDEXES;
const partition = (endpointId: string) => `${WEBHOOK_ITEM.partitionPrefix}${endpointId}`;
const endpointKey = (endpointId: string) => ({
  [KEY.partition]: partition(endpointId),
  [KEY.sort]: WEBHOOK_ITEM.endpoint,
});
const queuePrefix = (s: Subject) => `${WEBHOOK_ITEM.deliveryPrefix}${s.kind}#${s.id}#`;
const deliveryKey = (d: Pick<Delivery, 'endpointId' | 'subject' | 'position'>) => ({
  [KEY.partition]: partition(d.endpointId),
  [KEY.sort]: `${queuePrefix(d.subject)}${d.position}`,
});
const leaseKey = (q: DeliveryQueue) => ({
  [KEY.partition]: partition(q.endpointId),
  [KEY.sort]: `${WEBHOOK_ITEM.leasePrefix}${q.subject.kind}#${q.subject.id}`,
});

const withoutTtl = (item: Record<string, unknown>) => {
  const { [TTL_ATTRIBUTE]: _ttl, ...rest } = withoutLayout(item);
  return rest;
};
/** `failingSince` is absent while the endpoint delivers (so `if_not_exists` can set it): null here. */
const endpointOf = (item: Record<string, unknown>): WebhookEndpoint => {
  const e = withoutTtl(item) as unknown as WebhookEndpoint;
  return { ...e, failingSince: e.failingSince ?? null, failures: e.failures ?? 0 };
};
const deliveryOf = (item: Record<string, unknown>) => withoutTtl(item) as unknown as Delivery;

export class DynamoWebhookStore implements WebhookStore {
  readonly table: DynamoTable;

  constructor(
    client: DynamoDBClient,
    tableName: string,
    private readonly clock: Clock,
  ) {
    this.table = new DynamoTable(client, tableName, clock);
  }

  async createEndpoint(endpoint: WebhookEndpoint): Promise<void> {
    // Counted, then written: two managers registering the last place at once may both get it.
    if ((await this.table.count('allJobs', WEBHOOK_ITEM.listing)) >= MAX_ENDPOINTS)
      throw new ConflictError(`At most ${MAX_ENDPOINTS} webhook endpoints; delete one first`);
    await this.put(this.endpointItem(endpoint), NEW_ITEM);
  }

  async endpoint(endpointId: string): Promise<WebhookEndpoint | null> {
    const item = await this.table.get(endpointKey(endpointId));
    return item ? endpointOf(item) : null;
  }

  async endpoints(): Promise<WebhookEndpoint[]> {
    return (await this.table.queryAll('allJobs', WEBHOOK_ITEM.listing)).map(endpointOf);
  }

  saveEndpoint(endpoint: WebhookEndpoint, expectedVersion: number): Promise<boolean> {
    return this.putIf(this.endpointItem(endpoint), '#version = :expected', { ':expected': expectedVersion });
  }

  async deleteEndpoint(endpointId: string): Promise<void> {
    await this.table.send(() =>
      this.table.doc.send(new DeleteCommand({ TableName: this.table.name, Key: endpointKey(endpointId) })),
    );
  }

  async endpointFailed(endpointId: string, now: Date): Promise<WebhookEndpoint | null> {
    try {
      const out = await this.table.send(() =>
        this.table.doc.send(
          new UpdateCommand({
            TableName: this.table.name,
            Key: endpointKey(endpointId),
            UpdateExpression: 'SET #since = if_not_exists(#since, :now) ADD #failures :one',
            ConditionExpression: `attribute_exists(${KEY.partition})`,
            ExpressionAttributeNames: { '#since': 'failingSince', '#failures': 'failures' },
            ExpressionAttributeValues: { ':now': now.toISOString(), ':one': 1 },
            ReturnValues: 'ALL_NEW',
          }),
        ),
      );
      return out.Attributes ? endpointOf(out.Attributes) : null;
    } catch (e) {
      // Deleted meanwhile: nothing to count against.
      if (e instanceof ConditionalCheckFailedException) return null;
      throw e;
    }
  }

  async endpointDelivered(endpointId: string): Promise<void> {
    await this.table.updateIf(endpointKey(endpointId), {
      UpdateExpression: 'REMOVE #since SET #failures = :zero',
      ConditionExpression: `attribute_exists(${KEY.partition})`,
      ExpressionAttributeNames: { '#since': 'failingSince', '#failures': 'failures' },
      ExpressionAttributeValues: { ':zero': 0 },
    });
  }

  enqueue(delivery: Delivery): Promise<boolean> {
    return this.putIf(this.deliveryItem(delivery), NEW_ITEM);
  }

  async queue(queue: DeliveryQueue): Promise<Delivery[]> {
    const items: Delivery[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out: QueryCommandOutput = await this.table.send(() =>
        this.table.doc.send(
          new QueryCommand({
            TableName: this.table.name,
            KeyConditionExpression: `${KEY.partition} = :pk AND begins_with(${KEY.sort}, :q)`,
            ExpressionAttributeValues: {
              ':pk': partition(queue.endpointId),
              ':q': queuePrefix(queue.subject),
            },
            ConsistentRead: true,
            ExclusiveStartKey: start,
          }),
        ),
      );
      items.push(...(out.Items ?? []).map(deliveryOf));
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  }

  async delivery(endpointId: string, deliveryId: string): Promise<Delivery | null> {
    const subject = subjectOfDeliveryId(deliveryId);
    if (!subject) return null;
    return (await this.queue({ endpointId, subject })).find((d) => d.deliveryId === deliveryId) ?? null;
  }

  saveDelivery(delivery: Delivery, expectedVersion: number): Promise<boolean> {
    return this.putIf(this.deliveryItem(delivery), '#version = :expected', { ':expected': expectedVersion });
  }

  deliveries(
    endpointId: string,
    opts: { limit: number; nextToken?: string; status?: DeliveryStatus },
  ): Promise<Page<Delivery>> {
    return this.table.page(
      {
        TableName: this.table.name,
        KeyConditionExpression: `${KEY.partition} = :pk AND begins_with(${KEY.sort}, :q)`,
        ...(opts.status && {
          FilterExpression: '#status = :status',
          ExpressionAttributeNames: { '#status': 'status' },
        }),
        ExpressionAttributeValues: {
          ':pk': partition(endpointId),
          ':q': WEBHOOK_ITEM.deliveryPrefix,
          ...(opts.status && { ':status': opts.status }),
        },
        Limit: opts.limit,
        ExclusiveStartKey: startKey(opts.nextToken, partition(endpointId)),
      },
      deliveryOf,
    );
  }

  async pendingQueues(): Promise<DeliveryQueue[]> {
    const seen = new Map<string, DeliveryQueue>();
    for (const item of await this.table.queryAll('allJobs', WEBHOOK_ITEM.pending)) {
      const d = deliveryOf(item);
      seen.set(`${d.endpointId}#${d.subject.kind}#${d.subject.id}`, {
        endpointId: d.endpointId,
        subject: d.subject,
      });
    }
    return [...seen.values()];
  }

  lease(queue: DeliveryQueue, holder: string, until: Date, now: Date): Promise<boolean> {
    return this.putIf(
      {
        ...leaseKey(queue),
        holder,
        until: until.getTime(),
        [TTL_ATTRIBUTE]: Math.floor(until.getTime() / 1000) + 3600,
      },
      `attribute_not_exists(${KEY.partition}) OR #until < :now OR #holder = :holder`,
      { ':now': now.getTime(), ':holder': holder },
      { '#until': 'until', '#holder': 'holder' },
    );
  }

  async release(queue: DeliveryQueue, holder: string): Promise<void> {
    try {
      await this.table.send(() =>
        this.table.doc.send(
          new DeleteCommand({
            TableName: this.table.name,
            Key: leaseKey(queue),
            ConditionExpression: '#holder = :holder',
            ExpressionAttributeNames: { '#holder': 'holder' },
            ExpressionAttributeValues: { ':holder': holder },
          }),
        ),
      );
    } catch (e) {
      // Another run took it after ours ran out: it is theirs now.
      if (!(e instanceof ConditionalCheckFailedException)) throw e;
    }
  }

  private endpointItem(e: WebhookEndpoint) {
    const { failingSince, ...rest } = e;
    return {
      ...endpointKey(e.endpointId),
      ...rest,
      ...(failingSince !== null && { failingSince }),
      [allJobs.partitionKey]: WEBHOOK_ITEM.listing,
      [allJobs.sortKey]: e.endpointId,
    };
  }

  private deliveryItem(d: Delivery) {
    return {
      ...deliveryKey(d),
      ...d,
      // Sparse: only a pending delivery is on the restart's list.
      ...(d.status === 'pending' && {
        [allJobs.partitionKey]: WEBHOOK_ITEM.pending,
        [allJobs.sortKey]: `${d.endpointId}#${d.subject.kind}#${d.subject.id}#${d.position}`,
      }),
      [TTL_ATTRIBUTE]: Math.floor(this.clock.now().getTime() / 1000) + WEBHOOK_ITEM.deliveryTtlSeconds,
    };
  }

  private async put(item: Record<string, unknown>, condition: string): Promise<void> {
    await this.table.send(() =>
      this.table.doc.send(
        new PutCommand({ TableName: this.table.name, Item: item, ConditionExpression: condition }),
      ),
    );
  }

  /** A conditional PutItem; false when its condition did not hold. */
  private async putIf(
    item: Record<string, unknown>,
    condition: string,
    values?: Record<string, unknown>,
    names?: Record<string, string>,
  ): Promise<boolean> {
    const usesVersion = condition.includes('#version');
    try {
      await this.table.send(() =>
        this.table.doc.send(
          new PutCommand({
            TableName: this.table.name,
            Item: item,
            ConditionExpression: condition,
            ...((names || usesVersion) && {
              ExpressionAttributeNames: { ...names, ...(usesVersion && { '#version': 'version' }) },
            }),
            ...(values && { ExpressionAttributeValues: values }),
          }),
        ),
      );
      return true;
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) return false;
      throw e;
    }
  }
}

/** A page token continues this endpoint's deliveries only. */
function startKey(token: string | undefined, pk: string): Record<string, unknown> | undefined {
  if (!token) return undefined;
  try {
    const key = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (key && typeof key === 'object' && key[KEY.partition] === pk) return key as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new ValidationError('nextToken is not valid for this listing', [
    { path: 'nextToken', message: 'not a token from this listing' },
  ]);
}
