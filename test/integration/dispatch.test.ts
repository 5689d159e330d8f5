import type { LocalStack } from '../../local/stack';
import { type Client, urgentBooking } from '../support/client';
import { testStack } from '../support/stack';

// Dispatch on the local stack: the roster's rules on acceptance, a dispatcher's offers and a
// technician giving a job back, and what each technician was told (the outbox shows who got what).

let stack: LocalStack;
let client: Client;
let manager: string;
let agent: string;
let resident: string;

const PHONE = '+8613800138000';

beforeAll(async () => {
  ({ stack, client } = await testStack({ clockSpeed: 0 }));
  manager = await client.token('m-1', 'manager');
  agent = await client.token('a-1', 'agent');
  resident = await client.token('r-1', 'resident');
});
afterAll(() => stack?.stop());

const technician = (properties: string[], change: Record<string, unknown> = {}) => ({
  name: 'Wang Wei',
  skills: ['plumbing' as const],
  properties,
  onDuty: true,
  maxOpenJobs: 1,
  ...change,
});

async function bookAt(unitId: string): Promise<string> {
  const r = await client.bookJob(resident, urgentBooking({ unitId }) as never);
  if (r.status !== 201) throw new Error(`booking answered ${r.status}`);
  // Its execution starts from the booking's outbox: let it park (its write bumps the version).
  await stack.workflow.settle();
  return (r.body as { jobId: string }).jobId;
}

const accept = (jobId: string, technicianId: string) =>
  client.hook({ type: 'job.accepted', jobId, technicianId, data: { technicianName: technicianId } });

/** What a staff caller reads of the job: its version and its history's types. */
async function state(jobId: string) {
  const job = (await client.getJob(manager, jobId)).body as { version: number; status: string };
  const history = ((await client.getJobHistory(manager, jobId)).body as { items: { type: string }[] }).items;
  return { version: job.version, status: job.status, history: history.map((h) => h.type) };
}

/** What the technicians were told: the notices leave the outbox through the stream, so it settles first. */
const technicianNotices = async (jobId: string) => {
  await stack.streams.settle();
  return client.notifications(jobId, 'technicians');
};

describe('a rostered pool in grab mode (property R1)', () => {
  let held: string;
  let jobId: string;

  beforeAll(async () => {
    await client.putProperty(manager, 'R1', { name: 'River One', dispatch: 'grab' });
    await client.putTechnician(manager, 't-ok', technician(['R1']));
    await client.putTechnician(manager, 't-off', technician(['R1'], { onDuty: false }));
    await client.putTechnician(manager, 't-elec', technician(['R1'], { skills: ['electrical'] }));
    await client.putTechnician(manager, 't-far', technician(['R9']));
    await client.putTechnician(manager, 't-cap', technician(['R1']));
    // t-cap takes a first job: with maxOpenJobs 1 they hold as many as they may.
    held = await bookAt('R1-0101');
    expect((await accept(held, 't-cap')).status).toBe(202);
    jobId = await bookAt('R1-0102');
  });

  it('told the booking to each on-duty technician of R1 with the skill, one notice each, none with the phone', async () => {
    const booked = (await technicianNotices(jobId)).filter((n) => n.attributes.type === 'job.booked');

    expect(booked.map((n) => n.attributes.technicianId).sort()).toEqual(['t-cap', 't-ok']);
    for (const n of booked) {
      expect(n.message).toContain(jobId);
      expect(n.message).toContain('Kitchen tap leaking');
      expect(n.message).not.toContain(PHONE);
    }
  });

  it.each([
    ['t-off', 'off_duty'],
    ['t-elec', 'lacks_skill'],
    ['t-far', 'works_elsewhere'],
    ['t-cap', 'max_open_jobs'],
    ['t-stranger', 'not_on_roster'],
  ])('refuses %s with a 403 naming %s, and nothing changes', async (technicianId, rule) => {
    const before = await state(jobId);

    const reply = await accept(jobId, technicianId);

    expect(reply.status).toBe(403);
    expect(reply.body.detail).toContain(`Roster rule ${rule}`);
    expect(await state(jobId)).toEqual(before);
  });

  it('lets an allowed technician accept, and gives the phone to them alone', async () => {
    expect((await accept(jobId, 't-ok')).status).toBe(202);

    await stack.streams.settle();
    const all = (await client.local.listNotifications({ jobId })).body as {
      items: { topic: string; attributes: Record<string, string>; message: string }[];
    };
    const withPhone = all.items.filter((n) => n.message.includes(PHONE));
    expect(withPhone.map((n) => [n.topic, n.attributes.type, n.attributes.technicianId])).toEqual([
      ['technicians', 'job.accepted', 't-ok'],
    ]);
  });

  it('counts a job against the cap only until it is finished', async () => {
    // t-cap's first job ends (cancelled): the cap frees, and the next job may be theirs.
    expect((await client.cancelJob(manager, held, {})).status).toBe(200);
    const next = await bookAt('R1-0103');

    expect((await accept(next, 't-cap')).status).toBe(202);
  });
});

