import { marshall } from '@aws-sdk/util-dynamodb';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { jobItem } from '../../../functions/adapters/dynamo-job-store';
import { localObservability } from '../../../functions/adapters/observability';
import type { AppPorts } from '../../../functions/adapters/ports';
import { jobChangeOf } from '../../../functions/adapters/table-stream';
import { UnavailableError } from '../../../functions/domain/errors';
import type { Job } from '../../../functions/domain/types';
import { reportStreamHandler } from '../../../functions/report-stream/report-stream';
import { fakePorts } from '../support/fakes';
import { jobIn, makeJob } from '../support/fixtures';

// The table's stream as Lambda delivers it: which records are job changes, and how a batch
// answers the records that failed.

let sequence = 0;
/** A stream record of one item's change, in the Lambda event's shape. */
function record(
  keys: Record<string, string>,
  images: { old?: Record<string, unknown>; new?: Record<string, unknown> },
  eventID = `event-${++sequence}`,
): DynamoDBRecord {
  const wire = (item?: Record<string, unknown>) =>
    item && (marshall(item, { removeUndefinedValues: true }) as never);
  return {
    eventID,
    eventName: images.old ? (images.new ? 'MODIFY' : 'REMOVE') : 'INSERT',
    eventSource: 'aws:dynamodb',
    dynamodb: {
      Keys: wire(keys),
      OldImage: wire(images.old),
      NewImage: wire(images.new),
      SequenceNumber: String(sequence).padStart(21, '0'),
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  };
}
const jobKeys = (job: Job) => ({ pk: `JOB#${job.jobId}`, sk: 'JOB' });
const jobRecord = (before: Job | null, after: Job, eventID?: string) =>
  record(jobKeys(after), { ...(before && { old: jobItem(before) }), new: jobItem(after) }, eventID);

describe('jobChangeOf', () => {
  it('reads a new job item as a change from nothing, keyed by the record', () => {
    const job = makeJob();

    expect(jobChangeOf(jobRecord(null, job, 'event-a'))).toEqual({ id: 'event-a', before: null, after: job });
  });

  it("reads both images of a job item's change, without the table's index keys", () => {
    const before = makeJob();
    const after = jobIn('accepted');

    const change = jobChangeOf(jobRecord(before, after));

    expect(change?.before).toEqual(before);
    expect(change?.after).toEqual(after);
    expect(change?.after).not.toHaveProperty('gsi2pk');
  });

  it.each([
    ['a history item', { pk: 'JOB#job-1', sk: 'EVT#2026-11-23T08:00:00.000Z#000001#0' }],
    ['a webhook receipt', { pk: 'HOOK#msg-1', sk: 'RECEIPT' }],
    ['a quota counter', { pk: 'QUOTA#r-1#2026-11-23T08:00:00.000Z', sk: 'QUOTA' }],
    ['a report counter', { pk: 'REPORT#2026-11#B2', sk: 'TOTAL' }],
    ['a stream marker', { pk: 'APPLIED#event-1', sk: 'APPLIED' }],
  ])('is no job change for %s', (_what, keys) => {
    expect(jobChangeOf(record(keys, { new: { ...keys, type: 'job.booked' } }))).toBeNull();
  });
});

describe('the report-stream consumer', () => {
  const context = { functionName: 'report-stream', awsRequestId: 'req-1' } as Context;
  const consumer = () => {
    const ports = { ...fakePorts(), observability: localObservability({ logLevel: 'SILENT' }) };
    const handler = reportStreamHandler(ports as unknown as AppPorts);
    return {
      ports,
      run: (...records: DynamoDBRecord[]) =>
        handler({ Records: records } as DynamoDBStreamEvent, context) as Promise<DynamoDBBatchResponse>,
    };
  };

  it('counts a booking once, however often its record is delivered', async () => {
    const { ports, run } = consumer();
    const booking = jobRecord(null, makeJob());

    await run(booking);
    const again = await run(booking);

    expect(again).toEqual({ batchItemFailures: [] });
    expect((await ports.reports.read('2026-11', null)).totals).toEqual({ booked: 1, 'category:plumbing': 1 });
    expect(ports.reports.applied).toEqual(new Set([booking.eventID]));
  });

  it('skips the records of other items without writing anything', async () => {
    const { ports, run } = consumer();

    const answer = await run(
      record({ pk: 'HOOK#msg-1', sk: 'RECEIPT' }, { new: { pk: 'HOOK#msg-1', sk: 'RECEIPT' } }),
    );

    expect(answer).toEqual({ batchItemFailures: [] });
    expect(ports.reports.applied.size).toBe(0);
  });

  it('stops at the first record that fails and reports it, so it and those after it come again', async () => {
    const { ports, run } = consumer();
    const first = jobRecord(null, makeJob({ jobId: 'job-1' }));
    const failing = jobRecord(null, makeJob({ jobId: 'job-2' }));
    const after = jobRecord(null, makeJob({ jobId: 'job-3' }));
    const apply = ports.reports.apply.bind(ports.reports);
    ports.reports.apply = async (id, facts) => {
      if (id === failing.eventID) throw new UnavailableError('the table is busy');
      return apply(id, facts);
    };

    const answer = await run(first, failing, after);

    expect(answer).toEqual({ batchItemFailures: [{ itemIdentifier: failing.dynamodb?.SequenceNumber }] });
    expect([...ports.reports.applied]).toEqual([first.eventID]);
  });
});
