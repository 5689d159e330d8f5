import type { LocalStack } from '../../local/stack';
import { type Client, urgentBooking } from '../support/client';
import { testStack } from '../support/stack';

// Each stack builds its own ports (composition root, no module globals): two of them in one
// process keep their own database, outbox, clock, secret and settings.

let a: { stack: LocalStack; client: Client };
let b: { stack: LocalStack; client: Client };

beforeAll(async () => {
  [a, b] = await Promise.all([
    testStack({ settings: { staffLocale: 'en' } }),
    testStack({ webhookSecret: 'whsec_b3RoZXItc3RhY2stc2VjcmV0', settings: { staffLocale: 'zh-CN' } }),
  ]);
});
afterAll(async () => {
  await Promise.all([a?.stack.stop(), b?.stack.stop()]);
});

test('two stacks in one process keep their jobs, outboxes and settings apart', async () => {
  const tokenA = await a.client.token('r-a', 'resident');
  const tokenB = await b.client.token('r-b', 'resident');

  const jobA = (await a.client.book(tokenA, urgentBooking())).body.jobId;
  const jobB = (await b.client.book(tokenB, urgentBooking())).body.jobId;

  const listed = async (s: typeof a, token: string) =>
    (await s.client.request('GET', '/jobs', { token })).body.items.map((j: { jobId: string }) => j.jobId);
  expect(await listed(a, await a.client.token('m-a', 'manager'))).toEqual([jobA]);
  expect(await listed(b, await b.client.token('m-b', 'manager'))).toEqual([jobB]);
  expect((await a.client.request('GET', `/jobs/${jobB}`, { token: tokenA })).status).toBe(404);

  const [techA] = await a.client.notifications(jobA, 'technicians');
  const [techB] = await b.client.notifications(jobB, 'technicians');
  expect(techA?.subject).toBe('New job');
  expect(techB?.subject).toBe('新工单');
  expect(await a.client.notifications(jobB)).toEqual([]);
});

test("a webhook signed with one stack's secret is refused by the other", async () => {
  const token = await b.client.token('r-b2', 'resident');
  const jobId = (await b.client.book(token, urgentBooking())).body.jobId;
  const accepted = { type: 'job.accepted', jobId, data: { technicianName: 'Wang Wei' } };

  expect((await b.client.hook(accepted, { secret: a.client.webhookSecret })).status).toBe(401);
  expect((await b.client.hook(accepted)).status).toBe(202);
});

test('advancing one clock leaves the other alone', async () => {
  const before = Date.parse(await b.client.now());

  await a.client.advance(3600);

  expect(Date.parse(await b.client.now()) - before).toBeLessThan(60_000);
});
