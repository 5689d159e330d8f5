import { ConflictError } from '../../../functions/domain/errors';
import { bookJob, recordCallback } from '../../../functions/domain/lifecycle';
import { bookRework, linked, openFollowUp, recallOf } from '../../../functions/domain/links';
import { stepFor } from '../../../functions/domain/workflow';
import {
  AGENT,
  at,
  DAY,
  HOUR,
  iso,
  jobIn,
  MANAGER,
  NOW,
  policyFrom,
  RESIDENT,
  settings,
  TECH,
  thrownBy,
} from '../support/fixtures';

// How jobs are tied: recall within 30 days of a signed job (day 29 and 30 are recalls, day 31
// is not), rework booked at a callback, a manager's follow-up; rework and follow-ups never
// count again as recalls.

const SIGNED = { jobId: 'job-0', technician: TECH, signedAt: NOW.toISOString() };
const WINDOW = { start: iso(NOW, 2 * DAY), end: iso(NOW, 2 * DAY + 2 * HOUR) };
const booking = {
  unitId: 'B2-1203',
  category: 'plumbing',
  description: 'Leaks again',
  priority: 'urgent',
  contactPhone: '+8613800138000',
  locale: 'en',
} as const;

describe('recallOf', () => {
  it('is a recall on day 29 and on day 30 exactly, not on day 31', () => {
    expect(recallOf(SIGNED, at(NOW, 29 * DAY))).toEqual(SIGNED);
    expect(recallOf(SIGNED, at(NOW, 30 * DAY))).toEqual(SIGNED);
    expect(recallOf(SIGNED, at(NOW, 30 * DAY + 1))).toBeNull();
    expect(recallOf(SIGNED, at(NOW, 31 * DAY))).toBeNull();
  });

  it('is none without a signed job of that unit and category', () => {
    expect(recallOf(null, NOW)).toBeNull();
  });
});

describe('a booking that recalls a signed job', () => {
  const d = bookJob(booking, RESIDENT, 'job-9', at(NOW, 29 * DAY), { recall: SIGNED }, policyFrom());

  it("names it in links.recallOf, starts the history with job.recall_detected and queues the managers' info alert", () => {
    expect(d.job.links.recallOf).toBe('job-0');
    expect(d.job.recall).toEqual(SIGNED);
    expect(d.history.map((h) => [h.type, h.actor])).toEqual([
      ['job.recall_detected', 'system'],
      ['job.booked', 'resident:r-1'],
    ]);
    expect(d.job.alerts).toEqual({ 'job.recall': { type: 'job.recall', sent: false } });
  });

  it('sends that alert before the workflow waits for the arrival, naming the recalled job and its technician', () => {
    const step = stepFor(d.job, at(NOW, 29 * DAY), settings());
    expect(step.alert).toMatchObject({ type: 'job.recall', severity: 'info' });
    expect(step.alert?.message).toBe(
      'Job job-9 (unit B2-1203, plumbing) was booked within 30 days of job job-0 being signed. Technician then: Wang Wei.',
    );
    expect(step.afterAlert?.phase).toBe('await_arrival');
  });

  it('is no recall when it is the rework or the follow-up of a job', () => {
    const rework = bookJob(
      { ...booking, residentId: 'r-1' },
      AGENT,
      'job-9',
      NOW,
      {
        reworkOf: 'job-0',
        recall: SIGNED,
      },
      policyFrom(),
    );
    expect(rework.job.links).toMatchObject({ reworkOf: 'job-0', recallOf: null });
    expect(rework.job.alerts).toEqual({});
    expect(rework.history.map((h) => h.type)).toEqual(['job.booked']);
  });
});

describe('rework at the callback', () => {
  const original = jobIn('signed');

  it('books a regular job at the agreed time, for the same unit, fault and resident, reworkOf the original', () => {
    const d = bookRework(original, WINDOW, AGENT, 'job-r', NOW, policyFrom());
    expect(d.job).toMatchObject({
      jobId: 'job-r',
      priority: 'regular',
      appointment: WINDOW,
      unitId: original.unitId,
      category: original.category,
      residentId: original.residentId,
      channel: 'phone',
      links: { reworkOf: 'job-1', recallOf: null },
      sla: { arrivalDueAt: WINDOW.start },
    });
    expect(d.history[0]?.data).toMatchObject({ reworkOf: 'job-1' });
  });

  it("links the rework on the original's callback decision, once, with a history item", () => {
    const callback = recordCallback(
      original,
      AGENT,
      { reached: true, satisfaction: 4, issueResolved: false },
      NOW,
    );
    const d = linked(callback, 'reworkJobs', 'job-r', 'job.rework_booked', AGENT, NOW);
    expect(d.job.status).toBe('closed');
    expect(d.job.links.reworkJobs).toEqual(['job-r']);
    expect(d.job.version).toBe(callback.job.version);
    expect(d.history.map((h) => h.type)).toEqual(['callback.completed', 'job.rework_booked']);
    expect(d.history[1]?.data).toEqual({ reworkJobId: 'job-r' });
  });
});

describe('follow-up of a job that needs one', () => {
  it('books the follow-up and links it on the original, whose status stays', () => {
    const { followUp, original } = openFollowUp(
      jobIn('needs_follow_up'),
      WINDOW,
      MANAGER,
      'job-f',
      NOW,
      policyFrom(),
    );
    expect(followUp.job.links.followUpOf).toBe('job-1');
    expect(followUp.job.residentId).toBe('r-1');
    expect(original.job).toMatchObject({
      status: 'needs_follow_up',
      links: { followUps: ['job-f'] },
      version: 4,
    });
    expect(original.history.map((h) => [h.type, h.actor])).toEqual([['job.follow_up_opened', 'manager:m-1']]);
  });

  it('is refused (409) for a job not needing one, and for a second follow-up', () => {
    expect(
      thrownBy(() => openFollowUp(jobIn('closed'), WINDOW, MANAGER, 'job-f', NOW, policyFrom())),
    ).toBeInstanceOf(ConflictError);
    const once = jobIn('needs_follow_up', { links: { ...jobIn('booked').links, followUps: ['job-f'] } });
    expect(thrownBy(() => openFollowUp(once, WINDOW, MANAGER, 'job-g', NOW, policyFrom()))).toBeInstanceOf(
      ConflictError,
    );
  });
});
