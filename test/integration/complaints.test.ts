import type { LocalStack } from '../../local/stack';
import { appointmentAfter, type Client, drive, ON_SITE_STEPS, urgentBooking } from '../support/client';
import { testStack } from '../support/stack';

// Complaints on the local stack: DynamoDB Local, statemachines/complaint.asl.json on the local
// engine, the real handlers over HTTP, the virtual clock (Asia/Shanghai, UTC+8).

let stack: LocalStack;
let client: Client;
let resident: string;
let agent: string;

/** The next timer step of this complaint's machine, held until released (a late recording lands first). */
let hold: { id: string; held: PromiseWithResolvers<void>; release: PromiseWithResolvers<void> } | null = null;

beforeAll(async () => {
  // The clock is frozen (speed 0): it moves only when a test jumps it.
  ({ stack, client } = await testStack({
    clockSpeed: 0,
    beforeInvoke: async (fn, payload) => {
      const h = hold;
      const p = payload as { subject?: string; action?: string; id?: string };
      if (fn !== 'workflow-step' || !h || p.subject !== 'complaint' || p.action !== 'timer' || p.id !== h.id)
        return;
      hold = null;
      h.held.resolve();
      await h.release.promise;
    },
  }));
  resident = await client.token('r-1001', 'resident');
  agent = await client.token('a-1', 'agent');
});
afterAll(async () => {
  hold?.release.resolve();
  await stack?.stop();
});

const alertsOf = async (complaintId: string) =>
  ((await client.local.listNotifications({ complaintId, topic: 'alerts' })).body as { items: any[] }).items;
const complaintOf = async (id: string) =>
  (await client.request('GET', `/complaints/${id}`, { token: agent })).body;
const historyTypes = async (id: string) =>
  (await client.request('GET', `/complaints/${id}/history`, { token: agent })).body.items.map(
    (i: { type: string }) => i.type,
  );

/**
 * Moves the virtual clock to the next opening of a business day (09:00 on a weekday in
 * Asia/Shanghai), so a complaint filed now is due at the end of today, 15 hours on.
 */
const morning = () => client.toBusinessMorning();

async function fileAboutUnit(extra: Record<string, unknown> = {}) {
  const r = await client.request('POST', '/complaints', {
    token: resident,
    body: {
      unitId: 'B2-1203',
      category: 'conduct',
      description: 'The technician was rude',
      contactPhone: '+8613800138000',
      ...extra,
    },
  });
  expect(r.status).toBe(201);
  await stack.workflow.settle();
  return r.body;
}

const investigation = {
  findings: 'Confirmed by the neighbour',
  cause: 'Stress',
  handler: 'Zhang',
  result: 'Apology and coaching',
};

test('a complaint investigated the same day and called back in time raises no alert and closes', async () => {
  await morning();
  const c = await fileAboutUnit();
  expect(c).toMatchObject({ status: 'received', source: 'resident', jobId: null, callbackAttempts: 0 });

  await client.advance(3 * 3600);
  const inv = await client.request('POST', `/complaints/${c.complaintId}/investigation`, {
    token: agent,
    body: investigation,
  });
  expect(inv.status).toBe(200);
  expect(inv.body.sla.investigationMet).toBe(true);
  await stack.workflow.settle();

  await client.advance(24 * 3600);
  const cb = await client.request('POST', `/complaints/${c.complaintId}/callback`, {
    token: agent,
    body: { reached: true, satisfied: true },
  });
  expect(cb.status).toBe(200);
  await stack.workflow.settle();
  await client.advance(4 * 24 * 3600);

  expect(await alertsOf(c.complaintId)).toEqual([]);
  expect(await complaintOf(c.complaintId)).toMatchObject({
    status: 'closed',
    sla: { investigationMet: true, callbackMet: true },
  });
  expect(await historyTypes(c.complaintId)).toEqual([
    'complaint.received',
    'complaint.investigated',
    'complaint.called_back',
  ]);
  expect(stack.complaintWorkflow.running).toBe(0);
});

