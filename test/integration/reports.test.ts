import type { DynamoDBStreamEvent } from 'aws-lambda';
import { expectStatus } from '../../client/api-client';
import { nextOpening } from '../../functions/domain/business-calendar';
import { monthOf } from '../../functions/domain/reports';
import { CATEGORIES } from '../../functions/domain/types';
import type { LocalStack } from '../../local/stack';
import { type Client, drive, ON_SITE_STEPS, TEST_CALENDAR, urgentBooking } from '../support/client';
import { testStack } from '../support/stack';

// GET /reports/monthly on the real local stack: jobs and complaints driven over HTTP and the
// webhook, their changes carried by DynamoDB Local's own stream to the report-stream consumer,
// the figures read back from the aggregate items.

const ZONE = 'Asia/Shanghai';
/** A technician's name as their app may send it: a formula, with a comma and quotes. */
const SPREADSHEET_TRAP = '=HYPERLINK("http://evil.example"),Zhao';

let stack: LocalStack;
let client: Client;
let manager: string;
let agent: string;
let resident: string;
let month: string;
const batches: DynamoDBStreamEvent[] = [];
/** The signed job on C3-0505 and the booking of the same unit and fault that recalls it. */
let recalled: { jobId: string };
let recall: { jobId: string };

/**
 * Jumps the simulated clock to 10:00 in Shanghai on the first business day from the 10th of next
 * month (the 10th to the 12th): far from a month's edge, and a complaint filed then is due at the
 * end of that day.
 */
async function toMidMonth(): Promise<string> {
  const now = Date.parse(await client.now());
  const [year, monthNo] = monthOf(new Date(now).toISOString(), ZONE).split('-').map(Number) as [
    number,
    number,
  ];
  const opening = nextOpening(TEST_CALENDAR, new Date(Date.UTC(year, monthNo, 9, 16))) as Date;
  const target = opening.getTime() + 3600_000;
  await client.advance(Math.ceil((target - now) / 1000));
  return monthOf(new Date(target).toISOString(), ZONE);
}

const COMPLAINT = {
  unitId: 'C3-0505',
  category: 'quality',
  description: 'The tap leaks again',
  contactPhone: '+8613800138000',
} as const;
const INVESTIGATION = {
  findings: 'Washer reseated',
  cause: 'Rushed job',
  handler: 'Zhang',
  result: 'Revisit',
};

const fileComplaint = async () =>
  expectStatus(await client.fileComplaint(resident, COMPLAINT), 201, 'POST /complaints');
const investigateComplaint = async (id: string) =>
  expectStatus(await client.investigateComplaint(agent, id, INVESTIGATION), 200, 'POST investigation');
const callBack = async (id: string, reached: boolean) =>
  expectStatus(
    await client.callBackComplainant(agent, id, reached ? { reached, satisfied: true } : { reached }),
    200,
    'POST complaint callback',
  );

const book = async (unitId: string, category: string) =>
  (await client.bookJob(resident, { ...urgentBooking({ unitId, category }), locale: 'en' } as never))
    .body as {
    jobId: string;
  };

beforeAll(async () => {
  ({ stack, client } = await testStack({
    settings: {
      timeZone: ZONE,
      // B2's quick fixes waive the labour (S1): job A is one.
      policy: { default: { quickFixWaiver: false }, properties: { B2: { quickFixWaiver: true } } },
    },
    onStreamBatch: (event) => batches.push(structuredClone(event)),
  }));
  month = await toMidMonth();
  manager = await client.token('m-1', 'manager');
  agent = await client.token('a-1', 'agent');
  resident = await client.token('r-1', 'resident');

  // A: B2 plumbing, on time, a quick fix, signed, called back with satisfaction 4: closed.
  const a = await book('B2-1203', 'plumbing');
  await drive(client, a.jobId, ['job.accepted', 'job.arrived', ...ON_SITE_STEPS], 't-7');
  await client.recordCallback(agent, a.jobId, { reached: true, satisfaction: 4, issueResolved: true });
  // C: B2 hvac, on time, by a technician whose app names them with a formula; could not fix it.
  const c = await book('B2-0808', 'hvac');
  await client.hook({
    type: 'job.accepted',
    jobId: c.jobId,
    technicianId: 't-9',
    data: { technicianName: SPREADSHEET_TRAP },
  });
  await drive(client, c.jobId, ['job.arrived', 'job.unable_to_fix'], 't-9');
  // B: A1 electrical, nobody accepts: the arrival timer records the miss; then cancelled.
  const b = await book('A1-0101', 'electrical');
  await stack.workflow.settle();
  await client.advance(11 * 60);
  await client.cancelJob(resident, b.jobId, { reason: 'nobody came' });
  await stack.workflow.settle();

  // Complaints about C3-0505 (S16, S17). K1: investigated and called back in time (met, met).
  // K2: the investigation missed at midnight, then the callback missed; both done late after.
  // K3: investigated in time, a callback that did not reach the resident, then missed.
  const k1 = await fileComplaint();
  const k2 = await fileComplaint();
  const k3 = await fileComplaint();
  await investigateComplaint(k1.complaintId);
  await callBack(k1.complaintId, true);
  await investigateComplaint(k3.complaintId);
  await callBack(k3.complaintId, false);
  await stack.workflow.settle();
  await client.advance(15 * 3600); // past the end of the local day: about 01:00 the next day
  await stack.workflow.settle();
  await investigateComplaint(k2.complaintId);
  await stack.workflow.settle();
  await client.advance(3 * 24 * 3600); // past both callbacks' 3 days: by the 16th, the same month
  await stack.workflow.settle();
  await callBack(k2.complaintId, true);

  // A recall: E signed off on C3-0505 by t-5, then the same unit and fault booked again.
  recalled = await book('C3-0505', 'plumbing');
  await client.hook({
    type: 'job.accepted',
    jobId: recalled.jobId,
    technicianId: 't-5',
    data: { technicianName: 'Zhao Qian' },
  });
  await drive(client, recalled.jobId, ['job.arrived', ...ON_SITE_STEPS], 't-5');
  recall = await book('C3-0505', 'plumbing');
  await stack.workflow.settle();
  await stack.streams.settle();
});
afterAll(async () => {
  await stack?.stop();
});

