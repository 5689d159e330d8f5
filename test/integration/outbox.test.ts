import type { DynamoDBStreamEvent } from 'aws-lambda';
import type { LocalStack } from '../../local/stack';
import { type Client, urgentBooking } from '../support/client';
import { testStack } from '../support/stack';

// The transactional outbox on the local stack: every notice and every execution start is written
// in its commit's transaction and delivered from the table's stream (outbox-stream). SNS down for
// a stretch delays messages and loses none; a redelivered batch sends nothing twice; a booking
// whose StartExecution failed still gets its execution, timed from the booking.

let stack: LocalStack;
let client: Client;
let resident: string;

/** The fault seams: SNS and StartExecution fail while these are set. */
const faults = { sns: false, start: false };
/** Every publish attempt by messageId, and the ones that failed. */
const attempts = new Map<string, number>();
const failedOnce = new Set<string>();
const starts = new Map<string, number>();
const batches: DynamoDBStreamEvent[] = [];

const outage = (what: string) =>
  Object.assign(new Error(`${what} is down`), { name: 'InternalErrorException' });

beforeAll(async () => {
  ({ stack, client } = await testStack({
    clockSpeed: 0,
    beforeNotify: (_about, notice) => {
      const id = notice.attributes?.messageId ?? '';
      attempts.set(id, (attempts.get(id) ?? 0) + 1);
      if (!faults.sns) return;
      failedOnce.add(id);
      throw outage('SNS');
    },
    beforeStart: (id) => {
      if (faults.start) throw outage('Step Functions');
      starts.set(id, (starts.get(id) ?? 0) + 1);
    },
    onOutboxBatch: (event) => batches.push(structuredClone(event)),
  }));
  resident = await client.token('r-1', 'resident');
});
afterAll(() => stack?.stop());

async function book(): Promise<string> {
  const r = await client.bookJob(resident, urgentBooking() as never);
  expect(r.status).toBe(201);
  return (r.body as { jobId: string }).jobId;
}

const residentMessages = (jobIds: readonly string[]) =>
  stack.outbox.list({ topic: 'residents' }).filter((m) => jobIds.includes(m.attributes.jobId ?? ''));

it('SNS failing for a stretch then back: every resident message arrives exactly once, delayed, none lost', async () => {
  faults.sns = true;
  const started = Date.now();
  const jobs: string[] = [];
  for (let i = 0; i < 8; i++) jobs.push(await book());
  // The bookings answered with SNS down; nothing went out, and the stream keeps retrying.
  await new Promise((r) => setTimeout(r, 2_000));
  expect(residentMessages(jobs)).toEqual([]);
  const outageMs = Date.now() - started;
  const expected = jobs.map((jobId) => `${jobId}:1:0`);
  // Delayed: not out when SNS came back (all of them). Tried during the outage: the record at the
  // head of its shard, retried with backoff; the records behind it wait their turn, in order.
  const tried = expected.filter((id) => failedOnce.has(id));
  faults.sns = false;

  await stack.workflow.settle(60_000);

  const arrived = residentMessages(jobs);
  const ids = arrived.map((m) => m.attributes.messageId ?? '');
  const lost = expected.filter((id) => !ids.includes(id));
  const twice = ids.filter((id, i) => ids.indexOf(id) !== i);
  const delayed = expected.filter((id) => ids.includes(id));
  console.log(
    `SNS outage of ${(outageMs / 1000).toFixed(1)} s over ${jobs.length} bookings: ` +
      `${expected.length} resident messages, ${delayed.length} delayed, ${lost.length} lost, ` +
      `${twice.length} sent twice; ${tried.length} tried during the outage (the rest queued behind it), ` +
      `${[...attempts.values()].reduce((a, b) => a + b, 0)} publish attempts in all`,
  );
  expect(arrived.map((m) => [m.attributes.jobId, m.attributes.type])).toEqual(
    jobs.map((jobId) => [jobId, 'job.booked']),
  );
  expect({ lost, twice, delayed: delayed.length }).toEqual({ lost: [], twice: [], delayed: jobs.length });
  expect(tried.length).toBeGreaterThan(0);
  // Every execution started, once each, though SNS held their records back.
  for (const jobId of jobs) expect(starts.get(jobId)).toBe(1);
});

it('a redelivered stream batch sends nothing twice and starts nothing again', async () => {
  const jobId = await book();
  await stack.workflow.settle();
  const batch = batches.find((b) =>
    b.Records.some(
      (r) => r.dynamodb?.Keys?.pk?.S === `JOB#${jobId}` && r.dynamodb?.Keys?.sk?.S?.startsWith('OUTBOX#'),
    ),
  );
  expect(batch).toBeDefined();
  const published = stack.outbox.list({}).length;
  expect(stack.outbox.list({ jobId }).map((m) => m.attributes.type)).toEqual(['job.booked', 'job.booked']);

  const answer = await stack.invoke('outbox-stream', batch);

  expect(answer).toEqual({ batchItemFailures: [] });
  expect(stack.outbox.list({}).length).toBe(published);
  expect(starts.get(jobId)).toBe(1);
});

it('a booking whose start failed is never stranded, and its SLA still counts from the booking', async () => {
  faults.start = true;
  const jobId = await book();
  const job = async () => {
    const j = await stack.ports.store.get(jobId);
    if (!j) throw new Error('no job');
    return j;
  };
  const { createdAt, sla } = await job();
  const warnAfter = (Date.parse(sla.acceptWarnAt ?? '') - Date.parse(createdAt)) / 1000;
  expect(warnAfter).toBeGreaterThan(60);
  // Its notices went out; its start did not: no execution waits for the job.
  await new Promise((r) => setTimeout(r, 1_000));
  expect(stack.outbox.list({ jobId, topic: 'residents' })).toHaveLength(1);
  expect((await job()).wait).toBeNull();
  // Time passes before StartExecution works again (half the acceptance window).
  const before = Math.floor(warnAfter / 2);
  stack.clock.advance(before);
  faults.start = false;

  await stack.workflow.settle(30_000);

  expect(starts.get(jobId)).toBe(1);
  expect((await job()).wait).toMatchObject({ milestone: 'arrival' });
  expect(stack.outbox.list({ jobId, topic: 'residents' })).toHaveLength(1);
  // The acceptance warning is due warnAfter seconds after the booking, not after the late start.
  await client.advance(warnAfter - before - 5);
  expect(stack.outbox.list({ jobId, topic: 'alerts' })).toEqual([]);
  await client.advance(10);
  expect(stack.outbox.list({ jobId, topic: 'alerts' }).map((a) => a.attributes.type)).toEqual([
    'sla.acceptance_warning',
  ]);
});
