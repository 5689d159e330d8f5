import { assign } from '../../../functions/domain/dispatch-cases';
import { ConflictError, ForbiddenError } from '../../../functions/domain/errors';
import { DEFAULT_PROPERTY, type Technician } from '../../../functions/domain/policy';
import type { BookingRequest } from '../../../functions/domain/schemas';
import { book, getJob, jobHistory, technicianEvent } from '../../../functions/domain/use-cases';
import { type FakePorts, fakePorts } from '../support/fakes';
import {
  AGENT,
  jobIn,
  MANAGER,
  makeJob,
  OFFER,
  RESIDENT,
  rejectionOf,
  TECH,
  webhookEvent,
} from '../support/fixtures';

// Dispatch through the use cases, on the fakes: the roster rules on acceptance and on an offer,
// who is told what, and that a refusal changes nothing.

const WANG: Technician = {
  technicianId: TECH.id,
  name: TECH.name,
  skills: ['plumbing'],
  properties: ['B2'],
  onDuty: true,
  maxOpenJobs: 1,
};
const booking: BookingRequest = {
  unitId: 'B2-1203',
  category: 'plumbing',
  description: 'Kitchen tap leaking',
  priority: 'urgent',
  contactPhone: '+8613800138000',
  locale: 'en',
};

let p: FakePorts;
beforeEach(() => {
  p = fakePorts();
});

const rostered = (...technicians: Technician[]) => {
  for (const t of technicians) p.directory.technicianItems.set(t.technicianId, t);
};
const assignMode = () =>
  p.directory.propertyItems.set('B2', { ...DEFAULT_PROPERTY, name: 'B2', dispatch: 'assign' });
const technicianNotices = () => p.notifier.published.filter((n) => n.notice.topic === 'technicians');

describe('job.accepted against the roster', () => {
  it.each([
    ['off duty', { onDuty: false }, 'Roster rule off_duty'],
    ['without the skill', { skills: ['electrical' as const] }, 'Roster rule lacks_skill'],
    ['working elsewhere', { properties: ['A1'] }, 'Roster rule works_elsewhere'],
  ])(
    'refuses a technician %s with a 403 naming the rule, and changes nothing',
    async (_what, change, rule) => {
      rostered({ ...WANG, ...change });
      p.store.put(makeJob());

      const error = await rejectionOf(technicianEvent(p, 'hook-1', webhookEvent('job.accepted')));

      expect(error).toBeInstanceOf(ForbiddenError);
      expect((error as Error).message).toContain(rule);
      expect(p.store.jobs.get('job-1')?.version).toBe(3);
      expect(await p.store.history('job-1')).toEqual([]);
      expect(p.notifier.published).toEqual([]);
    },
  );

  it('refuses a technician already holding maxOpenJobs open jobs', async () => {
    rostered(WANG);
    p.store.put(jobIn('en_route', { jobId: 'held' })).put(makeJob());

    const error = await rejectionOf(technicianEvent(p, 'hook-1', webhookEvent('job.accepted')));

    expect((error as Error).message).toBe(
      'Roster rule max_open_jobs: technician t-1 already holds 1 open jobs (maxOpenJobs 1)',
    );
  });

  it('does not count a job they finished (signed) against the cap', async () => {
    rostered(WANG);
    p.store.put(jobIn('signed', { jobId: 'done' })).put(makeJob());

    const outcome = await technicianEvent(p, 'hook-1', webhookEvent('job.accepted'));

    expect(outcome.job.status).toBe('accepted');
  });

  it('refuses an id not on the roster once the property has one', async () => {
    rostered({ ...WANG, technicianId: 't-9' });
    p.store.put(makeJob());

    const error = await rejectionOf(technicianEvent(p, 'hook-1', webhookEvent('job.accepted')));

    expect((error as Error).message).toBe(
      'Roster rule not_on_roster: technician t-1 is not on the roster of B2',
    );
  });

  it('lets any id accept where the property has no roster (as before rosters)', async () => {
    rostered({ ...WANG, technicianId: 't-9', properties: ['A1'] });
    p.store.put(makeJob());

    expect((await technicianEvent(p, 'hook-1', webhookEvent('job.accepted'))).job.status).toBe('accepted');
  });

  it('gives the accepting technician the phone, addressed to them alone', async () => {
    rostered(WANG);
    p.store.put(makeJob());

    await technicianEvent(p, 'hook-1', webhookEvent('job.accepted'));

    expect(technicianNotices().map((n) => [n.notice.type, n.notice.attributes, n.notice.message])).toEqual([
      [
        'job.accepted',
        // The message's id (job, version, place among the write's messages): subscribers drop a repeat by it.
        { technicianId: TECH.id, messageId: 'job-1:4:1' },
        'You accepted job job-1 (plumbing, unit B2-1203). Before the visit, phone the resident at +8613800138000.',
      ],
    ]);
  });
});

