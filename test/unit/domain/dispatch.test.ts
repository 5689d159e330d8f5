import {
  checkDispatch,
  HELD_STATUSES,
  holderOf,
  offerJob,
  poolOf,
  type RosterFacts,
  rosterRefusal,
} from '../../../functions/domain/dispatch';
import { ConflictError, ForbiddenError } from '../../../functions/domain/errors';
import { applyWebhook } from '../../../functions/domain/lifecycle';
import { DEFAULT_PROPERTY, policyFor, type Technician } from '../../../functions/domain/policy';
import { STATUSES } from '../../../functions/domain/types';
import {
  AGENT,
  jobIn,
  MANAGER,
  makeJob,
  NOW,
  OFFER,
  OTHER_TECH_ID,
  policyFrom,
  settings,
  TECH,
  thrownBy,
  told,
  webhookEvent,
} from '../support/fixtures';

const WANG: Technician = {
  technicianId: TECH.id,
  name: TECH.name,
  skills: ['plumbing'],
  properties: ['B2'],
  onDuty: true,
  maxOpenJobs: 2,
};
const facts = (over: Partial<RosterFacts> = {}): RosterFacts => ({
  technicianId: TECH.id,
  technician: WANG,
  propertyHasRoster: true,
  openJobs: 0,
  ...over,
});
const assignMode = policyFor(settings(), 'B2', { ...DEFAULT_PROPERTY, name: 'B2', dispatch: 'assign' });

describe('rosterRefusal: the roster rules, each named', () => {
  const job = makeJob();

  it('lets an on-duty technician of the property with the skill and room for a job take it', () => {
    expect(rosterRefusal(job, facts({ openJobs: 1 }))).toBeNull();
  });

  it.each([
    [
      'an id not on the roster of a rostered property',
      facts({ technician: null }),
      'not_on_roster',
      'Roster rule not_on_roster: technician t-1 is not on the roster of B2',
    ],
    [
      'a technician who works elsewhere',
      facts({ technician: { ...WANG, properties: ['A1'] } }),
      'works_elsewhere',
      'Roster rule works_elsewhere: technician t-1 does not work at B2',
    ],
    [
      'a technician off duty',
      facts({ technician: { ...WANG, onDuty: false } }),
      'off_duty',
      'Roster rule off_duty: technician t-1 is off duty',
    ],
    [
      'a technician without the job category',
      facts({ technician: { ...WANG, skills: ['electrical'] } }),
      'lacks_skill',
      'Roster rule lacks_skill: technician t-1 lacks the plumbing skill',
    ],
    [
      'a technician holding maxOpenJobs open jobs',
      facts({ openJobs: 2 }),
      'max_open_jobs',
      'Roster rule max_open_jobs: technician t-1 already holds 2 open jobs (maxOpenJobs 2)',
    ],
  ])('refuses %s', (_what, given, rule, message) => {
    expect(rosterRefusal(job, given)).toEqual({ rule, message });
  });

  it('lets any id take a job of a property nobody rostered (as before rosters)', () => {
    expect(rosterRefusal(job, facts({ technician: null, propertyHasRoster: false }))).toBeNull();
  });

  it('judges a known technician by the rules even where the property has no roster of its own', () => {
    const elsewhere = facts({ technician: { ...WANG, properties: ['A1'] }, propertyHasRoster: false });

    expect(rosterRefusal(job, elsewhere)?.rule).toBe('works_elsewhere');
  });

  it('names the first rule that fails when several do', () => {
    const tired = facts({ technician: { ...WANG, onDuty: false, skills: ['hvac'] }, openJobs: 9 });

    expect(rosterRefusal(job, tired)?.rule).toBe('off_duty');
  });
});

describe('holderOf: the open jobs a technician holds', () => {
  it.each(STATUSES.map((s) => [s, HELD_STATUSES.includes(s)] as const))(
    'a job %s with a technician is held: %s',
    (status, held) => {
      expect(holderOf(jobIn(status, { technician: { ...TECH } }))).toBe(held ? TECH.id : null);
    },
  );

  it('holds from acceptance until the form is signed, the on-site cleanup and a wait for a new time included', () => {
    expect(HELD_STATUSES).toEqual([
      'accepted',
      'en_route',
      'arrived',
      'diagnosed',
      'in_progress',
      'completed',
      'cleaned',
      'awaiting_reschedule',
    ]);
  });
});

