import { marshall } from '@aws-sdk/util-dynamodb';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { complaintItem } from '../../../functions/adapters/dynamo-complaint-store';
import { jobItem } from '../../../functions/adapters/dynamo-job-store';
import { localObservability } from '../../../functions/adapters/observability';
import type { AppPorts } from '../../../functions/adapters/ports';
import { complaintChangeOf, jobChangeOf, recordedEventOf } from '../../../functions/adapters/table-stream';
import { UnavailableError } from '../../../functions/domain/errors';
import type { Complaint, Job } from '../../../functions/domain/types';
import { reportStreamHandler } from '../../../functions/report-stream/report-stream';
import { fakePorts } from '../support/fakes';
import { complaintIn, jobIn, makeJob } from '../support/fixtures';

// The table's stream as Lambda delivers it: which records are job or complaint changes, and
// how a batch answers the records that failed.

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
const complaintKeys = (c: Complaint) => ({ pk: `COMPLAINT#${c.complaintId}`, sk: 'COMPLAINT' });
const complaintRecord = (before: Complaint | null, after: Complaint, eventID?: string) =>
  record(
    complaintKeys(after),
    { ...(before && { old: complaintItem(before) }), new: complaintItem(after) },
    eventID,
  );

describe('recordedEventOf', () => {
  const item = {
    type: 'job.accepted',
    at: '2026-11-23T08:01:00.000Z',
    actor: 't-7',
    data: { technicianId: 't-7' },
  };
  const sk = 'EVT#2026-11-23T08:01:00.000Z#000002#0';

  it("reads an inserted history item of a job as that job's event, at its sort key", () => {
    expect(recordedEventOf(record({ pk: 'JOB#j-1', sk }, { new: { pk: 'JOB#j-1', sk, ...item } }))).toEqual({
      subject: 'job',
      id: 'j-1',
      position: sk,
      item,
    });
  });

  it("reads a complaint's history item as the complaint's event", () => {
    const keys = { pk: 'COMPLAINT#c-1', sk };
    expect(
      recordedEventOf(record(keys, { new: { ...keys, ...item, type: 'complaint.filed' } })),
    ).toMatchObject({
      subject: 'complaint',
      id: 'c-1',
      item: { type: 'complaint.filed' },
    });
  });

  it.each([
    ['the job item', { pk: 'JOB#j-1', sk: 'JOB' }],
    ['a receipt', { pk: 'IDEM#r-1#k', sk: 'RECEIPT' }],
    ['a report counter', { pk: 'REPORT#2026-11#*', sk: 'TOTAL' }],
  ])('is null for %s', (_what, keys) => {
    expect(recordedEventOf(record(keys, { new: { ...keys, ...item } }))).toBeNull();
  });

  it('is null for a history item modified or removed: only an insert is an event', () => {
    const keys = { pk: 'JOB#j-1', sk };
    expect(
      recordedEventOf(record(keys, { old: { ...keys, ...item }, new: { ...keys, ...item } })),
    ).toBeNull();
    expect(recordedEventOf(record(keys, { old: { ...keys, ...item } }))).toBeNull();
  });
});

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
    ['a complaint item', { pk: 'COMPLAINT#c-1', sk: 'COMPLAINT' }],
  ])('is no job change for %s', (_what, keys) => {
    expect(jobChangeOf(record(keys, { new: { ...keys, type: 'job.booked' } }))).toBeNull();
  });
});

describe('complaintChangeOf', () => {
  it("reads both images of a complaint item's change, without the table's index keys", () => {
    const before = complaintIn('received');
    const after = complaintIn('investigated');

    const change = complaintChangeOf(complaintRecord(before, after, 'event-c'));

    expect(change).toEqual({ id: 'event-c', before, after });
    expect(change?.after).not.toHaveProperty('gsi2pk');
  });

  it('reads a new complaint item as a change from nothing', () => {
    const c = complaintIn('received');

    expect(complaintChangeOf(complaintRecord(null, c))).toMatchObject({ before: null, after: c });
  });

  it.each([
    ['a job item', { pk: 'JOB#job-1', sk: 'JOB' }],
    ["a complaint's history item", { pk: 'COMPLAINT#c-1', sk: 'EVT#2026-11-23T08:00:00.000Z#000001#0' }],
    ['an item of another partition with the sort key COMPLAINT', { pk: 'JOB#job-1', sk: 'COMPLAINT' }],
    ['a report counter', { pk: 'REPORT#2026-11#B2', sk: 'TOTAL' }],
  ])('is no complaint change for %s', (_what, keys) => {
    expect(complaintChangeOf(record(keys, { new: { ...keys } }))).toBeNull();
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

  it("counts a complaint's changes as complaint figures, each record once", async () => {
    const { ports, run } = consumer();
    const filed = complaintIn('received');
    const investigated = complaintIn('investigated');
    const records = [complaintRecord(null, filed), complaintRecord(filed, investigated)];

    await run(...records);
    await run(...records);

    expect((await ports.reports.read('2026-11', 'B2')).totals).toEqual({
      'complaint:received': 1,
      'complaint:investigation:met': 1,
    });
    expect(ports.reports.applied).toEqual(new Set(records.map((r) => r.eventID)));
  });

  it('counts a booking that recalls a signed job for the technician who signed it', async () => {
    const { ports, run } = consumer();
    const recall = {
      jobId: 'job-0',
      technician: { id: 't-5', name: 'Zhao Qian' },
      signedAt: '2026-10-30T02:00:00.000Z',
    };

    await run(jobRecord(null, makeJob({ recall, links: { ...makeJob().links, recallOf: 'job-0' } })));

    const october = await ports.reports.read('2026-10', 'B2');
    expect(october.totals).toEqual({ recalls: 1 });
    expect(october.technicians).toEqual([{ id: 't-5', name: 'Zhao Qian', counters: { recalls: 1 } }]);
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
