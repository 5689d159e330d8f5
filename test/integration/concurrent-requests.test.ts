import type { LocalStack } from '../../local/stack';
import { type Client, EVENT_DATA, urgentBooking } from '../support/client';
import { testStack } from '../support/stack';

// Concurrent requests against the real stack: conditional writes decide who wins, once.

let stack: LocalStack;
let client: Client;
let manager: string;

beforeAll(async () => {
  ({ stack, client } = await testStack());
  manager = await client.token('m-race', 'manager');
});
afterAll(() => stack?.stop());

const historyOf = async (jobId: string) =>
  (await client.request('GET', `/jobs/${jobId}/history`, { token: manager })).body.items as Array<{
    type: string;
  }>;

test('20 technicians accepting one job at once: exactly one wins, 19 get 409', async () => {
  const resident = await client.token('r-race-1', 'resident');
  const jobId = (await client.book(resident, urgentBooking())).body.jobId;

  const replies = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      client.hook({ type: 'job.accepted', jobId, technicianId: `t-${i}`, data: EVENT_DATA['job.accepted'] }),
    ),
  );

  const statuses = replies.map((r) => r.status).sort();
  expect(statuses.filter((s) => s === 202)).toHaveLength(1);
  expect(statuses.filter((s) => s === 409)).toHaveLength(19);
  const winner = replies.findIndex((r) => r.status === 202);
  const job = (await client.request('GET', `/jobs/${jobId}`, { token: manager })).body;
  expect(job.technician.id).toBe(`t-${winner}`);
  expect((await historyOf(jobId)).filter((h) => h.type === 'job.accepted')).toHaveLength(1);
});

test('the same Idempotency-Key sent 10 times at once makes one job', async () => {
  const resident = await client.token('r-race-2', 'resident');
  const headers = { 'Idempotency-Key': 'burst-1' };

  const body = urgentBooking();
  const replies = await Promise.all(Array.from({ length: 10 }, () => client.book(resident, body, headers)));

  expect(replies.map((r) => r.status)).toEqual(Array(10).fill(201));
  expect(new Set(replies.map((r) => r.body.jobId)).size).toBe(1);
  expect((await client.request('GET', '/jobs', { token: resident })).body.items).toHaveLength(1);
});

test('a webhook redelivered while the first delivery is in flight is recorded once', async () => {
  const resident = await client.token('r-race-3', 'resident');
  const jobId = (await client.book(resident, urgentBooking())).body.jobId;
  const event = { type: 'job.accepted', jobId, data: EVENT_DATA['job.accepted'] };

  const replies = await Promise.all(
    Array.from({ length: 5 }, () => client.hook(event, { id: 'msg_same_delivery' })),
  );

  expect(replies.filter((r) => r.status === 202)).toHaveLength(1);
  expect(replies.every((r) => [200, 202].includes(r.status))).toBe(true);
  expect(new Set(replies.map((r) => JSON.stringify(r.body))).size).toBe(1);
  expect((await historyOf(jobId)).filter((h) => h.type === 'job.accepted')).toHaveLength(1);
});
