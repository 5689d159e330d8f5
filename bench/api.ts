import { GetItemCommand, PutItemCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { TABLE_NAME } from '../local/stack';
import { urgentBooking } from '../test/support/client';
import type { BenchClient } from './http';
import { bar, progress } from './progress';
import { percentile, round, sleep } from './stats';

export interface ApiResult {
  bookP50Ms: number;
  bookP99Ms: number;
  bookPerSecond: number;
  rawPutItemP50Ms: number;
  details: {
    bookings: number;
    warmup: number;
    bookMeanMs: number;
    rawPutItemP99Ms: number;
    jobItemBytes: number;
    /** The booking's own write, raw: TransactWriteItems of job + history + quota items. */
    rawTransactP50Ms: number;
    /** Bookings with the workflow settled before each one (no background executions). */
    bookSettledP50Ms: number;
    settledBookings: number;
    concurrentClients: number;
    throughputSeconds: number;
    throughputBooked: number;
    throughputErrors: number;
    bookP50UnderLoadMs: number;
  };
}

/** Approximate DynamoDB item size: attribute names + values (what the 1 KB units count). */
function itemBytes(value: unknown): number {
  if (value === null || value === undefined) return 1;
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (typeof value === 'number' || typeof value === 'boolean') return 8;
  if (Array.isArray(value)) return 3 + value.reduce((s: number, v) => s + 1 + itemBytes(v), 0);
  let sum = 3;
  for (const [k, v] of Object.entries(value as Record<string, unknown>))
    sum += Buffer.byteLength(k) + itemBytes(v);
  return sum;
}

async function book(client: BenchClient): Promise<{ ms: number; jobId: string }> {
  const t = performance.now();
  const r = await client.book(client.freshResident(), urgentBooking());
  const ms = performance.now() - t;
  if (r.status !== 201) throw new Error(`booking answered ${r.status}: ${JSON.stringify(r.body)}`);
  return { ms, jobId: r.body.jobId };
}

export async function benchApi(
  client: BenchClient,
  opts: { bookings: number; warmup: number; settled: number; clients: number; seconds: number },
): Promise<ApiResult> {
  const { stack } = client;

  progress.phase('api: sequential bookings over HTTP, interleaved with raw PutItems');
  let lastJob = '';
  for (let i = 0; i < opts.warmup; i++) lastJob = (await book(client)).jobId;
  await stack.workflow.settle(60_000);

  // The same-size item: a booked job's stored item, copied under other keys.
  const raw = stack.dynamo.client;
  const got = await raw.send(
    new GetItemCommand({ TableName: TABLE_NAME, Key: { pk: { S: `JOB#${lastJob}` }, sk: { S: 'JOB' } } }),
  );
  const item = got.Item;
  if (!item) throw new Error('booked job not found');
  const { unmarshall } = await import('@aws-sdk/util-dynamodb');
  const jobItemBytes = itemBytes(unmarshall(item));
  let copies = 0;
  const put = async () => {
    const t = performance.now();
    await raw.send(
      new PutItemCommand({ TableName: TABLE_NAME, Item: { ...item, pk: { S: `BENCH#put-${copies++}` } } }),
    );
    return performance.now() - t;
  };
  for (let i = 0; i < opts.warmup; i++) await put();

  // Blocks of bookings then as many PutItems, so both see the same load on a shared machine.
  // Within a block the bookings follow each other without waiting for their executions.
  const times: number[] = [];
  const puts: number[] = [];
  const block = 25;
  while (times.length < opts.bookings) {
    const n = Math.min(block, opts.bookings - times.length);
    for (let i = 0; i < n; i++) times.push((await book(client)).ms);
    await stack.workflow.settle(60_000);
    for (let i = 0; i < n; i++) puts.push(await put());
    progress.update(
      bar(
        times.length,
        opts.bookings,
        `book p50 ${percentile(times, 50).toFixed(1)} ms, PutItem p50 ${percentile(puts, 50).toFixed(1)} ms`,
      ),
    );
  }

  progress.update('bookings with the workflow settled before each');
  const settled: number[] = [];
  for (let i = 0; i < opts.settled; i++) {
    await stack.workflow.settle(60_000);
    settled.push((await book(client)).ms);
  }
  await stack.workflow.settle(60_000);

  progress.update("raw TransactWriteItems of a booking's three items");
  const copy = (i: number) => ({ ...item, pk: { S: `BENCH#put-${i}` } });
  const transacts: number[] = [];
  for (let i = 0; i < Math.min(opts.bookings, 200); i++) {
    const t = performance.now();
    await raw.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          {
            Put: {
              TableName: TABLE_NAME,
              Item: copy(100_000 + i),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName: TABLE_NAME,
              Item: { pk: { S: `BENCH#put-${100_000 + i}` }, sk: { S: 'EVT#x' }, type: { S: 'job.booked' } },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Update: {
              TableName: TABLE_NAME,
              Key: { pk: { S: `BENCH#quota-${i}` }, sk: { S: 'QUOTA' } },
              UpdateExpression: 'ADD #c :one',
              ExpressionAttributeNames: { '#c': 'count' },
              ExpressionAttributeValues: { ':one': { N: '1' } },
            },
          },
        ],
      }),
    );
    transacts.push(performance.now() - t);
  }

  progress.phase(`api: ${opts.clients} concurrent clients for ${opts.seconds} s`);
  const under: number[] = [];
  let booked = 0;
  let errors = 0;
  const start = performance.now();
  const end = start + opts.seconds * 1000;
  const ticker = setInterval(
    () => progress.update(`${booked} booked, ${((performance.now() - start) / 1000).toFixed(0)} s`),
    500,
  );
  await Promise.all(
    Array.from({ length: opts.clients }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        const r = await client.book(client.freshResident(), urgentBooking());
        const done = performance.now();
        if (done > end) break;
        if (r.status === 201) {
          booked++;
          under.push(done - t);
        } else {
          errors++;
          await sleep(5);
        }
      }
    }),
  );
  clearInterval(ticker);
  const elapsed = (performance.now() - start) / 1000;
  progress.update('letting the new executions park');
  await stack.workflow.settle(120_000);

  const result: ApiResult = {
    bookP50Ms: round(percentile(times, 50)),
    bookP99Ms: round(percentile(times, 99)),
    bookPerSecond: round(booked / Math.min(elapsed, opts.seconds), 1),
    rawPutItemP50Ms: round(percentile(puts, 50)),
    details: {
      bookings: times.length,
      warmup: opts.warmup,
      bookMeanMs: round(times.reduce((a, b) => a + b, 0) / times.length),
      rawPutItemP99Ms: round(percentile(puts, 99)),
      jobItemBytes,
      rawTransactP50Ms: round(percentile(transacts, 50)),
      bookSettledP50Ms: round(percentile(settled, 50)),
      settledBookings: settled.length,
      concurrentClients: opts.clients,
      throughputSeconds: opts.seconds,
      throughputBooked: booked,
      throughputErrors: errors,
      bookP50UnderLoadMs: round(percentile(under, 50)),
    },
  };
  progress.note(
    `book p50 ${result.bookP50Ms} ms, p99 ${result.bookP99Ms} ms, raw PutItem p50 ${result.rawPutItemP50Ms} ms, ${result.bookPerSecond}/s`,
  );
  return result;
}