const report = async (query: { month: string; property?: string }, token = manager) =>
  expectStatus(await client.getMonthlyReport(token, query), 200, 'GET /reports/monthly');
const zeros = Object.fromEntries(CATEGORIES.map((c) => [c, 0]));

test("the company's month: every job and complaint counted in the month it happened, from the stream", async () => {
  expect(await report({ month })).toEqual({
    month,
    property: null,
    timeZone: ZONE,
    jobs: { booked: 5, closed: 1, cancelled: 1, declined: 0, needsFollowUp: 1 },
    byCategory: { ...zeros, plumbing: 3, electrical: 1, hvac: 1 },
    arrival: { urgent: { met: 3, missed: 1 }, regular: { met: 0, missed: 0 } },
    callbacks: { met: 1, missed: 0 },
    satisfaction: { count: 1, average: 4 },
    complaints: {
      received: 3,
      investigationMet: 2,
      investigationMissed: 1,
      callbackMet: 1,
      callbackMissed: 2,
    },
    // A and E signed, E recalled.
    recalls: { signed: 2, count: 1, rate: 0.5 },
    technicians: [
      {
        technicianId: 't-5',
        name: 'Zhao Qian',
        jobs: 1,
        arrivalMet: 1,
        arrivalMissed: 0,
        satisfactionAverage: null,
        unableToFix: 0,
        laborWaived: 0,
        signed: 1,
        recalls: 1,
        recallRate: 1,
      },
      {
        technicianId: 't-7',
        name: 'Wang Wei',
        jobs: 1,
        arrivalMet: 1,
        arrivalMissed: 0,
        satisfactionAverage: 4,
        unableToFix: 0,
        laborWaived: 1,
        signed: 1,
        recalls: 0,
        recallRate: 0,
      },
      {
        technicianId: 't-9',
        name: SPREADSHEET_TRAP,
        jobs: 1,
        arrivalMet: 1,
        arrivalMissed: 0,
        satisfactionAverage: null,
        unableToFix: 1,
        laborWaived: 0,
        signed: 0,
        recalls: 0,
        recallRate: null,
      },
    ],
  });
});

test("the booking of a signed job's unit and fault is its recall, counted for the technician who signed it off", async () => {
  const job = expectStatus(await client.getJob(agent, recall.jobId), 200, 'GET /jobs/{id}');
  const c3 = await report({ month, property: 'C3' });

  expect(job.links.recallOf).toBe(recalled.jobId);
  expect(c3).toMatchObject({
    jobs: { booked: 2 },
    recalls: { signed: 1, count: 1, rate: 1 },
    complaints: {
      received: 3,
      investigationMet: 2,
      investigationMissed: 1,
      callbackMet: 1,
      callbackMissed: 2,
    },
  });
  expect(c3.technicians.map((t) => [t.technicianId, t.signed, t.recalls, t.recallRate])).toEqual([
    ['t-5', 1, 1, 1],
  ]);
});

test("a property's month holds only that property's jobs", async () => {
  const b2 = await report({ month, property: 'B2' });
  const a1 = await report({ month, property: 'A1' });

  expect(b2).toMatchObject({
    property: 'B2',
    jobs: { booked: 2, closed: 1, cancelled: 0, needsFollowUp: 1 },
    byCategory: { ...zeros, plumbing: 1, hvac: 1 },
    arrival: { urgent: { met: 2, missed: 0 } },
  });
  expect(b2.technicians.map((t) => t.technicianId)).toEqual(['t-7', 't-9']);
  expect(b2.complaints).toEqual({
    received: 0,
    investigationMet: 0,
    investigationMissed: 0,
    callbackMet: 0,
    callbackMissed: 0,
  });
  expect(b2.recalls).toEqual({ signed: 1, count: 0, rate: 0 });
  expect(a1).toMatchObject({
    property: 'A1',
    jobs: { booked: 1, closed: 0, cancelled: 1 },
    byCategory: { ...zeros, electrical: 1 },
    arrival: { urgent: { met: 0, missed: 1 } },
    satisfaction: { count: 0, average: null },
    technicians: [],
  });
});

