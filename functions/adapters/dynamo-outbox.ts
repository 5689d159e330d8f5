import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { OutboxEntry, OutboxLedger, OutboxMessage } from '../domain/outbox';
import type { Clock } from '../domain/ports';
import type { DynamoTable } from './dynamo-table';
import {
  COMPLAINT_ITEM,
  complaintKey,
  JOB_ITEM,
  jobKey,
  KEY,
  OUTBOX_ITEM,
  outboxSort,
  TTL_ATTRIBUTE,
} from './table-layout';

// The outbox entries in the table (table-layout.ts OUTBOX_ITEM): written by DynamoTable.commit
// beside the aggregate they announce, read back from the stream by the outbox consumer, which
// marks what it delivered on the entry itself.

/** An entry's own attributes (DynamoTable.commit adds the keys). */
export const outboxItem = (entry: OutboxEntry): Record<string, unknown> => ({
  subject: entry.subject,
  subjectId: entry.subjectId,
  version: entry.version,
  messages: entry.messages,
});

function entryKey(entry: Pick<OutboxEntry, 'subject' | 'subjectId' | 'version'>) {
  const aggregate = entry.subject === 'job' ? jobKey(entry.subjectId) : complaintKey(entry.subjectId);
  return { [KEY.partition]: aggregate[KEY.partition], [KEY.sort]: outboxSort(entry.version) };
}

/** Which aggregate a partition holds, by its prefix: only a job's or a complaint's has outbox entries. */
function subjectOf(pk: string | undefined): OutboxEntry['subject'] | null {
  if (pk?.startsWith(JOB_ITEM.partitionPrefix)) return 'job';
  if (pk?.startsWith(COMPLAINT_ITEM.partitionPrefix)) return 'complaint';
  return null;
}

/**
 * The entry a stream record inserted, or null for any other record: another item (an `OUTBOX#`
 * sort key outside a job's or complaint's partition is none of ours), the consumer's own mark
 * (a MODIFY) or an entry's expiry (a REMOVE).
 */
export function outboxEntryOf(record: DynamoDBRecord): OutboxEntry | null {
  const keys = record.dynamodb?.Keys;
  const subject = subjectOf(keys?.[KEY.partition]?.S);
  const sk = keys?.[KEY.sort]?.S;
  const image = record.dynamodb?.NewImage;
  if (record.eventName !== 'INSERT' || !subject || !sk?.startsWith(OUTBOX_ITEM.sortPrefix) || !image)
    return null;
  // The Lambda event's images are the wire format unmarshall reads (its types differ only for binary).
  const item = unmarshall(image as Record<string, AttributeValue>);
  return {
    subject,
    subjectId: item.subjectId,
    version: item.version,
    messages: item.messages as OutboxMessage[],
  };
}

/** Which messages of an entry went out, kept on the entry: a string set of message ids. */
export class DynamoOutboxLedger implements OutboxLedger {
  constructor(
    private readonly table: DynamoTable,
    private readonly clock: Clock,
  ) {}

  async delivered(entry: OutboxEntry): Promise<ReadonlySet<string>> {
    const item = await this.table.get(entryKey(entry));
    const ids = item?.[OUTBOX_ITEM.delivered];
    return ids instanceof Set ? (ids as Set<string>) : new Set();
  }

  async markDelivered(entry: OutboxEntry, ids: readonly string[], complete: boolean): Promise<void> {
    if (!ids.length) return;
    const expires = Math.floor(this.clock.now().getTime() / 1000) + OUTBOX_ITEM.ttlSeconds;
    // On the entry only if it exists: an entry gone (expired) is not written back as a husk.
    await this.table.updateIf(entryKey(entry), {
      UpdateExpression: `ADD #delivered :ids${complete ? ' SET #ttl = :ttl' : ''}`,
      ConditionExpression: `attribute_exists(${KEY.partition})`,
      ExpressionAttributeNames: {
        '#delivered': OUTBOX_ITEM.delivered,
        ...(complete && { '#ttl': TTL_ATTRIBUTE }),
      },
      ExpressionAttributeValues: { ':ids': new Set(ids), ...(complete && { ':ttl': expires }) },
    });
  }
}
