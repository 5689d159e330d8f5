import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectStatus } from '../../client/api-client';
import type { LocalStack } from '../../local/stack';
import { appointmentAfter, type Client, drive, ON_SITE_STEPS, urgentBooking } from '../support/client';
import { testStack } from '../support/stack';

// Rework, follow-up and recall on the local stack, a restart in the middle of a complaint, and
// the complaints' authorization: the real handlers over HTTP on DynamoDB Local.

const dataDir = mkdtempSync(join(tmpdir(), 'complaint-links-'));
let stack: LocalStack;
let client: Client;
let alice: string;
let bob: string;
let agent: string;
let manager: string;

const start = async () => {
  ({ stack, client } = await testStack({ dataDir, clockSpeed: 0 }));
};
beforeAll(async () => {
  await start();
  [alice, bob, agent, manager] = await Promise.all([
    client.token('r-links-alice', 'resident'),
    client.token('r-links-bob', 'resident'),
    client.token('a-links', 'agent'),
    client.token('m-links', 'manager'),
  ]);
});
afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const DAY = 86_400;

async function signedJob(unitId: string, category = 'plumbing') {
  const r = await client.book(alice, urgentBooking({ unitId, category }));
  expect(r.status).toBe(201);
  await stack.workflow.settle();
  await drive(client, r.body.jobId, ['job.accepted', 'job.arrived', ...ON_SITE_STEPS]);
  await stack.workflow.settle();
  return r.body.jobId as string;
}

async function bookAgain(unitId: string, category = 'plumbing') {
  const r = await client.book(alice, urgentBooking({ unitId, category }));
  expect(r.status).toBe(201);
  await stack.workflow.settle();
  return r.body;
}

const historyTypes = async (jobId: string): Promise<string[]> =>
  (await client.request('GET', `/jobs/${jobId}/history`, { token: manager })).body.items.map(
    (i: { type: string }) => i.type,
  );

test('a booking of the same unit and fault 29 days after the signature is its recall: linked, in history, one info alert', async () => {
  const first = await signedJob('C3-0101');
  await client.advance(29 * DAY);
  const again = await bookAgain('C3-0101');

  expect(again.links).toMatchObject({ recallOf: first, reworkOf: null, followUpOf: null });
  expect((await historyTypes(again.jobId))[0]).toBe('job.recall_detected');
  const alerts = (await client.notifications(again.jobId, 'alerts')).map((a) => a.attributes);
  expect(alerts).toEqual([
    {
      type: 'job.recall',
      jobId: again.jobId,
      severity: 'info',
      alertId: `${again.jobId}:job.recall`,
      property: 'C3',
    },
  ]);
  // Another fault in the same unit is no recall.
  expect((await bookAgain('C3-0101', 'electrical')).links.recallOf).toBeNull();
});

test('31 days after the signature the same booking is no recall', async () => {
  await signedJob('C3-0202');
  await client.advance(31 * DAY);
  const again = await bookAgain('C3-0202');

  expect(again.links.recallOf).toBeNull();
  expect(await historyTypes(again.jobId)).toEqual(['job.booked']);
  expect(await client.notifications(again.jobId, 'alerts')).toEqual([]);
});

test('a rework booked at the callback is not counted again as a recall of the job it reworks', async () => {
  const jobId = await signedJob('C3-0303');
  const appointment = appointmentAfter(new Date(await client.now()), 2 * DAY * 1000, 7200_000);
  const cb = await client.recordCallback(agent, jobId, {
    reached: true,
    satisfaction: 3,
    issueResolved: false,
    rework: { appointment },
  });
  expect(cb.status).toBe(200);
  await stack.workflow.settle();
  const reworkId = (cb.body as { links: { reworkJobs: string[] } }).links.reworkJobs[0] as string;
  const rework = expectStatus(await client.getJob(agent, reworkId), 200);

  expect(rework.links).toMatchObject({ reworkOf: jobId, recallOf: null });
  // Satisfaction 3 is not a complaint.
  expect((cb.body as { links: { complaints: string[] } }).links.complaints).toEqual([]);
  expect(await historyTypes(reworkId)).toEqual(['job.booked']);
});

test('a retried job callback with the same Idempotency-Key answers the first answer and opens one complaint', async () => {
  const jobId = await signedJob('C3-0404');
  const body = { reached: true, satisfaction: 2, issueResolved: true, comment: 'Rude' };
  const first = await client.recordCallback(agent, jobId, body, { idempotencyKey: 'cb-1' });
  const again = await client.recordCallback(agent, jobId, body, { idempotencyKey: 'cb-1' });
  await stack.workflow.settle();

  expect(first.status).toBe(200);
  expect(again.status).toBe(200);
  expect(again.body).toEqual(first.body);
  const complaints = (first.body as { links: { complaints: string[] } }).links.complaints;
  expect(complaints).toHaveLength(1);
  const listed = expectStatus(await client.listComplaints(agent, { limit: 100 }), 200);
  expect(listed.items.filter((c) => c.jobId === jobId)).toHaveLength(1);
});

