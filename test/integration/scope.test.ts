import type { LocalStack } from '../../local/stack';
import { type Client, urgentBooking } from '../support/client';
import { testStack } from '../support/stack';

// Staff limited to some properties, on the local stack: two properties (A1, B2), managers limited
// to each, one with company scope, and limited agents. What lies outside a caller's scope is 404
// on every list, read, report and action, and changes nothing; company scope sees both, and its
// listings merge both properties' partitions, page by page, each job once and in order.

let stack: LocalStack;
let client: Client;
const t: Record<string, string> = {};
/** Jobs booked by this file, by property. */
const jobs: Record<'A1' | 'B2', string[]> = { A1: [], B2: [] };
const complaints: Record<'A1' | 'B2', string> = { A1: '', B2: '' };

const ids = (reply: { body: any }) => (reply.body.items as { jobId: string }[]).map((i) => i.jobId);
const complaintIds = (reply: { body: any }) =>
  (reply.body.items as { complaintId: string }[]).map((i) => i.complaintId);
const propertiesOf = (reply: { body: any }) =>
  new Set((reply.body.items as { property: string }[]).map((i) => i.property));

async function bookAt(property: 'A1' | 'B2', n: number) {
  for (let i = 0; i < n; i++) {
    const unitId = `${property}-${2000 + jobs[property].length}`;
    const r = await client.bookJob(t.resident as string, urgentBooking({ unitId }) as never);
    if (r.status !== 201) throw new Error(`booking answered ${r.status}`);
    jobs[property].push((r.body as { jobId: string }).jobId);
  }
}

beforeAll(async () => {
  ({ stack, client } = await testStack({ clockSpeed: 0 }));
  t.resident = await client.token('r-scope', 'resident');
  t.b2 = await client.token('m-b2', 'manager', ['B2']);
  t.a1 = await client.token('m-a1', 'manager', ['A1']);
  t.both = await client.token('m-both', 'manager', ['A1', 'B2']);
  t.company = await client.token('m-all', 'manager');
  t.agentA1 = await client.token('a-a1', 'agent', ['A1']);
  t.agentB2 = await client.token('a-b2', 'agent', ['B2']);
  await bookAt('A1', 3);
  await bookAt('B2', 4);
  for (const property of ['A1', 'B2'] as const) {
    const r = await client.fileComplaint(t.resident as string, {
      jobId: jobs[property][0] as string,
      category: 'quality',
      description: 'The tap still drips',
    });
    if (r.status !== 201) throw new Error(`complaint answered ${r.status}`);
    complaints[property] = (r.body as { complaintId: string }).complaintId;
  }
});
afterAll(() => stack?.stop());

describe('lists', () => {
  it.each([
    ['newest', {}],
    ['by status', { status: 'booked' as const }],
    ['the open board', { open: true }],
  ])('%s: a manager limited to B2 sees B2 jobs only; company scope sees both', async (_, query) => {
    const b2 = await client.listJobs(t.b2 as string, { ...query, limit: 100 });
    const company = await client.listJobs(t.company as string, { ...query, limit: 100 });

    expect(b2.status).toBe(200);
    expect(propertiesOf(b2)).toEqual(new Set(['B2']));
    expect(ids(b2)).toEqual(expect.arrayContaining(jobs.B2));
    expect(ids(company)).toEqual(expect.arrayContaining([...jobs.A1, ...jobs.B2]));
  });

  it('filters by one property within the scope, and answers one outside it with 404', async () => {
    const inScope = await client.listJobs(t.both as string, { property: 'A1', limit: 100 });
    const outside = await client.listJobs(t.b2 as string, { property: 'A1' });
    const company = await client.listJobs(t.company as string, { property: 'B2', open: true, limit: 100 });

    expect(propertiesOf(inScope)).toEqual(new Set(['A1']));
    expect(outside.status).toBe(404);
    expect(propertiesOf(company)).toEqual(new Set(['B2']));
  });

  it('refuses the property filter from a resident with a 400 naming it', async () => {
    const r = await client.listJobs(t.resident as string, { property: 'B2' });

    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body)).toContain('property');
  });

  it.each([
    ['all', {}],
    ['the queue', { open: true }],
  ])("complaints (%s): each limited agent sees their property's only", async (_, query) => {
    const a1 = await client.listComplaints(t.agentA1 as string, { ...query, limit: 100 });
    const b2 = await client.listComplaints(t.agentB2 as string, { ...query, limit: 100 });
    const company = await client.listComplaints(t.company as string, { ...query, limit: 100 });

    expect(complaintIds(a1)).toEqual([complaints.A1]);
    expect(complaintIds(b2)).toEqual([complaints.B2]);
    expect(complaintIds(company)).toEqual(expect.arrayContaining([complaints.A1, complaints.B2]));
    expect((await client.listComplaints(t.agentA1 as string, { property: 'B2' })).status).toBe(404);
  });
});