describe('assign dispatch (property S1)', () => {
  let jobId: string;

  beforeAll(async () => {
    await client.putProperty(manager, 'S1', { name: 'South One', dispatch: 'assign' });
    await client.putTechnician(manager, 't-a', technician(['S1'], { maxOpenJobs: 3 }));
    await client.putTechnician(manager, 't-b', technician(['S1'], { maxOpenJobs: 3 }));
    await client.putTechnician(manager, 't-sleep', technician(['S1'], { onDuty: false }));
    jobId = await bookAt('S1-0101');
  });

  it('tells no technician of the booking, and refuses an acceptance before any offer', async () => {
    const reply = await accept(jobId, 't-a');

    expect(reply.status).toBe(403);
    expect(reply.body.detail).toContain('waits for dispatch');
    expect(await technicianNotices(jobId)).toEqual([]);
  });

  it('refuses an offer to a technician the roster refuses (409 naming the rule)', async () => {
    const reply = await client.assignJob(manager, jobId, { technicianId: 't-sleep' });

    expect(reply.status).toBe(409);
    expect((reply.body as { detail: string }).detail).toContain('Roster rule off_duty');
  });

  it('runs assign → reject → reassign → accept, only the assignee accepting, the staff warned of the rejection', async () => {
    const offered = await client.assignJob(manager, jobId, { technicianId: 't-a' });
    expect(offered.status).toBe(200);
    expect((offered.body as { offer: { technicianId: string } }).offer.technicianId).toBe('t-a');
    expect((await accept(jobId, 't-b')).status).toBe(403);

    const back = await client.hook({
      type: 'job.rejected',
      jobId,
      technicianId: 't-a',
      data: { reason: 'Too far' },
    });
    expect(back.status).toBe(202);
    expect(back.body.status).toBe('booked');

    expect((await client.assignJob(agent, jobId, { technicianId: 't-b' })).status).toBe(200);
    const refused = await accept(jobId, 't-a');
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toContain('offered to another technician');
    expect((await accept(jobId, 't-b')).status).toBe(202);

    const history = (
      (await client.getJobHistory(manager, jobId)).body as {
        items: { type: string; actor: string; data: Record<string, unknown> }[];
      }
    ).items;
    expect(history.map((h) => [h.type, h.actor])).toEqual([
      ['job.booked', 'resident:r-1'],
      ['job.assigned', 'manager:m-1'],
      ['job.rejected', 'technician:t-a'],
      ['job.assigned', 'agent:a-1'],
      ['job.accepted', 'technician:t-b'],
    ]);
    expect(history[2]?.data).toMatchObject({ reason: 'Too far' });
    await stack.streams.settle();
    const warnings = await client.notifications(jobId, 'alerts');
    expect(warnings.map((a) => [a.attributes.type, a.attributes.severity, a.attributes.property])).toEqual([
      ['job.rejected', 'warning', 'S1'],
    ]);
    const told = (await technicianNotices(jobId)).map((n) => [n.attributes.type, n.attributes.technicianId]);
    expect(told).toEqual([
      ['job.assigned', 't-a'],
      ['job.assigned', 't-b'],
      ['job.accepted', 't-b'],
    ]);
  });

  it('shows the resident neither the offer nor who was offered it', async () => {
    const other = await bookAt('S1-0102');
    await client.assignJob(manager, other, { technicianId: 't-a' });

    const view = (await client.getJob(resident, other)).body as Record<string, unknown>;
    const history = ((await client.getJobHistory(resident, other)).body as { items: { type: string }[] })
      .items;

    expect(view.status).toBe('booked');
    expect(view).not.toHaveProperty('offer');
    expect(history.map((h) => h.type)).toEqual(['job.booked']);
  });
});
