import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { AppError } from '../domain/errors';
import type { RecordedEvent } from '../domain/recorded-events';
import type { ComplaintChange, ItemChange, JobChange } from '../domain/reports';
import type { HistoryItem } from '../domain/types';
import { complaintFromItem } from './dynamo-complaint-store';
import { jobFromItem } from './dynamo-job-store';
import { type Observability, observed } from './observability';
import { COMPLAINT_ITEM, JOB_ITEM, KEY } from './table-layout';

// The table's change stream as Lambda's event source mapping delivers it (and the local stack's
// poller, local/stream.ts, in the same shape): a record becomes a job's or a complaint's change,
// told apart by the item's keys (table-layout.ts), and a batch is answered with the records that
// failed, so only those and the ones after them come again.

type Image = NonNullable<DynamoDBRecord['dynamodb']>['NewImage'];

/** The change of an item of `layout` (its partition prefix and sort key), or null for any other item. */
function changeOf<T>(
  record: DynamoDBRecord,
  layout: { partitionPrefix: string; sort: string },
  fromItem: (item: Record<string, unknown>) => T,
): ItemChange<T> | null {
  const keys = record.dynamodb?.Keys;
  const pk = keys?.[KEY.partition]?.S;
  if (keys?.[KEY.sort]?.S !== layout.sort || !pk?.startsWith(layout.partitionPrefix)) return null;
  // The Lambda event's images are the wire format unmarshall reads (its types differ only for binary).
  const image = (i: Image) => (i ? fromItem(unmarshall(i as Record<string, AttributeValue>)) : null);
  return {
    id: record.eventID ?? `${pk}#${record.dynamodb?.SequenceNumber}`,
    before: image(record.dynamodb?.OldImage),
    after: image(record.dynamodb?.NewImage),
  };
}

/** The job item a record changed, or null for any other item (history, receipts, counters, markers). */
export const jobChangeOf = (record: DynamoDBRecord): JobChange | null =>
  changeOf(record, JOB_ITEM, jobFromItem);

/** The complaint item a record changed, or null for any other item (its history among them). */
export const complaintChangeOf = (record: DynamoDBRecord): ComplaintChange | null =>
  changeOf(record, COMPLAINT_ITEM, complaintFromItem);

/**
 * The history item a record inserted (a job's or a complaint's), or null for any other record:
 * history is append-only, so only its INSERTs are events; a redelivery repeats the same position.
 */
export function recordedEventOf(record: DynamoDBRecord): RecordedEvent | null {
  if (record.eventName !== 'INSERT') return null;
  const keys = record.dynamodb?.Keys;
  const pk = keys?.[KEY.partition]?.S;
  const sk = keys?.[KEY.sort]?.S;
  const image = record.dynamodb?.NewImage;
  if (!pk || !sk || !image) return null;
  for (const [subject, layout] of [
    ['job', JOB_ITEM],
    ['complaint', COMPLAINT_ITEM],
  ] as const) {
    if (!pk.startsWith(layout.partitionPrefix) || !sk.startsWith(layout.historyPrefix)) continue;
    const { type, at, actor, data } = unmarshall(image as Record<string, AttributeValue>) as HistoryItem;
    return {
      subject,
      id: pk.slice(layout.partitionPrefix.length),
      position: sk,
      item: { type, at, actor, data },
    };
  }
  return null;
}

/**
 * How long a consumer pauses before answering a failed record, by the record's age: an eighth of
 * it, at most `capMs`. Lambda retries a stream batch at once; the pause spaces the retries out
 * geometrically (each at about 1.125 times the age of the one before), so an SNS outage of minutes
 * costs a few dozen invocations, not thousands, and a record is retried every `capMs` at worst.
 */
export function retryPauseMs(record: DynamoDBRecord, now: number, capMs: number): number {
  const created = record.dynamodb?.ApproximateCreationDateTime;
  if (!capMs || created === undefined) return 0;
  return Math.min(capMs, Math.max(0, (now - created * 1000) / 8));
}

/**
 * A stream consumer: records in order, one at a time; at the first that fails, the batch stops
 * and that record is reported (ReportBatchItemFailures), so the event source delivers it and
 * those after it again. What was applied before is not counted twice: the consumer is idempotent.
 * With `pauseCapMs`, a failed record is answered after retryPauseMs.
 */
export function streamHandler(
  obs: Observability,
  fn: (record: DynamoDBRecord) => Promise<unknown>,
  opts: { pauseCapMs?: number } = {},
) {
  const { logger } = obs;
  return observed(
    obs,
    middy<DynamoDBStreamEvent, DynamoDBBatchResponse>().handler(async (event) => {
      for (const record of event.Records ?? []) {
        try {
          await fn(record);
        } catch (e) {
          // Only the name: an SDK's message can carry hosts, ARNs or request data.
          const extra = { errorName: (e as Error)?.name ?? 'Error', eventID: record.eventID };
          if (e instanceof AppError) logger.warn('stream record failed', extra);
          else logger.error('stream record failed', extra);
          const pause = retryPauseMs(record, Date.now(), opts.pauseCapMs ?? 0);
          if (pause) await new Promise((resolve) => setTimeout(resolve, pause));
          return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }] };
        }
      }
      return { batchItemFailures: [] };
    }),
  );
}
