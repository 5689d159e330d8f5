import type { LocalStack } from '../../local/stack';
import { type Client, drive, ON_SITE_STEPS, regularBooking, urgentBooking } from '../support/client';
import { testStack } from '../support/stack';

// The real ASL on aws-local-stepfunctions, the real handlers, DynamoDB Local, real HTTP.

let stack: LocalStack;
let client: Client;
let resident: string;
let agent: string;
let manager: string;

beforeAll(async () => {
  ({ stack, client } = await testStack());
  resident = await client.token('r-1001', 'resident');
  agent = await client.token('a-1', 'agent');
  manager = await client.token('m-1', 'manager');
});
afterAll(() => stack?.stop());

const alertsOf = async (jobId: string, type?: string) =>
  (await client.notifications(jobId, 'alerts')).filter((n) => !type || n.attributes.type === type);
const jobOf = async (jobId: string) =>
  (await client.request('GET', `/jobs/${jobId}`, { token: manager })).body;
const historyTypes = async (jobId: string) =>
  (await client.request('GET', `/jobs/${jobId}/history`, { token: manager })).body.items.map(
    (i: { type: string }) => i.type,
  );

async function bookUrgent(): Promise<string> {
  const r = await client.book(resident, urgentBooking());
  expect(r.status).toBe(201);
  await stack.workflow.settle();
  return r.body.jobId;
}

test('an urgent job whose technician arrives late raises exactly one arrival alert, then runs to closed', async () => {
  const jobId = await bookUrgent();
  await drive(client, jobId, ['job.accepted']);

  await client.advance(9 * 60);
  // Accepted at once, so no acceptance warning; nobody on site at 8 of the 10 minutes is a warning.
  expect((await alertsOf(jobId)).map((a) => [a.attributes.type, a.attributes.severity])).toEqual([
    ['sla.arrival_at_risk', 'warning'],
  ]);
  await client.advance(2 * 60);
  const alerts = await alertsOf(jobId, 'sla.arrival_missed');
  expect(alerts).toHaveLength(1);
  expect(alerts[0]?.attributes).toEqual({
    type: 'sla.arrival_missed',
    jobId,
    severity: 'critical',
    alertId: `${jobId}:sla.arrival_missed`,
    property: 'B2',
  });

  await client.advance(30 * 60);
  await drive(client, jobId, ['job.arrived', ...ON_SITE_STEPS]);
  await stack.workflow.settle();
  const cb = await client.request('POST', `/jobs/${jobId}/callback`, {
    token: agent,
    body: { reached: true, satisfaction: 4, issueResolved: true },
  });
  expect(cb.status).toBe(200);
  await stack.workflow.settle();

  const job = await jobOf(jobId);
  expect(job.status).toBe('closed');
  expect(job.sla.arrivalMet).toBe(false);
  expect(job.sla.callbackMet).toBe(true);
  expect(await alertsOf(jobId, 'sla.arrival_missed')).toHaveLength(1);
  expect(await historyTypes(jobId)).toEqual([
    'job.booked',
    'job.accepted',
    'sla.arrival_at_risk',
    'sla.arrival_missed',
    'job.arrived',
    ...ON_SITE_STEPS,
    'callback.completed',
  ]);
});

test('a regular job reached at the booked time raises no alert (its at-risk warning is 2 minutes before the start)', async () => {
  const now = new Date((await client.request('GET', '/_local/clock')).body.now);
  const r = await client.book(resident, regularBooking(2 * 3600_000, now));
  const jobId = r.body.jobId;
  expect(r.body.sla.arrivalDueAt).toBe(r.body.appointment.start);
  await stack.workflow.settle();
  await drive(client, jobId, ['job.accepted', 'job.en_route']);
  // Five minutes before the window opens (the business hours may put it days ahead).
  const untilStart = Date.parse(r.body.appointment.start) - Date.parse(await client.now());
  await client.advance(Math.floor(untilStart / 1000) - 5 * 60);
  await drive(client, jobId, ['job.arrived']);
  await client.advance(3 * 3600);

  expect(await alertsOf(jobId)).toHaveLength(0);
  expect((await jobOf(jobId)).sla.arrivalMet).toBe(true);
});

test('a job cancelled before arrival raises no alert and its execution ends', async () => {
  const jobId = await bookUrgent();
  const running = stack.workflow.running;
  const r = await client.request('POST', `/jobs/${jobId}/cancel`, {
    token: resident,
    body: { reason: 'fixed it myself' },
  });
  expect(r.status).toBe(200);
  expect(r.body.status).toBe('cancelled');
  await stack.workflow.settle();
  await client.advance(15 * 60);

  expect(await alertsOf(jobId)).toHaveLength(0);
  expect(stack.workflow.running).toBe(running - 1);
});

test('a declined quote ends the job with no work and no alert', async () => {
  const jobId = await bookUrgent();
  await drive(client, jobId, ['job.accepted', 'job.arrived', 'job.diagnosed', 'job.quote_declined']);
  await stack.workflow.settle();

  expect((await jobOf(jobId)).status).toBe('declined');
  const residentMessages = await client.notifications(jobId, 'residents');
  expect(residentMessages.map((n) => n.attributes.type)).toContain('job.declined');
  expect(await alertsOf(jobId)).toHaveLength(0);
});