test('five copies of a keyed job callback sent at once all answer the first answer (found by the soak)', async () => {
  const body = { reached: true, satisfaction: 1, issueResolved: true };
  // The race (a copy reading the job its twin just closed) needs a few tries to show.
  for (const unit of ['C3-0414', 'C3-0415', 'C3-0416', 'C3-0417', 'C3-0418', 'C3-0419']) {
    const jobId = await signedJob(unit);
    const answers = await Promise.all(
      [1, 2, 3, 4, 5].map(() => client.recordCallback(agent, jobId, body, { idempotencyKey: `cb-${unit}` })),
    );
    await stack.workflow.settle();

    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    for (const a of answers) expect(a.body).toEqual(answers[0]?.body);
    expect((await historyTypes(jobId)).filter((t) => t === 'job.complaint_opened')).toHaveLength(1);
  }
});

test('a manager opens one follow-up of a needs_follow_up job; a second is 409, an agent is 403', async () => {
  const r = await client.book(alice, urgentBooking({ unitId: 'C3-0505' }));
  const jobId = r.body.jobId as string;
  await stack.workflow.settle();
  await drive(client, jobId, ['job.accepted', 'job.arrived', 'job.unable_to_fix']);
  await stack.workflow.settle();
  const appointment = appointmentAfter(new Date(await client.now()), DAY * 1000, 7200_000);

  expect((await client.openFollowUp(agent, jobId, { appointment })).status).toBe(403);
  const followUp = await client.openFollowUp(manager, jobId, { appointment });
  expect(followUp.status).toBe(201);
  expect((await client.openFollowUp(manager, jobId, { appointment })).status).toBe(409);
  await stack.workflow.settle();

  const fu = expectStatus(followUp, 201);
  expect(fu).toMatchObject({ status: 'booked', links: { followUpOf: jobId, recallOf: null } });
  expect((await client.getJob(manager, jobId)).body).toMatchObject({ links: { followUps: [fu.jobId] } });
  expect((await historyTypes(jobId)).at(-1)).toBe('job.follow_up_opened');
});

test("another resident's complaint is 404, and a body setting status, sla or source is 400 naming the field", async () => {
  const filed = await client.fileComplaint(alice, {
    unitId: 'C3-0606',
    category: 'price',
    description: 'Charged twice',
    contactPhone: '+8613800138000',
  });
  expect(filed.status).toBe(201);
  const id = (filed.body as { complaintId: string }).complaintId;

  expect((await client.getComplaint(bob, id)).status).toBe(404);
  expect((await client.getComplaintHistory(bob, id)).status).toBe(404);
  expect((await client.listComplaints(bob)).body).toEqual({ items: [] });
  expect((await client.getComplaint(alice, id)).status).toBe(200);
  for (const field of ['status', 'sla', 'source']) {
    const r = await client.request('POST', '/complaints', {
      token: alice,
      body: {
        unitId: 'C3-0606',
        category: 'price',
        description: 'x',
        contactPhone: '+8613800138000',
        [field]: 'closed',
      },
    });
    expect(r.status).toBe(400);
    expect(r.body.errors).toContainEqual({ path: field, message: 'unknown field' });
  }
  // A resident cannot investigate or call back, and nothing changed.
  const inv = { findings: 'f', cause: 'c', handler: 'h', result: 'r' };
  expect((await client.investigateComplaint(alice, id, inv)).status).toBe(403);
  expect((await client.getComplaint(agent, id)).body).toMatchObject({
    status: 'received',
    investigation: null,
  });
  expect((await client.getComplaintHistory(agent, id)).body).toMatchObject({
    items: [{ type: 'complaint.received' }],
  });
});

test('a restart in the middle of a complaint resumes its timers: the missed investigation alerts once, after it', async () => {
  // Filed at a business day's opening: due at its end, well within the two days below.
  await client.toBusinessMorning();
  const filed = await client.fileComplaint(agent, {
    unitId: 'C3-0707',
    residentId: 'r-links-alice',
    category: 'lateness',
    description: 'Came two hours late',
    contactPhone: '+8613800138000',
  });
  const c = filed.body as { complaintId: string; source: string };
  expect(c.source).toBe('agent');
  await stack.workflow.settle();
  await stack.stop();
  await start();
  expect(stack.resumedComplaints.resumed).toBeGreaterThan(0);
  await stack.workflow.settle();

  await client.advance(2 * DAY);
  const alerts = async () =>
    (
      (await client.local.listNotifications({ complaintId: c.complaintId, topic: 'alerts' })).body as {
        items: Array<{ attributes: Record<string, string> }>;
      }
    ).items.map((a) => a.attributes.type);
  expect(await alerts()).toEqual(['sla.complaint_investigation_missed']);
  await client.advance(2 * DAY);
  expect(await alerts()).toEqual(['sla.complaint_investigation_missed', 'sla.complaint_callback_missed']);
});
