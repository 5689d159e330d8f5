import { type DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandOutput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { UnavailableError } from '../domain/errors';
import type { Clock, ReportStore } from '../domain/ports';
import type { ReportFact, StoredReport } from '../domain/reports';
import { isTransient } from './dynamo-errors';
import { NEW_ITEM } from './dynamo-table';
import { KEY, REPORT_ITEM, reportPartition, STREAM_MARKER, TTL_ATTRIBUTE } from './table-layout';

// The monthly figures as aggregate items of the one table (table-layout.ts, REPORT_ITEM): each
// stream record's increments land in one TransactWriteItems with a marker keyed by the record,
// so a redelivery is refused whole; a report is one Query of one partition.

/**
 * DynamoDB's limit on one transaction. A change's facts fall in at most two months (its own, and
 * the month of the signature a recall counts in), so it touches at most nine items: the marker,
 * and two scopes × two months × the totals and one technician.
 */
const MAX_TRANSACTION_ITEMS = 100;
/** What an aggregate item holds besides its counters. */
const NOT_COUNTERS = new Set<string>([KEY.partition, KEY.sort, 'technicianId', 'name']);

const unavailable = () =>
  new UnavailableError('The report store is briefly unavailable; nothing was changed', 2);

interface Increments {
  key: Record<string, string>;
  counters: Map<string, number>;
  technician: { id: string; name: string } | null;
}

export class DynamoReportStore implements ReportStore {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly table: string,
    private readonly clock: Clock,
  ) {
    this.doc = DynamoDBDocumentClient.from(client);
  }

  async apply(changeId: string, facts: readonly ReportFact[]): Promise<boolean> {
    const updates = [...byItem(facts).values()].map((item) => this.update(item));
    const items = [this.marker(changeId), ...updates];
    // Never reached by a job's or complaint's change (at most nine items): a bug, not a partial write.
    if (items.length > MAX_TRANSACTION_ITEMS)
      throw new Error(`A change of ${items.length} report items does not fit one transaction`);
    try {
      await this.doc.send(
        new TransactWriteCommand({ TransactItems: items as TransactWriteCommandInput['TransactItems'] }),
      );
      return true;
    } catch (e) {
      if (e instanceof TransactionCanceledException) {
        // The marker is the first item: taken means this change was applied before.
        if (e.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') return false;
        // Another consumer's increment of the same counters (TransactionConflict), or throttling.
        throw unavailable();
      }
      if (isTransient(e)) throw unavailable();
      throw e;
    }
  }

  async read(month: string, property: string | null): Promise<StoredReport> {
    const pk = reportPartition(month, property);
    const report: { totals: Record<string, number>; technicians: StoredReport['technicians'][number][] } = {
      totals: {},
      technicians: [],
    };
    let start: Record<string, unknown> | undefined;
    do {
      const query = new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: `${KEY.partition} = :pk`,
        ExpressionAttributeValues: { ':pk': pk },
        ExclusiveStartKey: start,
      });
      let out: QueryCommandOutput;
      try {
        out = await this.doc.send(query);
      } catch (e) {
        if (isTransient(e)) throw unavailable();
        throw e;
      }
      for (const item of out.Items ?? []) {
        const counters = countersOf(item);
        if (item[KEY.sort] === REPORT_ITEM.total) report.totals = counters;
        else
          report.technicians.push({
            id: String(item.technicianId),
            name: String(item.name ?? ''),
            counters,
          });
      }
      start = out.LastEvaluatedKey;
    } while (start);
    return report;
  }

  private marker(changeId: string) {
    return {
      Put: {
        TableName: this.table,
        Item: {
          [KEY.partition]: `${STREAM_MARKER.partitionPrefix}${changeId}`,
          [KEY.sort]: STREAM_MARKER.sort,
          [TTL_ATTRIBUTE]: Math.floor(this.clock.now().getTime() / 1000) + STREAM_MARKER.ttlSeconds,
        },
        ConditionExpression: NEW_ITEM,
      },
    };
  }

  /** ADD creates a missing item and counter at 0 first, so no read comes before the write. */
  private update({ key, counters, technician }: Increments) {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const adds = [...counters].map(([counter, by], i) => {
      names[`#c${i}`] = counter;
      values[`:c${i}`] = by;
      return `#c${i} :c${i}`;
    });
    let expression = `ADD ${adds.join(', ')}`;
    if (technician) {
      // The name as the technician last gave it; the id is the row's key.
      names['#name'] = 'name';
      names['#technicianId'] = 'technicianId';
      values[':name'] = technician.name;
      values[':technicianId'] = technician.id;
      expression += ' SET #name = :name, #technicianId = :technicianId';
    }
    return {
      Update: {
        TableName: this.table,
        Key: key,
        UpdateExpression: expression,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    };
  }
}

/**
 * The facts grouped by the item they change, each under the job's property and under the
 * whole company: one transaction may not touch an item twice, so each item gets one update.
 */
function byItem(facts: readonly ReportFact[]): Map<string, Increments> {
  const items = new Map<string, Increments>();
  for (const fact of facts) {
    for (const scope of [fact.property, null]) {
      const key = {
        [KEY.partition]: reportPartition(fact.month, scope),
        [KEY.sort]: fact.technician
          ? `${REPORT_ITEM.technicianPrefix}${fact.technician.id}`
          : REPORT_ITEM.total,
      };
      const id = `${key[KEY.partition]}|${key[KEY.sort]}`;
      const item = items.get(id) ?? { key, counters: new Map<string, number>(), technician: fact.technician };
      item.counters.set(fact.counter, (item.counters.get(fact.counter) ?? 0) + fact.by);
      items.set(id, item);
    }
  }
  return items;
}

function countersOf(item: Record<string, unknown>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(item).filter(
      (entry): entry is [string, number] => !NOT_COUNTERS.has(entry[0]) && typeof entry[1] === 'number',
    ),
  );
}