describe('a booking tells the technicians who may take it', () => {
  it('in grab mode with a roster: one notice to each on-duty technician with the skill, none with the phone', async () => {
    rostered(WANG, { ...WANG, technicianId: 't-2' }, { ...WANG, technicianId: 't-off', onDuty: false });

    await book(p, RESIDENT, booking);

    const notices = technicianNotices();
    expect(notices.map((n) => n.notice.attributes?.technicianId)).toEqual([TECH.id, 't-2']);
    for (const n of notices) expect(n.notice.message).not.toContain(booking.contactPhone);
  });

  it('without a roster: one notice to the whole technicians topic, as before', async () => {
    await book(p, RESIDENT, booking);

    // No technicianId: the whole topic.
    expect(technicianNotices().map((n) => n.notice.attributes)).toEqual([{ messageId: expect.any(String) }]);
  });

  it('in assign mode: nobody until a dispatcher offers it', async () => {
    rostered(WANG);
    assignMode();

    await book(p, RESIDENT, booking);

    expect(technicianNotices()).toEqual([]);
  });
});

describe('assign', () => {
  it('offers a booked job to a technician the roster lets take it, and tells them alone', async () => {
    rostered(WANG);
    p.store.put(makeJob());

    const view = await assign(p, MANAGER, 'job-1', { technicianId: TECH.id });

    expect(view.offer).toMatchObject({ technicianId: TECH.id, name: TECH.name, by: 'manager:m-1' });
    expect((await p.store.history('job-1')).map((h) => h.type)).toEqual(['job.assigned']);
    expect(technicianNotices().map((n) => n.notice.attributes)).toEqual([
      { technicianId: TECH.id, messageId: 'job-1:4:0' },
    ]);
  });

  it('refuses a technician the roster refuses with a 409 naming the rule, and changes nothing', async () => {
    rostered({ ...WANG, onDuty: false });
    p.store.put(makeJob());

    const error = await rejectionOf(assign(p, AGENT, 'job-1', { technicianId: TECH.id }));

    expect(error).toBeInstanceOf(ConflictError);
    expect((error as Error).message).toBe('Roster rule off_duty: technician t-1 is off duty');
    expect(p.store.jobs.get('job-1')?.version).toBe(3);
  });

  it('is for staff only: a resident gets 403', async () => {
    p.store.put(makeJob());

    expect(await rejectionOf(assign(p, RESIDENT, 'job-1', { technicianId: TECH.id }))).toBeInstanceOf(
      ForbiddenError,
    );
  });

  it('hides the offer and dispatch history from the resident', async () => {
    p.store.put(makeJob());
    await assign(p, MANAGER, 'job-1', { technicianId: TECH.id });

    expect(await getJob(p, RESIDENT, 'job-1')).not.toHaveProperty('offer');
    expect((await jobHistory(p, RESIDENT, 'job-1')).items).toEqual([]);
    expect((await getJob(p, MANAGER, 'job-1')).offer?.technicianId).toBe(TECH.id);
  });
});

describe('job.rejected through the webhook', () => {
  it('returns the job to booked, warns the staff with the property, and a second rejection warns again', async () => {
    p.store.put(makeJob({ offer: { ...OFFER } }));
    await technicianEvent(p, 'hook-1', webhookEvent('job.rejected'));
    await assign(p, MANAGER, 'job-1', { technicianId: TECH.id });

    await technicianEvent(p, 'hook-2', webhookEvent('job.rejected', { data: { reason: 'Still too far' } }));

    const warnings = p.notifier.published.filter((n) => n.notice.topic === 'alerts');
    expect(warnings.map((n) => [n.jobId, n.notice.type, n.notice.attributes?.property])).toEqual([
      ['job-1', 'job.rejected', 'B2'],
      ['job-1', 'job.rejected', 'B2'],
    ]);
    expect(new Set(warnings.map((n) => n.notice.attributes?.alertId)).size).toBe(2);
    expect(p.store.jobs.get('job-1')).toMatchObject({ status: 'booked', offer: null, technician: null });
  });

  it('in grab mode tells the pool again, the one who gave it back aside', async () => {
    rostered(WANG, { ...WANG, technicianId: 't-2' });
    p.store.put(jobIn('accepted'));

    await technicianEvent(p, 'hook-1', webhookEvent('job.rejected'));

    expect(technicianNotices().map((n) => [n.notice.type, n.notice.attributes?.technicianId])).toEqual([
      ['job.available', 't-2'],
    ]);
  });
});
