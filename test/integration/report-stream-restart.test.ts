import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { expectStatus } from '../../client/api-client';
import { monthOf } from '../../functions/domain/reports';
import { startDynamo } from '../../local/dynamodb';
import { TABLE_NAME } from '../../local/stack';
import { type Client, urgentBooking } from '../support/client';
import { testStack } from '../support/stack';

// The local stream across restarts of one DATA_DIR: the poller goes on after its checkpoint,
// and a table made before the reports (no stream) gets one instead of being refused.

const ZONE = 'Asia/Shanghai';
const dataDir = mkdtempSync(join(tmpdir(), 'report-stream-restart-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** Books one job and answers the month it counts in. */
async function bookOne(client: Client): Promise<string> {
  const resident = await client.token('r-restart-report', 'resident');
  const job = expectStatus(
    await client.bookJob(resident, { ...urgentBooking(), locale: 'en' } as never),
    201,
  );
  return monthOf(job.createdAt, ZONE);
}

async function bookedIn(client: Client, months: string[]): Promise<number> {
  const manager = await client.token('m-restart-report', 'manager');
  let booked = 0;
  for (const month of new Set(months))
    booked += expectStatus(await client.getMonthlyReport(manager, { month }), 200).jobs.booked;
  return booked;
}

const streamArn = () =>
  (JSON.parse(readFileSync(join(dataDir, 'stream-checkpoint.json'), 'utf8')) as { streamArn: string })
    .streamArn;

test('a restart goes on after the checkpoint: no record is delivered twice, new changes still count', async () => {
  const months: string[] = [];
  const delivered = (into: string[]) => ({
    onStreamBatch: (event: DynamoDBStreamEvent) => into.push(...event.Records.map((r) => r.eventID ?? '')),
  });
  const before: string[] = [];
  const first = await testStack({ dataDir, ...delivered(before) });
  try {
    months.push(await bookOne(first.client));
    await first.stack.workflow.settle();
    await first.stack.streams.settle();
    expect(before.length).toBeGreaterThan(0);
  } finally {
    await first.stack.stop();
  }

  const after: string[] = [];
  const second = await testStack({ dataDir, ...delivered(after) });
  try {
    months.push(await bookOne(second.client));
    await second.stack.workflow.settle();
    await second.stack.streams.settle();

    expect(after.length).toBeGreaterThan(0);
    expect(after.filter((id) => before.includes(id))).toEqual([]);
    expect(await bookedIn(second.client, months)).toBe(2);
  } finally {
    await second.stack.stop();
  }
});

test('a table without a stream (a DATA_DIR from before the reports) gets one, and counts from then on', async () => {
  const before = streamArn();
  const dynamo = await startDynamo(join(dataDir, 'dynamodb'), TABLE_NAME);
  try {
    await dynamo.client.send(
      new UpdateTableCommand({ TableName: TABLE_NAME, StreamSpecification: { StreamEnabled: false } }),
    );
    const { Table } = await dynamo.client.send(new DescribeTableCommand({ TableName: TABLE_NAME }));
    expect(Table?.StreamSpecification?.StreamEnabled ?? false).toBe(false);
  } finally {
    await dynamo.stop();
  }

  const third = await testStack({ dataDir });
  try {
    await third.stack.streams.settle();
    const month = monthOf(await third.client.now(), ZONE);
    const counted = await bookedIn(third.client, [month]);

    expect(await bookOne(third.client)).toBe(month);
    await third.stack.streams.settle();

    expect(third.stack.dynamo.streamArn).not.toBe(before);
    expect(streamArn()).toBe(third.stack.dynamo.streamArn);
    // What was counted before stays; the new booking counts, from the new stream.
    expect(await bookedIn(third.client, [month])).toBe(counted + 1);
  } finally {
    await third.stack.stop();
  }
});