describe('checkDispatch: who may accept or give back a booked job', () => {
  const offered = makeJob({ offer: { ...OFFER } });

  it('refuses another technician accepting a job offered to someone', () => {
    const error = thrownBy(() =>
      checkDispatch(offered, webhookEvent('job.accepted', { technicianId: OTHER_TECH_ID }), policyFrom()),
    );

    expect(error).toBeInstanceOf(ForbiddenError);
    expect((error as Error).message).toBe('Job job-1 is offered to another technician');
  });

  it('lets the offered technician accept, in either mode', () => {
    expect(() => checkDispatch(offered, webhookEvent('job.accepted'), policyFrom())).not.toThrow();
    expect(() => checkDispatch(offered, webhookEvent('job.accepted'), assignMode)).not.toThrow();
  });

  it('refuses an acceptance before any offer where the property dispatches by assign', () => {
    const error = thrownBy(() => checkDispatch(makeJob(), webhookEvent('job.accepted'), assignMode));

    expect(error).toBeInstanceOf(ForbiddenError);
    expect((error as Error).message).toBe('Job job-1 waits for dispatch: property B2 assigns its jobs');
  });

  it('lets anyone grab a job nobody was offered where the property dispatches by grab', () => {
    expect(() => checkDispatch(makeJob(), webhookEvent('job.accepted'), policyFrom())).not.toThrow();
  });

  it('refuses a give-back of a booked job from anyone but the offered technician', () => {
    const other = webhookEvent('job.rejected', { technicianId: OTHER_TECH_ID });

    expect(thrownBy(() => checkDispatch(offered, other, policyFrom()))).toBeInstanceOf(ForbiddenError);
    expect(
      thrownBy(() => checkDispatch(makeJob(), webhookEvent('job.rejected'), policyFrom())),
    ).toBeInstanceOf(ForbiddenError);
  });
});

describe('offerJob: a dispatcher offers a booked job', () => {
  it('records the offer and who made it, in history job.assigned', () => {
    const d = offerJob(makeJob(), MANAGER, { technicianId: TECH.id, name: TECH.name }, NOW);

    expect(d?.job.offer).toEqual({
      technicianId: TECH.id,
      name: TECH.name,
      at: NOW.toISOString(),
      by: 'manager:m-1',
    });
    expect(d?.job.version).toBe(4);
    expect(d?.history).toEqual([
      {
        type: 'job.assigned',
        at: NOW.toISOString(),
        actor: 'manager:m-1',
        data: { technicianId: TECH.id, technicianName: TECH.name },
      },
    ]);
  });

  it('names the previous offer when it replaces one', () => {
    const d = offerJob(
      makeJob({ offer: { ...OFFER } }),
      AGENT,
      { technicianId: OTHER_TECH_ID, name: null },
      NOW,
    );

    expect(d?.history[0]?.data).toEqual({ technicianId: OTHER_TECH_ID, previous: TECH.id });
    expect(d?.job.offer?.technicianId).toBe(OTHER_TECH_ID);
  });

  it('changes nothing when the same technician is offered it again', () => {
    expect(
      offerJob(makeJob({ offer: { ...OFFER } }), MANAGER, { technicianId: TECH.id, name: null }, NOW),
    ).toBeNull();
  });

  it('is a 409 once the job was accepted', () => {
    const error = thrownBy(() =>
      offerJob(jobIn('accepted'), MANAGER, { technicianId: TECH.id, name: null }, NOW),
    );

    expect(error).toBeInstanceOf(ConflictError);
    expect((error as Error).message).toBe('Job job-1 is accepted; assign is allowed only when it is booked');
  });

  it('tells the offered technician alone, with what they need but not the phone', () => {
    const d = offerJob(makeJob(), MANAGER, { technicianId: TECH.id, name: TECH.name }, NOW);
    const notices = told(d as NonNullable<typeof d>);

    expect(notices).toEqual([
      {
        topic: 'technicians',
        type: 'job.assigned',
        subject: 'Job offered to you',
        message:
          'Job job-1 (urgent) is offered to you: plumbing at unit B2-1203, on site by Nov 23, 16:10. Fault: Kitchen tap leaking',
        attributes: { technicianId: TECH.id },
      },
    ]);
  });
});

