import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { ValidationError } from '../domain/errors';
import type { Page } from '../domain/ports';
import type { DynamoTable } from './dynamo-table';
import type { PropertyRegistry } from './property-registry';
import { INDEXES, type IndexName } from './table-layout';

// The staff listings (docs/architecture.md "Indexes"): each property has its own partition of
// byStatus, allJobs and withNextStep, so a property's open jobs are one Query and no partition
// takes every booking's writes. A listing of several properties (the company, or staff limited
// to several) is a k-way merge of their partitions by the index's sort key.

/** An aggregate's partitions of the listing indexes. */
export interface PropertyPartitions {
  /** byResident's prefix: a resident's own listing is one partition, as before. */
  resident: string;
  status: (property: string, status: string) => string;
  all: (property: string) => string;
  step: (property: string) => string;
}

/** One partition's part of a page: its items in the index's order, and whether it has more. */
export interface PartitionPart {
  items: Record<string, unknown>[];
  more: boolean;
}
/** Reads up to `limit` items of one partition after the sort key `after` (exclusive), in the listing's order. */
export type PartitionReader = (partition: string, after: string | undefined) => Promise<PartitionPart>;

export interface MergeQuery {
  index: IndexName;
  partitions: readonly string[];
  limit: number;
  nextToken?: string;
  newestFirst: boolean;
}

/**
 * One page of several partitions of an index, merged by its sort key (`<time>#<id>`: unique and
 * totally ordered). Each partition is read with the page's limit from where the last page ended;
 * the page takes the first `limit` of them in order, and its token is the last sort key it
 * emitted, which continues every partition alike (`sk < last` newest first, `sk > last` oldest
 * first). No item is emitted twice or skipped, however the partitions interleave.
 */
export async function mergePartitions(
  read: PartitionReader,
  q: MergeQuery,
): Promise<Page<Record<string, unknown>>> {
  const sortKey = INDEXES[q.index].sortKey;
  const after = decodeToken(q.nextToken, q.index);
  const parts = await Promise.all(q.partitions.map((p) => read(p, after)));
  const key = (item: Record<string, unknown>) => String(item[sortKey]);
  const ordered = parts
    .flatMap((p) => p.items)
    .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0) * (q.newestFirst ? -1 : 1));
  const items = ordered.slice(0, q.limit);
  const last = items.at(-1);
  const more = ordered.length > items.length || parts.some((p) => p.more);
  return { items, ...(more && last && { nextToken: encodeToken(q.index, key(last)) }) };
}

/** A page token: which index's listing it continues, and the last sort key emitted. */
function encodeToken(index: IndexName, after: string): string {
  return Buffer.from(JSON.stringify({ i: index, k: after })).toString('base64url');
}

/** The sort key a token continues after; a token of another listing kind, or no token at all, is a 400. */
function decodeToken(token: string | undefined, index: IndexName): string | undefined {
  if (!token) return undefined;
  try {
    const t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (t && t.i === index && typeof t.k === 'string' && t.k.length > 0 && t.k.length <= 256) return t.k;
  } catch {
    // fall through to the validation error
  }
  throw new ValidationError('nextToken is not valid for this listing', [
    { path: 'nextToken', message: 'not a token from this listing' },
  ]);
}

/** The staff and resident listings of one aggregate (jobs or complaints) on the table. */
export class PropertyListings {
  constructor(
    private readonly table: DynamoTable,
    private readonly registry: PropertyRegistry,
    private readonly partitions: PropertyPartitions,
  ) {}

  /**
   * A resident's own (filtered by status when asked), or the staff's of some properties (absent:
   * every property ever seen) by status or all of them; newest first.
   */
  async list<T>(
    filter: {
      residentId?: string;
      properties?: readonly string[];
      status?: string;
      limit: number;
      nextToken?: string;
    },
    read: (item: Record<string, unknown>) => T,
  ): Promise<Page<T>> {
    if (filter.residentId) return this.ofResident(filter.residentId, filter, read);
    const { status } = filter;
    const [index, partition] = status
      ? (['byStatus', (p: string) => this.partitions.status(p, status)] as const)
      : (['allJobs', this.partitions.all] as const);
    return this.merged(index, partition, { ...filter, newestFirst: true }, read);
  }

  /** The withNextStep index of some properties (absent: all), in its order: oldest, or nearest deadline, first. */
  withNextStep<T>(
    filter: { properties?: readonly string[]; limit: number; nextToken?: string },
    read: (item: Record<string, unknown>) => T,
  ): Promise<Page<T>> {
    return this.merged('withNextStep', this.partitions.step, { ...filter, newestFirst: false }, read);
  }

  private async merged<T>(
    index: IndexName,
    partitionOf: (property: string) => string,
    q: { properties?: readonly string[]; limit: number; nextToken?: string; newestFirst: boolean },
    read: (item: Record<string, unknown>) => T,
  ): Promise<Page<T>> {
    const properties = q.properties ?? (await this.registry.all());
    const page = await mergePartitions((partition, after) => this.part(index, partition, after, q), {
      index,
      partitions: properties.map(partitionOf),
      limit: q.limit,
      nextToken: q.nextToken,
      newestFirst: q.newestFirst,
    });
    return { ...page, items: page.items.map(read) };
  }

  private async part(
    index: IndexName,
    partition: string,
    after: string | undefined,
    q: { limit: number; newestFirst: boolean },
  ): Promise<PartitionPart> {
    const keys = INDEXES[index];
    const input: QueryCommandInput = {
      TableName: this.table.name,
      IndexName: index,
      KeyConditionExpression: `${keys.partitionKey} = :p${after ? ` AND ${keys.sortKey} ${q.newestFirst ? '<' : '>'} :after` : ''}`,
      ExpressionAttributeValues: { ':p': partition, ...(after && { ':after': after }) },
      ScanIndexForward: !q.newestFirst,
      Limit: q.limit,
    };
    const out = await this.table.send(() => this.table.doc.send(new QueryCommand(input)));
    return { items: out?.Items ?? [], more: Boolean(out?.LastEvaluatedKey) };
  }

  /** A resident's partition of byResident, with the page token checked to continue it only. */
  private ofResident<T>(
    residentId: string,
    filter: { status?: string; limit: number; nextToken?: string },
    read: (item: Record<string, unknown>) => T,
  ): Promise<Page<T>> {
    const input = this.table.queryIndex('byResident', `${this.partitions.resident}${residentId}`, {
      ...filter,
      newestFirst: true,
    });
    if (filter.status) {
      input.FilterExpression = '#status = :status';
      input.ExpressionAttributeNames = { '#status': 'status' };
      input.ExpressionAttributeValues = { ...input.ExpressionAttributeValues, ':status': filter.status };
    }
    return this.table.page(input, read);
  }
}