describe('reads', () => {
  it("answers another property's job, history, complaint and its history with 404", async () => {
    const job = jobs.A1[0] as string;
    const replies = await Promise.all([
      client.getJob(t.b2 as string, job),
      client.getJobHistory(t.b2 as string, job),
      client.getComplaint(t.b2 as string, complaints.A1),
      client.getComplaintHistory(t.b2 as string, complaints.A1),
    ]);

    expect(replies.map((r) => r.status)).toEqual([404, 404, 404, 404]);
    expect((await client.getJob(t.a1 as string, job)).status).toBe(200);
    expect((await client.getComplaint(t.a1 as string, complaints.A1)).status).toBe(200);
  });
});

describe('actions', () => {
  it("cancel, callback and follow-up of another property's job are 404 and change nothing", async () => {
    const job = jobs.A1[1] as string;
    const before = await client.getJobHistory(t.company as string, job);

    const replies = [
      await client.cancelJob(t.b2 as string, job, { reason: 'not mine' }),
      await client.recordCallback(t.agentB2 as string, job, { reached: false }),
      await client.openFollowUp(t.b2 as string, job, {
        appointment: { start: '2027-01-04T02:00:00.000Z', end: '2027-01-04T03:00:00.000Z' },
      }),
    ];

    expect(replies.map((r) => r.status)).toEqual([404, 404, 404]);
    expect(replies[0]?.body).toMatchObject({ detail: 'No such job' });
    expect((await client.getJob(t.company as string, job)).body).toMatchObject({ status: 'booked' });
    expect((await client.getJobHistory(t.company as string, job)).body).toEqual(before.body);
  });

  it("a limited manager cancels their own property's job", async () => {
    expect(
      (await client.cancelJob(t.a1 as string, jobs.A1[2] as string, { reason: 'duplicate' })).status,
    ).toBe(200);
  });

  it("handling another property's complaint is 404 and changes nothing", async () => {
    const investigated = await client.investigateComplaint(t.agentB2 as string, complaints.A1, {
      findings: 'f',
      cause: 'c',
      handler: 'h',
      result: 'r',
    });
    const called = await client.callBackComplainant(t.agentB2 as string, complaints.A1, { reached: false });

    expect([investigated.status, called.status]).toEqual([404, 404]);
    expect((await client.getComplaint(t.company as string, complaints.A1)).body).toMatchObject({
      status: 'received',
    });
  });

  it('a limited agent books and files complaints for their own units only (404 otherwise, nothing booked)', async () => {
    const count = async () =>
      ids(await client.listJobs(t.company as string, { property: 'B2', limit: 100 })).length;
    const before = await count();

    const booked = await client.bookJob(
      t.agentA1 as string,
      urgentBooking({ unitId: 'B2-0901', residentId: 'r-9' }) as never,
    );
    const complained = await client.fileComplaint(t.agentA1 as string, {
      unitId: 'B2-0901',
      residentId: 'r-9',
      category: 'conduct',
      description: 'Rude on the phone',
      contactPhone: '+8613800138000',
    });
    const own = await client.bookJob(
      t.agentA1 as string,
      urgentBooking({ unitId: 'A1-0901', residentId: 'r-9' }) as never,
    );

    expect([booked.status, complained.status, own.status]).toEqual([404, 404, 201]);
    expect(await count()).toBe(before);
  });
});

