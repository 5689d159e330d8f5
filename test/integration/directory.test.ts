import type { Problem } from '../../client/api-client';
import type { LocalStack } from '../../local/stack';
import { type Client, urgentBooking } from '../support/client';
import { testStack } from '../support/stack';

// Properties and the roster on the local stack: stored in DynamoDB Local, read back over HTTP,
// and a stored property's policy is what the next booking of that property is timed by.

let stack: LocalStack;
let client: Client;
let manager: string;
let agent: string;
let resident: string;

beforeAll(async () => {
  ({ stack, client } = await testStack({ clockSpeed: 0 }));
  manager = await client.token('m-1', 'manager');
  agent = await client.token('a-1', 'agent');
  resident = await client.token('r-1', 'resident');
});
afterAll(() => stack?.stop());

/** A 2xx reply's body (a Problem would fail the expectation that reads it). */
const ok = <T>(reply: { body: T | Problem }) => reply.body as T;

const GARDEN = {
  name: 'Garden Court',
  timeZone: 'Asia/Shanghai',
  dispatch: 'assign' as const,
  holidays: ['2027-02-16'],
  extraWorkdays: ['2027-02-07'],
  sla: { urgentArrivalMinutes: 15, acceptWarnMinutes: 3, arrivalRiskPercent: 70, callbackDays: 5 },
};

test('a property nobody configured answers the defaults, marked unconfigured', async () => {
  const reply = await client.getProperty(manager, 'Q9');

  expect(reply.status).toBe(200);
  expect(reply.body).toMatchObject({
    propertyId: 'Q9',
    configured: false,
    quickFixWaiver: false,
    dispatch: 'grab',
    businessHours: { start: '09:00', end: '18:00' },
    workdays: [1, 2, 3, 4, 5],
    holidays: [],
    sla: { urgentArrivalMinutes: 10, acceptWarnMinutes: 2, arrivalRiskPercent: 80, callbackDays: 7 },
  });
});

test('a stored property is read back whole, with the defaults for what was left out, and listed', async () => {
  const put = await client.putProperty(manager, 'G1', GARDEN);
  const got = await client.getProperty(manager, 'G1');
  const listed = await client.listProperties(manager);

  expect(put.status).toBe(200);
  expect(got.body).toEqual({
    ...GARDEN,
    propertyId: 'G1',
    configured: true,
    quickFixWaiver: false,
    businessHours: { start: '09:00', end: '18:00' },
    workdays: [1, 2, 3, 4, 5],
  });
  expect(ok(listed).items.map((p) => p.propertyId)).toContain('G1');
});

test('the next booking of a configured property is timed by its own urgent window', async () => {
  await client.putProperty(manager, 'G2', GARDEN);
  const booked = await client.bookJob(resident, urgentBooking({ unitId: 'G2-0101' }) as never);

  expect(Date.parse(ok(booked).sla.arrivalDueAt) - Date.parse(ok(booked).createdAt)).toBe(15 * 60_000);
});

test('a bad property is a 400 naming the field, and nothing is stored', async () => {
  const reply = await client.putProperty(manager, 'G3', {
    ...GARDEN,
    businessHours: { start: '18:00', end: '09:00' },
    timeZone: 'Mars/Olympus',
  });

  expect(reply.status).toBe(400);
  expect((reply.body as unknown as { errors: { path: string }[] }).errors.map((e) => e.path).sort()).toEqual([
    'businessHours.end',
    'timeZone',
  ]);
  expect(ok(await client.getProperty(manager, 'G3')).configured).toBe(false);
});

test('only managers configure: an agent and a resident get 403', async () => {
  expect((await client.putProperty(agent, 'G4', GARDEN)).status).toBe(403);
  expect((await client.getProperty(resident, 'G1')).status).toBe(403);
  expect((await client.listTechnicians(agent)).status).toBe(403);
});

test('a technician on the roster is read back, listed, and found by the property they work at', async () => {
  const wang = { name: 'Wang Wei', skills: ['plumbing' as const], properties: ['G1'], onDuty: true };
  await client.putTechnician(manager, 't-g1', wang);

  expect((await client.getTechnician(manager, 't-g1')).body).toEqual({
    ...wang,
    technicianId: 't-g1',
    maxOpenJobs: 3,
  });
  expect(
    ok(await client.listTechnicians(manager, { property: 'G1' })).items.map((t) => t.technicianId),
  ).toEqual(['t-g1']);
  expect(ok(await client.listTechnicians(manager, { property: 'Q9' })).items).toEqual([]);
  expect((await client.getTechnician(manager, 't-nobody')).status).toBe(404);
});
