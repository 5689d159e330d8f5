import type { LocalStack } from '../../local/stack';
import { type Client, EVENT_DATA, type Reply, urgentBooking } from '../support/client';
import { testStack } from '../support/stack';

// DynamoDB Local going away and coming back: while it is down every request answers 503
// problem+json with Retry-After (never a 500, never an SDK message) and writes nothing;
// once it is back on the same port and files, the very same requests succeed and the
// workflows that were waiting still keep their timers.

let stack: LocalStack;
let client: Client;
/** Set by a test: the next arrival wait's function finds the database gone (back 200 ms later). */
let outageAtNextWait = false;
let restarted: Promise<void> = Promise.resolve();
const waitCalls = new Map<string, number>();

beforeAll(async () => {
  ({ stack, client } = await testStack({
    beforeInvoke: async (fn, payload) => {
      if (fn !== 'await-milestone') return;
      const { id: jobId } = payload as { id: string };
      waitCalls.set(jobId, (waitCalls.get(jobId) ?? 0) + 1);
      if (!outageAtNextWait) return;
      outageAtNextWait = false;
      await stack.dynamo.kill();
      restarted = new Promise((r) => setTimeout(r, 200)).then(() => stack.dynamo.restart());
    },
  }));
});
afterAll(() => stack?.stop());

function expectUnavailable(r: Reply) {
  expect(r.status).toBe(503);
  expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(r.headers.get('retry-after')).toBe('2');
  expect(JSON.stringify(r.body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|at .*\.ts|Exception|Error/);
}

test('an outage answers 503 and writes nothing; after it the same requests succeed and the timer fires once', async () => {
  const resident = await client.token('r-fault', 'resident');
  const manager = await client.token('m-fault', 'manager');
  const late = (await client.book(resident, urgentBooking())).body.jobId;
  const cancelled = (await client.book(resident, urgentBooking())).body.jobId;
  await stack.workflow.settle();
  const snapshot = async () =>
    Promise.all(
      [late, cancelled].flatMap((id) => [
        client.request('GET', `/jobs/${id}`, { token: manager }).then((r) => r.body),
        client.request('GET', `/jobs/${id}/history`, { token: manager }).then((r) => r.body),
      ]),
    );
  const before = await snapshot();
  const mine = async () => (await client.request('GET', '/jobs', { token: resident })).body.items;
  const jobsBefore = await mine();
  // The same requests are sent during the outage and after it: same Idempotency-Key, same webhook-id.
  const booking = urgentBooking();
  const book = () => client.book(resident, booking, { 'Idempotency-Key': 'during-outage' });
  const accept = () =>
    client.hook(
      { type: 'job.accepted', jobId: late, data: EVENT_DATA['job.accepted'] },
      { id: 'msg_during_outage' },
    );
  const cancel = () => client.request('POST', `/jobs/${cancelled}/cancel`, { token: resident, body: {} });

  await stack.dynamo.kill();
  const down = [
    await book(),
    await accept(),
    await cancel(),
    await client.request('GET', `/jobs/${late}`, { token: resident }),
    await client.request('GET', '/jobs', { token: resident }),
  ];
  await stack.dynamo.restart();

  for (const r of down) expectUnavailable(r);
  expect(await snapshot()).toEqual(before);
  expect(await mine()).toEqual(jobsBefore);

  // Nothing was recorded, so neither the key nor the webhook-id counts as seen: both are new work.
  const booked = await book();
  expect(booked.status).toBe(201);
  expect(jobsBefore.map((j: { jobId: string }) => j.jobId)).not.toContain(booked.body.jobId);
  expect(await accept()).toMatchObject({ status: 202, body: { jobId: late, status: 'accepted' } });
  expect(await cancel()).toMatchObject({ status: 200, body: { status: 'cancelled' } });
  expect(await mine()).toHaveLength(jobsBefore.length + 1);

  // The execution that waited through the outage still times the arrival: one alert, for that job only.
  await stack.workflow.settle();
  await client.advance(11 * 60);
  await client.advance(3600);
  expect((await client.notifications(late, 'alerts')).map((a) => a.attributes.type)).toEqual([
    'sla.arrival_missed',
  ]);
  expect(await client.notifications(cancelled, 'alerts')).toEqual([]);
  const lateJob = (await client.request('GET', `/jobs/${late}`, { token: manager })).body;
  expect(lateJob).toMatchObject({ status: 'accepted', sla: { arrivalMet: false } });
});

test('a task that fails while the database is away is retried by the state machine: the job is not stranded', async () => {
  const resident = await client.token('r-fault-task', 'resident');
  outageAtNextWait = true;

  const jobId = (await client.book(resident, urgentBooking())).body.jobId;
  await restarted;
  await stack.workflow.settle(20_000);
  // Failed at least once in the outage (how often depends on how fast Java starts), then a Retry parked the token.
  expect(waitCalls.get(jobId)).toBeGreaterThanOrEqual(2);
  await client.advance(11 * 60);

  // The arrival wait was parked after its retry, so its timer fired: one alert, and no stalled workflow.
  expect((await client.notifications(jobId, 'alerts')).map((a) => a.attributes.type)).toEqual([
    'sla.arrival_missed',
  ]);
  expect(stack.workflow.running).toBeGreaterThan(0);
});
