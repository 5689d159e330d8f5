import type { RescheduleRequest } from '../../client/api-client';
import type { LocalStack } from '../../local/stack';
import { type Client, drive, type Reply, urgentBooking } from '../support/client';
import { testStack } from '../support/stack';

// A new time agreed with the resident, and a visit nobody answered, on the real local stack:
// the deadline that moves is not missed, and the job nobody answered waits untimed in the
// agents' queue until its reschedule, then is timed again.

let stack: LocalStack;
let client: Client;
let resident: string;
let agent: string;
let manager: string;

beforeAll(async () => {
  ({ stack, client } = await testStack());
  resident = await client.token('r-resched', 'resident');
  agent = await client.token('a-resched', 'agent');
  manager = await client.token('m-resched', 'manager');
  // A business morning: every new time below lies within the default calendar's hours.
  await client.toBusinessMorning();
});
afterAll(() => stack?.stop());

const HOUR = 3600_000;
const alertTypes = async (jobId: string) =>
  (await client.notifications(jobId, 'alerts')).map((a) => a.attributes.type);
const historyOf = async (jobId: string) =>
  (await client.request('GET', `/jobs/${jobId}/history`, { token: manager })).body.items as {
    type: string;
    actor: string;
    data: Record<string, unknown>;
  }[];

/** An appointment `inMs` from the stack's clock, an hour long. */
async function appointmentIn(inMs: number) {
  const start = Date.parse(await client.now()) + inMs;
  return { start: new Date(start).toISOString(), end: new Date(start + HOUR).toISOString() };
}

/** The typed client's rescheduleJob, its answer read loosely as the tests read every body. */
const reschedule = async (token: string, jobId: string, body: RescheduleRequest): Promise<Reply<any>> =>
  client.rescheduleJob(token, jobId, body);

async function bookAccepted(): Promise<string> {
  const jobId = (await client.book(resident, urgentBooking())).body.jobId as string;
  await drive(client, jobId, ['job.accepted']);
  await stack.workflow.settle();
  return jobId;
}

test('a reschedule before the deadline moves it: nothing is alerted for the old time, and an arrival on time is met', async () => {
  const jobId = await bookAccepted();
  await client.advance(60);
  const appointment = await appointmentIn(3 * HOUR);

  const r = await reschedule(agent, jobId, { appointment, consent: 'phone' });
  expect(r.status).toBe(200);
  expect(r.body).toMatchObject({ status: 'accepted', priority: 'urgent', appointment });
  expect(r.body.sla.arrivalDueAt).toBe(appointment.start);
  await client.advance(15 * 60);
  expect(await alertTypes(jobId)).toEqual([]);

  const rescheduled = (await historyOf(jobId)).find((h) => h.type === 'job.rescheduled');
  expect(rescheduled).toMatchObject({
    actor: 'agent:a-resched',
    data: { consent: 'phone', arrivalDueAt: appointment.start },
  });
  expect(Date.parse(rescheduled?.data.previousArrivalDueAt as string)).toBeLessThan(
    Date.parse(appointment.start),
  );
  const notices = await client.notifications(jobId, 'residents');
  expect(notices.map((n) => n.attributes.type)).toContain('job.rescheduled');

  await client.advance(3 * 3600 - 16 * 60 - 5 * 60);
  await drive(client, jobId, ['job.arrived']);
  await stack.workflow.settle();
  const job = (await client.request('GET', `/jobs/${jobId}`, { token: manager })).body;
  expect(job.sla.arrivalMet).toBe(true);
  expect(await alertTypes(jobId)).toEqual([]);
});

test('no access parks the job in the agents’ queue untimed; a reschedule brings it back to accepted, and an arrival on time is met', async () => {
  const jobId = await bookAccepted();
  await client.advance(4 * 60);
  const r = await client.hook({ type: 'job.no_access', jobId, data: { note: 'nobody answered' } });
  expect(r.status).toBe(202);
  expect(r.body.status).toBe('awaiting_reschedule');
  await stack.workflow.settle();

  const queue = await client.request('GET', '/jobs?status=awaiting_reschedule', { token: agent });
  expect(queue.body.items.map((j: { jobId: string }) => j.jobId)).toContain(jobId);
  const parked = (await client.request('GET', `/jobs/${jobId}`, { token: agent })).body;
  expect(parked.sla).toMatchObject({ arrivalMet: true, noAccess: true });
  // Untimed: no warning, no miss, however long it waits.
  await client.advance(2 * 3600);
  expect(await alertTypes(jobId)).toEqual([]);

  const appointment = await appointmentIn(HOUR);
  const back = await reschedule(agent, jobId, { appointment, consent: 'phone' });
  expect(back.body).toMatchObject({ status: 'accepted', technician: { id: 't-7' } });
  expect(back.body.sla).toMatchObject({ arrivalDueAt: appointment.start, arrivalMet: null, arrivedAt: null });
  await stack.workflow.settle();
  await client.advance(50 * 60);
  await drive(client, jobId, ['job.arrived']);
  await stack.workflow.settle();

  const job = (await client.request('GET', `/jobs/${jobId}`, { token: manager })).body;
  expect(job.status).toBe('arrived');
  expect(job.sla).toMatchObject({ arrivalMet: true, noAccess: true });
  expect(await alertTypes(jobId)).toEqual([]);
  expect((await historyOf(jobId)).map((h) => h.type)).toEqual([
    'job.booked',
    'job.accepted',
    'job.no_access',
    'job.rescheduled',
    'job.arrived',
  ]);
});

test('a resident reschedules their own job with their own consent only; others are refused', async () => {
  const jobId = await bookAccepted();
  const appointment = await appointmentIn(2 * HOUR);

  const byPhone = await reschedule(resident, jobId, { appointment, consent: 'phone' });
  expect(byPhone.status).toBe(400);
  const stranger = await client.token('r-stranger', 'resident');
  expect((await reschedule(stranger, jobId, { appointment, consent: 'resident' })).status).toBe(404);
  const own = await reschedule(resident, jobId, { appointment, consent: 'resident' });
  expect(own.status).toBe(200);

  await drive(client, jobId, ['job.arrived']);
  const late = await reschedule(agent, jobId, { appointment, consent: 'phone' });
  expect(late.status).toBe(409);
});