test('an investigation missed at midnight alerts once; a callback then missed alerts once more', async () => {
  await morning();
  const c = await fileAboutUnit();
  await client.advance(16 * 3600); // 01:00 the next local day
  const once = await alertsOf(c.complaintId);
  expect(once.map((a) => a.attributes.type)).toEqual(['sla.complaint_investigation_missed']);
  expect(once[0].attributes).toMatchObject({ complaintId: c.complaintId, severity: 'critical' });

  await client.request('POST', `/complaints/${c.complaintId}/investigation`, {
    token: agent,
    body: investigation,
  });
  await stack.workflow.settle();
  await client.advance(3 * 24 * 3600);
  const twice = await alertsOf(c.complaintId);
  expect(twice.map((a) => a.attributes.type)).toEqual([
    'sla.complaint_investigation_missed',
    'sla.complaint_callback_missed',
  ]);
  expect(await complaintOf(c.complaintId)).toMatchObject({
    status: 'investigated',
    sla: { investigationMet: false, callbackMet: false },
  });
});

test('a late investigation recorded before the timer fires alerts exactly once', async () => {
  await morning();
  const c = await fileAboutUnit();
  // The timer fires at midnight; its step is held until the late investigation is in.
  hold = { id: c.complaintId, held: Promise.withResolvers(), release: Promise.withResolvers() };
  const timer = hold;
  stack.clock.advance(15 * 3600 + 60);
  await timer.held.promise;
  const inv = await client.request('POST', `/complaints/${c.complaintId}/investigation`, {
    token: agent,
    body: investigation,
  });
  expect(inv.body.sla.investigationMet).toBe(false);
  timer.release.resolve();
  await stack.workflow.settle();
  await client.advance(3600);
  expect((await alertsOf(c.complaintId)).map((a) => a.attributes.type)).toEqual([
    'sla.complaint_investigation_missed',
  ]);
});

test('a callback that did not reach the resident keeps the deadline, and its answerBy', async () => {
  await morning();
  const c = await fileAboutUnit();
  await client.request('POST', `/complaints/${c.complaintId}/investigation`, {
    token: agent,
    body: investigation,
  });
  await stack.workflow.settle();
  const answerBy = new Date(Date.parse(await client.now()) + 86_400_000).toISOString();
  const attempt = await client.request('POST', `/complaints/${c.complaintId}/callback`, {
    token: agent,
    body: { reached: false, answerBy },
  });
  expect(attempt.body).toMatchObject({
    status: 'investigated',
    callbackAttempts: 1,
    answerBy,
    sla: { callbackMet: null },
  });
  await stack.workflow.settle();
  await client.advance(3 * 24 * 3600 + 60);
  expect((await alertsOf(c.complaintId)).map((a) => a.attributes.type)).toEqual([
    'sla.complaint_callback_missed',
  ]);
});

test('a job callback at satisfaction 1 with the issue unresolved opens one complaint and one rework, linked both ways', async () => {
  const r = await client.book(resident, urgentBooking());
  const jobId = r.body.jobId;
  await stack.workflow.settle();
  await drive(client, jobId, ['job.accepted', 'job.arrived', ...ON_SITE_STEPS]);
  await stack.workflow.settle();
  const appointment = appointmentAfter(new Date(await client.now()), 2 * 86_400_000, 7200_000);
  const body = {
    reached: true,
    satisfaction: 1,
    issueResolved: false,
    comment: 'Still leaking',
    rework: { appointment },
  };
  const answers = await Promise.all(
    [1, 2, 3].map(() => client.request('POST', `/jobs/${jobId}/callback`, { token: agent, body })),
  );
  expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409]);
  await stack.workflow.settle();

  const job = (await client.request('GET', `/jobs/${jobId}`, { token: agent })).body;
  expect(job.status).toBe('closed');
  expect(job.links.complaints).toHaveLength(1);
  expect(job.links.reworkJobs).toHaveLength(1);
  const complaint = await complaintOf(job.links.complaints[0]);
  expect(complaint).toMatchObject({
    source: 'callback',
    category: 'quality',
    jobId,
    description: 'Still leaking',
  });
  const rework = (await client.request('GET', `/jobs/${job.links.reworkJobs[0]}`, { token: agent })).body;
  expect(rework).toMatchObject({
    priority: 'regular',
    appointment,
    links: { reworkOf: jobId, recallOf: null },
  });
  const all = (await client.request('GET', '/complaints', { token: agent })).body.items;
  expect(all.filter((x: { jobId: string }) => x.jobId === jobId)).toHaveLength(1);
});
