import {
  type AttributeValue,
  GetItemCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { TABLE_NAME } from '../local/stack';
import { urgentBooking } from '../test/support/client';
import type { BenchClient } from './http';
import { bar, progress } from './progress';
import { percentile, round, sleep, timed } from './stats';

// Booking latency against the raw writes it is judged by, all over the same DynamoDB Local
// in the same run; then throughput with many clients. The client, the HTTP front door, the
// handlers and the engine share this Node process; DynamoDB Local is a JVM child process.

export type Latency = ReturnType<typeof latency>;
export type ApiResult = Awaited<ReturnType<typeof benchApi>>;

const latency = (ms: number[]) => ({
  p50Ms: round(percentile(ms, 50)),
  p99Ms: round(percentile(ms, 99)),
  count: ms.length,
});

async function book(client: BenchClient): Promise<string> {
  const r = await client.book(client.freshResident(), urgentBooking());
  if (r.status !== 201) throw new Error(`booking answered ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body.jobId;
}

/** The four items of a booking's transaction (job, history, outbox entry, quota), under keys of their own. */
function bookingTransaction(job: Record<string, AttributeValue>, i: number) {
  const pk = { S: `BENCH#tx-${i}` };
  return new TransactWriteItemsCommand({
    TransactItems: [
      {
        Put: { TableName: TABLE_NAME, Item: { ...job, pk }, ConditionExpression: 'attribute_not_exists(pk)' },
      },
      {
        Put: {
          TableName: TABLE_NAME,
          Item: { pk, sk: { S: 'EVT#x' }, type: { S: 'job.booked' } },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Put: {
          TableName: TABLE_NAME,
          Item: { pk, sk: { S: 'OUTBOX#000001' }, messages: { L: [{ M: { kind: { S: 'notice' } } }] } },
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
  });
}

/** Books with `clients` concurrent clients for `seconds`; latencies of the bookings answered in time. */
async function throughput(client: BenchClient, clients: number, seconds: number) {
  const ms: number[] = [];
  let errors = 0;
  const end = performance.now() + seconds * 1000;
  const ticker = setInterval(() => progress.update(`${ms.length} booked`), 500);
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        const r = await client.book(client.freshResident(), urgentBooking());
        const done = performance.now();
        if (done > end) break;
        if (r.status === 201) ms.push(done - t);
        else {
          errors++;
          await sleep(5);
        }
      }
    }),
  );
  clearInterval(ticker);
  return { ms, errors };
}

export async function benchApi(
  client: BenchClient,
  opts: { bookings: number; warmup: number; settled: number; clients: number; seconds: number },
) {
  const { stack } = client;
  const raw = stack.dynamo.client;
  // Settled: no execution and no stream batch still writing to the one DynamoDB Local.
  const settle = async () => {
    await stack.workflow.settle(60_000);
    await stack.streams.settle(60_000);
  };

  progress.phase('api: sequential bookings, interleaved with raw PutItems');
  let lastJob = '';
  for (let i = 0; i < opts.warmup; i++) lastJob = await book(client);
  await settle();
  const got = await raw.send(
    new GetItemCommand({ TableName: TABLE_NAME, Key: { pk: { S: `JOB#${lastJob}` }, sk: { S: 'JOB' } } }),
  );
  const job = got.Item;
  if (!job) throw new Error('booked job not found');
  let copies = 0;
  const put = () =>
    timed(() =>
      raw.send(
        new PutItemCommand({ TableName: TABLE_NAME, Item: { ...job, pk: { S: `BENCH#put-${copies++}` } } }),
      ),
    );
  for (let i = 0; i < opts.warmup; i++) await put();

  // Blocks of bookings, then as many PutItems: both sides see the same load on a shared machine.
  const bookings: number[] = [];
  const puts: number[] = [];
  while (bookings.length < opts.bookings) {
    const n = Math.min(25, opts.bookings - bookings.length);
    for (let i = 0; i < n; i++) bookings.push(await timed(() => book(client)));
    await settle();
    for (let i = 0; i < n; i++) puts.push(await put());
    progress.update(
      bar(bookings.length, opts.bookings, `book p50 ${percentile(bookings, 50).toFixed(1)} ms`),
    );
  }

  progress.update('bookings with the workflow and the stream settled before each');
  const settled: number[] = [];
  for (let i = 0; i < opts.settled; i++) {
    await settle();
    settled.push(await timed(() => book(client)));
  }
  await settle();

  progress.update("raw TransactWriteItems of a booking's four items");
  const transacts: number[] = [];
  for (let i = 0; i < opts.bookings; i++)
    transacts.push(await timed(() => raw.send(bookingTransaction(job, i))));

  progress.phase(`api: ${opts.clients} concurrent clients for ${opts.seconds} s`);
  const load = await throughput(client, opts.clients, opts.seconds);
  progress.update('letting the new executions park');
  await stack.workflow.settle(120_000);

  const booking = latency(bookings);
  const rawPutItem = latency(puts);
  progress.note(`book p50 ${booking.p50Ms} ms, raw PutItem p50 ${rawPutItem.p50Ms} ms`);
  return {
    bookP50Ms: booking.p50Ms,
    bookP99Ms: booking.p99Ms,
    rawPutItemP50Ms: rawPutItem.p50Ms,
    bookPerSecond: round(load.ms.length / opts.seconds, 1),
    /** Sequential POST /jobs, each answered before the next, its execution left running. */
    booking,
    /** PutItem of a booked job's stored item (same size, same GSI keys) under new keys. */
    rawPutItem,
    /** The booking's own write by hand: TransactWriteItems of job, history, outbox and quota items. */
    rawTransactWrite: latency(transacts),
    /** POST /jobs with the workflow and the stream settled before each: nothing else writing. */
    settledBooking: latency(settled),
    /** Each booking's round trip while `clients` book at once. */
    bookingUnderLoad: latency(load.ms),
    throughput: { clients: opts.clients, seconds: opts.seconds, booked: load.ms.length, errors: load.errors },
  };
}