describe('job.rejected: a technician gives a job back', () => {
  it('returns an offered job to booked with no offer, recording the reason', () => {
    const d = applyWebhook(makeJob({ offer: { ...OFFER } }), webhookEvent('job.rejected'), NOW, policyFrom());

    expect(d.job).toMatchObject({ status: 'booked', offer: null, technician: null });
    expect(d.history[0]).toMatchObject({
      type: 'job.rejected',
      actor: `technician:${TECH.id}`,
      data: { reason: 'Too far away', from: 'booked', technicianName: TECH.name },
    });
  });

  it('returns an accepted job to booked with nobody on it; the arrival deadline stands', () => {
    const job = jobIn('accepted');

    const d = applyWebhook(job, webhookEvent('job.rejected'), NOW, policyFrom());

    expect(d.job).toMatchObject({ status: 'booked', technician: null, offer: null });
    expect(d.job.sla.arrivalDueAt).toBe(job.sla.arrivalDueAt);
  });

  it('is refused once the technician set off (409)', () => {
    const error = thrownBy(() =>
      applyWebhook(jobIn('en_route'), webhookEvent('job.rejected'), NOW, policyFrom()),
    );

    expect(error).toBeInstanceOf(ConflictError);
  });

  it('warns the property staff on the alerts topic, every rejection its own alert', () => {
    const d = applyWebhook(makeJob({ offer: { ...OFFER } }), webhookEvent('job.rejected'), NOW, policyFrom());

    const [warning] = told(d).filter((n) => n.topic === 'alerts');

    expect(warning).toEqual({
      topic: 'alerts',
      type: 'job.rejected',
      severity: 'warning',
      subject: 'Job given back',
      message:
        'Technician Wang Wei (t-1) gave back job job-1 (urgent, unit B2-1203): Too far away. It needs a technician again, on site by Nov 23, 16:10.',
      attributes: { property: 'B2', alertId: 'job-1:job.rejected:4' },
    });
  });

  it('tells the resident another technician is being found only when they had been told who was coming', () => {
    const offeredBack = applyWebhook(
      makeJob({ offer: { ...OFFER } }),
      webhookEvent('job.rejected'),
      NOW,
      policyFrom(),
    );
    const acceptedBack = applyWebhook(jobIn('accepted'), webhookEvent('job.rejected'), NOW, policyFrom());

    expect(told(offeredBack).filter((n) => n.topic === 'residents')).toEqual([]);
    expect(
      told(acceptedBack)
        .filter((n) => n.topic === 'residents')
        .map((n) => n.type),
    ).toEqual(['job.rejected']);
  });
});

describe('poolOf: whom a job up for taking is told of', () => {
  const roster: Technician[] = [
    WANG,
    { ...WANG, technicianId: 't-off', onDuty: false },
    { ...WANG, technicianId: 't-elec', skills: ['electrical'] },
    { ...WANG, technicianId: 't-a1', properties: ['A1'] },
    { ...WANG, technicianId: 't-busy', maxOpenJobs: 1 },
  ];

  it('is the on-duty technicians of the property with the skill (a busy one too: they may finish first)', () => {
    expect(poolOf(makeJob(), policyFrom(), roster)).toEqual([TECH.id, 't-busy']);
  });

  it('leaves out who just gave the job back', () => {
    expect(poolOf(makeJob(), policyFrom(), roster, TECH.id)).toEqual(['t-busy']);
  });

  it('is the whole technicians topic (undefined) where nobody on the roster works at the property', () => {
    expect(poolOf(makeJob(), policyFrom(), [{ ...WANG, properties: ['A1'] }])).toBeUndefined();
  });

  it('is nobody in assign mode: the offer tells the one it names', () => {
    expect(poolOf(makeJob(), assignMode, roster)).toEqual([]);
  });

  it('addresses one booking notice to each, without the phone', () => {
    const job = makeJob({ version: 1 });
    const history = [{ type: 'job.booked', at: NOW.toISOString(), actor: 'resident:r-1', data: {} }];

    const notices = told({ job, history, pool: ['t-1', 't-busy'] }).filter((n) => n.topic === 'technicians');

    expect(notices.map((n) => n.attributes)).toEqual([{ technicianId: 't-1' }, { technicianId: 't-busy' }]);
    for (const n of notices) expect(n.message).not.toContain(job.contactPhone);
  });

  it('tells a regular job by its appointment window', () => {
    const regular = makeJob({
      priority: 'regular',
      appointment: { start: '2026-11-24T02:00:00.000Z', end: '2026-11-24T04:00:00.000Z' },
    });
    const history = [{ type: 'job.booked', at: NOW.toISOString(), actor: 'resident:r-1', data: {} }];

    const [notice] = told({ job: regular, history, pool: ['t-1'] }).filter((n) => n.topic === 'technicians');

    expect(notice?.message).toBe(
      'New regular job job-1: plumbing at unit B2-1203, booked for Nov 24, 10:00–Nov 24, 12:00. Fault: Kitchen tap leaking',
    );
  });
});