describe('reports', () => {
  const month = async () => (await client.now()).slice(0, 7);

  it("gives a manager limited to one property that property's report, and 404 for another", async () => {
    const own = await client.getMonthlyReport(t.b2 as string, { month: await month() });
    const other = await client.getMonthlyReport(t.b2 as string, { month: await month(), property: 'A1' });
    const company = await client.getMonthlyReport(t.company as string, { month: await month() });

    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ property: 'B2' });
    expect(other.status).toBe(404);
    expect(company.body).toMatchObject({ property: null });
  });

  it('asks a manager limited to several properties to name one', async () => {
    const r = await client.getMonthlyReport(t.both as string, { month: await month() });

    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body)).toContain('property');
  });
});

describe('the directory', () => {
  it('needs company scope to change a property (403) and hides other properties (404)', async () => {
    const put = await client.putProperty(t.b2 as string, 'B2', { name: 'Harbour View' });
    const other = await client.getProperty(t.b2 as string, 'A1');
    const own = await client.getProperty(t.b2 as string, 'B2');

    expect([put.status, other.status, own.status]).toEqual([403, 404, 200]);
  });
});

describe('tokens', () => {
  it('refuses a staff token whose properties claim names none (403)', async () => {
    const empty = await client.token('m-none', 'manager', []);

    expect((await client.listJobs(empty)).status).toBe(403);
  });
});

describe('pagination across properties', () => {
  /** Every page of a listing, followed token by token. */
  async function everyPage(token: string, query: Record<string, unknown>, limit: number) {
    const seen: { jobId: string; createdAt: string }[] = [];
    let nextToken: string | undefined;
    do {
      const r = await client.listJobs(token, { ...query, limit, ...(nextToken && { nextToken }) });
      expect(r.status).toBe(200);
      const body = r.body as { items: { jobId: string; createdAt: string }[]; nextToken?: string };
      expect(body.items.length).toBeLessThanOrEqual(limit);
      seen.push(...body.items);
      nextToken = body.nextToken;
    } while (nextToken);
    return seen;
  }
  const order = (a: { jobId: string; createdAt: string }, b: { jobId: string; createdAt: string }) =>
    `${a.createdAt}#${a.jobId}` < `${b.createdAt}#${b.jobId}` ? -1 : 1;

  it.each([1, 2, 3])('company scope, newest first, %d a page: every job once, in order', async (limit) => {
    const all = await everyPage(t.company as string, {}, limit);

    expect(new Set(all.map((j) => j.jobId)).size).toBe(all.length);
    expect(all.map((j) => j.jobId)).toEqual(expect.arrayContaining([...jobs.A1, ...jobs.B2]));
    expect(all).toEqual([...all].sort(order).reverse());
  });

  it('the board of two properties, oldest first, 2 a page: each open job once, in order', async () => {
    const all = await everyPage(t.both as string, { open: true }, 2);
    const whole = ids(await client.listJobs(t.both as string, { open: true, limit: 100 }));

    expect(all.map((j) => j.jobId)).toEqual(whole);
    expect(all).toEqual([...all].sort(order));
  });

  it('a token of one listing does not continue another (400)', async () => {
    const first = await client.listJobs(t.company as string, { limit: 1 });
    const token = (first.body as { nextToken: string }).nextToken;

    expect((await client.listJobs(t.company as string, { open: true, nextToken: token })).status).toBe(400);
  });
});