test('unable to fix moves the job to needs_follow_up and alerts managers once', async () => {
  const jobId = await bookUrgent();
  await drive(client, jobId, ['job.accepted', 'job.arrived', 'job.unable_to_fix']);
  await stack.workflow.settle();
  await client.advance(3600);

  expect((await jobOf(jobId)).status).toBe('needs_follow_up');
  const alerts = await alertsOf(jobId, 'job.unable_to_fix');
  expect(alerts).toHaveLength(1);
  expect(alerts[0]?.attributes.severity).toBe('warning');
});

test('a missed callback is alerted once after the reminder, and can still be recorded', async () => {
  const jobId = await bookUrgent();
  await drive(client, jobId, ['job.accepted', 'job.arrived', ...ON_SITE_STEPS]);
  await stack.workflow.settle();
  const signedAt = (await client.request('GET', `/jobs/${jobId}/history`, { token: manager })).body.items.at(
    -1,
  ).at;
  expect(Date.parse((await jobOf(jobId)).sla.callbackDueAt) - Date.parse(signedAt)).toBe(7 * 24 * 3600_000);

  await client.advance(6 * 24 * 3600 + 60);
  expect((await alertsOf(jobId)).map((a) => a.attributes.type)).toEqual(['callback.reminder']);
  await client.advance(24 * 3600);
  await client.advance(24 * 3600);
  expect(await alertsOf(jobId, 'sla.callback_missed')).toHaveLength(1);

  const attempt = await client.request('POST', `/jobs/${jobId}/callback`, {
    token: agent,
    body: { reached: false },
  });
  expect(attempt.body.status).toBe('signed');
  const done = await client.request('POST', `/jobs/${jobId}/callback`, {
    token: agent,
    body: { reached: true, satisfaction: 3, issueResolved: true, comment: 'called late' },
  });
  expect(done.body.status).toBe('closed');
  expect(done.body.sla.callbackMet).toBe(false);
  await stack.workflow.settle();
  expect(await alertsOf(jobId, 'sla.callback_missed')).toHaveLength(1);
});

test('a happy-path job takes 8 state transitions (goal: at most 30), none of them asking where the job stands', async () => {
  const jobId = await bookUrgent();
  await drive(client, jobId, ['job.accepted', 'job.en_route', 'job.arrived', ...ON_SITE_STEPS]);
  await stack.workflow.settle();
  await client.request('POST', `/jobs/${jobId}/callback`, {
    token: agent,
    body: { reached: true, satisfaction: 5, issueResolved: true },
  });
  await stack.workflow.settle();

  // Go to the next step → Wait for the technician to arrive → Go … → Wait for the visit to end →
  // Go … → Wait for the callback → Go … → The job is finished: the booking starts the execution
  // with its first step and each resumed wait is handed the next one.
  expect(stack.workflow.transitions.get(jobId)).toBe(8);
});

test('a happy path at a real pace (accepted after a minute, on site after six) takes 11 transitions: the acceptance warning timer fires and finds nothing due', async () => {
  const jobId = await bookUrgent();
  await client.advance(60);
  await drive(client, jobId, ['job.accepted']);
  await stack.workflow.settle();
  await client.advance(5 * 60);
  await stack.workflow.settle();
  await drive(client, jobId, ['job.en_route', 'job.arrived', ...ON_SITE_STEPS]);
  await stack.workflow.settle();
  await client.request('POST', `/jobs/${jobId}/callback`, {
    token: agent,
    body: { reached: true, satisfaction: 5, issueResolved: true },
  });
  await stack.workflow.settle();

  expect(await client.notifications(jobId, 'alerts')).toEqual([]);
  // The 8 above, and at two minutes: Record what the timer found → Go to the next step → Wait
  // for the technician to arrive again (until the at-risk instant), which the arrival ends.
  expect(stack.workflow.transitions.get(jobId)).toBe(11);
});

test('a job on which every timer fires (both warnings, late arrival, reminder, missed callback) takes 38 transitions', async () => {
  const jobId = await bookUrgent();
  // One jump at a time, so each ladder step fires at its own instant (one jump past all of them
  // sends only the last: a warning overtaken is never sent late).
  await client.advance(3 * 60);
  await client.advance(6 * 60);
  await client.advance(2 * 60);
  await drive(client, jobId, ['job.accepted', 'job.arrived', ...ON_SITE_STEPS]);
  await stack.workflow.settle();
  await client.advance(6 * 24 * 3600 + 60);
  await client.advance(2 * 24 * 3600);
  await client.request('POST', `/jobs/${jobId}/callback`, {
    token: agent,
    body: { reached: true, satisfaction: 4, issueResolved: true },
  });
  await stack.workflow.settle();

  expect((await alertsOf(jobId)).map((a) => a.attributes.type)).toEqual([
    'sla.acceptance_warning',
    'sla.arrival_at_risk',
    'sla.arrival_missed',
    'callback.reminder',
    'sla.callback_missed',
  ]);
  // Five alerting timers, each: Record what the timer found → Go to the next step → Alert the
  // managers → Mark the alert sent → Go to the next step (the alert carried it) → wait again.
  // 26 with three; the ladder's two warnings add six each. Six is the floor for a timer that
  // alerts (the domain decides, the machine publishes and marks it, the Choice routes twice), so
  // this job stays above the happy path's goal of 30; the happy path stays at 8.
  expect(stack.workflow.transitions.get(jobId)).toBe(38);
});