test('another month, or a property without jobs, is all zeros', async () => {
  const [year] = month.split('-');
  const empty = await report({ month: `${Number(year) - 1}-06` });
  const other = await report({ month, property: 'Z9' });

  for (const r of [empty, other]) {
    expect(r.jobs).toEqual({ booked: 0, closed: 0, cancelled: 0, declined: 0, needsFollowUp: 0 });
    expect(r.complaints.received).toBe(0);
    expect(r.recalls).toEqual({ signed: 0, count: 0, rate: null });
    expect(r.technicians).toEqual([]);
  }
});

test('the technicians table as CSV: a BOM, a header, quoted and neutralised cells, a file name', async () => {
  const reply = await client.getMonthlyReport(manager, { month }, { format: 'csv' });

  expect(reply.status).toBe(200);
  expect(reply.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  expect(reply.headers.get('content-disposition')).toBe(
    `attachment; filename="technicians-${month}-ALL.csv"`,
  );
  expect(reply.body).toBe(
    '\uFEFFtechnicianId,name,jobs,arrivalMet,arrivalMissed,satisfactionAverage,unableToFix,laborWaived,signed,recalls,recallRate\r\n' +
      't-5,Zhao Qian,1,1,0,,0,0,1,1,1\r\n' +
      't-7,Wang Wei,1,1,0,4,0,1,1,0,0\r\n' +
      `t-9,"'=HYPERLINK(""http://evil.example""),Zhao",1,1,0,,1,0,0,0,\r\n`,
  );
  const b2 = await client.getMonthlyReport(manager, { month, property: 'B2' }, { format: 'csv' });
  expect(b2.headers.get('content-disposition')).toBe(`attachment; filename="technicians-${month}-B2.csv"`);
});

test('only managers read reports: an agent or a resident gets 403', async () => {
  for (const token of [agent, resident]) {
    const reply = await client.getMonthlyReport(token, { month });
    expect(reply.status).toBe(403);
    expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  }
});

test('a bad month or property is 400 naming the field', async () => {
  const paths = async (search: string) => {
    const reply = await client.request('GET', `/reports/monthly${search}`, { token: manager });
    expect(reply.status).toBe(400);
    return reply.body.errors.map((e: { path: string }) => e.path);
  };

  expect(await paths('?month=2026-13')).toEqual(['month']);
  expect(await paths('')).toEqual(['month']);
  expect(await paths(`?month=${month}&property=B-2`)).toEqual(['property']);
  expect(await paths(`?month=${month}&status=closed`)).toEqual(['status']);
});

test('every stream batch delivered again changes no figure: each record counts once', async () => {
  const before = await report({ month });
  const b2 = await report({ month, property: 'B2' });
  const c3 = await report({ month, property: 'C3' });
  expect(batches.length).toBeGreaterThan(0);
  // Complaints' records among them, not only jobs'.
  const partitions = batches.flatMap((b) => b.Records.map((r) => r.dynamodb?.Keys?.pk?.S ?? ''));
  expect(partitions.some((pk) => pk.startsWith('COMPLAINT#'))).toBe(true);

  for (const batch of batches) {
    expect(await stack.invoke('report-stream', batch)).toEqual({ batchItemFailures: [] });
  }
  await stack.streams.settle();

  expect(await report({ month })).toEqual(before);
  expect(await report({ month, property: 'B2' })).toEqual(b2);
  expect(await report({ month, property: 'C3' })).toEqual(c3);
});

test('a month of 10,000 jobs by 100 technicians reads whole: every technician and the totals', async () => {
  // The read costs what the partition holds (one item per technician and the totals), never
  // the number of jobs: the counters are seeded as if 10,000 bookings had been counted.
  const far = `${Number(month.slice(0, 4)) + 5}-06`;
  const { reports } = stack.ports;
  await reports.apply('seed-totals', [
    { month: far, property: 'B2', technician: null, counter: 'booked', by: 10_000 },
    { month: far, property: 'B2', technician: null, counter: 'category:plumbing', by: 10_000 },
  ]);
  for (let i = 0; i < 100; i++) {
    const technician = { id: `t-${String(i).padStart(3, '0')}`, name: `Technician ${i}` };
    await reports.apply(`seed-${i}`, [
      { month: far, property: 'B2', technician, counter: 'jobs', by: 100 },
      { month: far, property: 'B2', technician, counter: 'arrival:met', by: 95 },
      { month: far, property: 'B2', technician, counter: 'satisfaction:count', by: 80 },
      { month: far, property: 'B2', technician, counter: 'satisfaction:sum', by: 360 },
    ]);
  }
  // How fast that read is, against a GetItem, is `npm run bench`'s (bench/reports.ts).
  const read = await reports.read(far, null);

  expect(read.technicians).toHaveLength(100);
  expect((await report({ month: far })).jobs.booked).toBe(10_000);
});
