import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '../../../functions/domain/errors';
import { applyWebhook, cancelJob, onTimer } from '../../../functions/domain/lifecycle';
import { noticesFor } from '../../../functions/domain/notifications';
import { rescheduleJob } from '../../../functions/domain/reschedule';
import type { RescheduleRequest } from '../../../functions/domain/schemas';
import type { Caller, Job, Status } from '../../../functions/domain/types';
import { reschedule } from '../../../functions/domain/use-cases';
import { nextPhase } from '../../../functions/domain/workflow';
import { type FakePorts, fakePorts } from '../support/fakes';
import {
  AGENT,
  at,
  HOUR,
  iso,
  jobIn,
  MANAGER,
  MINUTE,
  NOW,
  OTHER_RESIDENT,
  OTHER_TECH_ID,
  policyFrom,
  RESIDENT,
  rejectionOf,
  settings,
  thrownBy,
  webhookEvent,
} from '../support/fixtures';

// No access (the technician came, nobody answered) and the reschedule that gives the job a new
// time: the arrival deadline moves, the ladder is timed again, and the parked wait is handed back.

// Tuesday 10:00 in Shanghai: within business hours (NOW is Monday 16:00 there).
const START = at(NOW, 18 * HOUR);
const body = (consent: RescheduleRequest['consent'] = 'phone', start = START): RescheduleRequest => ({
  appointment: { start: start.toISOString(), end: at(start, 2 * HOUR).toISOString() },
  consent,
});
const LATER = at(NOW, 5 * MINUTE);
const moved = (job: Job, caller: Caller = AGENT, b = body()) =>
  rescheduleJob(job, caller, b, LATER, policyFrom());
const noAccess = (job: Job, now = at(NOW, 6 * MINUTE)) =>
  applyWebhook(job, webhookEvent('job.no_access', { data: { note: 'nobody home' } }), now, policyFrom());

describe('job.no_access', () => {
  const waiting = () => jobIn('en_route', { wait: { token: 'tok-arrival', milestone: 'arrival' } });

  it('settles the arrival as met by the deadline and waits for a reschedule', () => {
    const d = noAccess(waiting());

    expect(d.job.status).toBe('awaiting_reschedule');
    expect(d.job.sla).toMatchObject({ arrivedAt: iso(NOW, 6 * MINUTE), arrivalMet: true, noAccess: true });
    expect(d.history.map((h) => [h.type, h.data.note])).toEqual([['job.no_access', 'nobody home']]);
  });

  it('hands the arrival wait back; the machine then waits for the reschedule without a timer', () => {
    const d = noAccess(waiting());

    expect(d.resume).toBe('tok-arrival');
    expect(nextPhase(d.job, at(NOW, HOUR))).toEqual({ phase: 'await_reschedule' });
    expect(onTimer(d.job, at(NOW, HOUR))).toBeNull();
  });

  it('counts a late no-access as a late arrival: the miss is recorded and alerted once', () => {
    const d = noAccess(waiting(), at(NOW, 25 * MINUTE));

    expect(d.job.sla.arrivalMet).toBe(false);
    expect(d.history.map((h) => h.type)).toEqual(['sla.arrival_missed', 'job.no_access']);
    expect(d.job.alerts['sla.arrival_missed']?.detail).toEqual({ lateAt: iso(NOW, 25 * MINUTE) });
  });

  it.each<Status>(['booked', 'arrived', 'awaiting_reschedule'])('is a conflict on a %s job', (status) => {
    expect(thrownBy(() => noAccess(jobIn(status)))).toBeInstanceOf(ConflictError);
  });

  it('is forbidden to a technician who did not accept the job', () => {
    const event = webhookEvent('job.no_access', { technicianId: OTHER_TECH_ID });

    expect(thrownBy(() => applyWebhook(jobIn('accepted'), event, NOW, policyFrom()))).toBeInstanceOf(
      ForbiddenError,
    );
  });

  it('tells the resident an agent will call to agree a new time', () => {
    const d = noAccess(waiting());

    expect(noticesFor(d, settings()).map((n) => [n.topic, n.type])).toEqual([['residents', 'job.no_access']]);
  });

  it.each([RESIDENT, MANAGER])('leaves the job cancellable by the %j', (caller) => {
    const d = cancelJob(
      { ...noAccess(waiting()).job, wait: { token: 'tok-r', milestone: 'reschedule' } },
      caller,
      undefined,
      at(NOW, HOUR),
    );

    expect(d.job.status).toBe('cancelled');
    expect(d.resume).toBe('tok-r');
    expect(d.history.map((h) => h.type)).toEqual(['job.cancelled']);
  });
});

describe('rescheduleJob', () => {
  it('moves the arrival deadline to the new start and times the ladder again from now', () => {
    const d = moved(jobIn('accepted'));

    expect(d.job.appointment).toEqual(body().appointment);
    expect(d.job.sla).toMatchObject({
      arrivalDueAt: START.toISOString(),
      acceptWarnAt: null,
      // Timed by the appointment: 80% into the last 10 minutes before it.
      arrivalRiskAt: at(START, -2 * MINUTE).toISOString(),
      arrivalMet: null,
    });
    expect(d.job.status).toBe('accepted');
    expect(d.job.priority).toBe('urgent');
  });

  it('records who agreed, who did it, and the old and new deadline', () => {
    const [item] = moved(jobIn('booked')).history;

    expect(item).toEqual({
      type: 'job.rescheduled',
      at: LATER.toISOString(),
      actor: 'agent:a-1',
      data: {
        consent: 'phone',
        appointment: body().appointment,
        previousArrivalDueAt: iso(NOW, 10 * MINUTE),
        arrivalDueAt: START.toISOString(),
      },
    });
  });

  it('hands back the parked arrival wait so its timer is set for the new deadline', () => {
    const d = moved(jobIn('accepted', { wait: { token: 'tok-arrival', milestone: 'arrival' } }));

    expect(d.resume).toBe('tok-arrival');
    expect(d.job.wait).toBeNull();
    expect(nextPhase(d.job, LATER)).toEqual({
      phase: 'await_arrival',
      timeoutSeconds: (Date.parse(d.job.sla.arrivalRiskAt ?? '') - LATER.getTime()) / 1000,
    });
  });

  it('leaves nothing for a timer at the old deadline: a deadline that moves is not missed', () => {
    const d = moved(jobIn('accepted'));

    expect(onTimer(d.job, at(NOW, 10 * MINUTE))).toBeNull();
  });

  it('resumes the overdue wait of a job already late, with a fresh deadline', () => {
    const late = jobIn('accepted', {
      sla: { arrivalMet: false },
      alerts: { 'sla.arrival_missed': { type: 'sla.arrival_missed', sent: true } },
      wait: { token: 'tok-overdue', milestone: 'arrival' },
    });
    const d = moved(late);

    expect(d.resume).toBe('tok-overdue');
    expect(d.job.sla.arrivalMet).toBeNull();
    expect(nextPhase(d.job, LATER).phase).toBe('await_arrival');
    // The new visit missed too: recorded, never alerted a second time.
    const missed = onTimer(d.job, START);
    expect(missed?.history.map((h) => h.type)).toEqual(['sla.arrival_missed']);
    expect(missed?.job.alerts['sla.arrival_missed']?.sent).toBe(true);
  });

  it('moves a job nobody answered back to accepted, with the same technician, untimed no more', () => {
    const after = noAccess(jobIn('en_route')).job;
    const d = moved({ ...after, wait: { token: 'tok-r', milestone: 'reschedule' } });

    expect(d.job.status).toBe('accepted');
    expect(d.job.technician).toEqual(after.technician);
    expect(d.job.sla).toMatchObject({ arrivedAt: null, arrivalMet: null, noAccess: true });
    expect(d.resume).toBe('tok-r');
    expect(nextPhase(d.job, LATER).phase).toBe('await_arrival');
  });

  it('puts a technician who was on the way back to accepted', () => {
    expect(moved(jobIn('en_route')).job.status).toBe('accepted');
  });

  it('lets the resident agree for themselves', () => {
    expect(moved(jobIn('booked'), RESIDENT, body('resident')).history[0]?.actor).toBe('resident:r-1');
  });

  it('refuses a resident who says the agreement was by phone (400 naming consent)', () => {
    const e = thrownBy(() => moved(jobIn('booked'), RESIDENT, body('phone')));

    expect(e).toBeInstanceOf(ValidationError);
    expect((e as ValidationError).errors.map((x) => x.path)).toEqual(['consent']);
  });

  it("applies the booking's appointment rules", () => {
    const past = thrownBy(() => moved(jobIn('booked'), AGENT, body('phone', at(NOW, -HOUR))));

    expect((past as ValidationError).errors.map((x) => x.path)).toEqual(['appointment.start']);
  });

  it.each<Status>(['arrived', 'signed', 'cancelled', 'needs_follow_up'])(
    'is a conflict on a %s job',
    (status) => {
      expect(thrownBy(() => moved(jobIn(status)))).toBeInstanceOf(ConflictError);
    },
  );

  it('tells the resident and the technician the new time', () => {
    const notices = noticesFor(moved(jobIn('accepted')), settings());

    expect(notices.map((n) => [n.topic, n.type])).toEqual([
      ['residents', 'job.rescheduled'],
      ['technicians', 'job.rescheduled'],
    ]);
    expect(notices[0]?.message).toBe('The visit for job job-1 is moved to Nov 24, 10:00–Nov 24, 12:00.');
  });
});

describe('reschedule (use case)', () => {
  let p: FakePorts;
  beforeEach(() => {
    p = fakePorts();
  });

  it('commits, answers the job and resumes the parked wait', async () => {
    p.store.put(jobIn('accepted', { wait: { token: 'tok-a', milestone: 'arrival' } }));

    const view = await reschedule(p, MANAGER, 'job-1', body());

    expect(view.sla.arrivalDueAt).toBe(START.toISOString());
    expect(p.workflow.resumed).toEqual(['tok-a']);
    expect(p.workflow.nextSteps[0]?.phase).toBe('await_arrival');
  });

  it("answers another resident's reschedule with 404 and changes nothing", async () => {
    p.store.put(jobIn('booked'));

    expect(await rejectionOf(reschedule(p, OTHER_RESIDENT, 'job-1', body('resident')))).toBeInstanceOf(
      NotFoundError,
    );
    expect(p.store.jobs.get('job-1')?.sla.arrivalDueAt).toBe(iso(NOW, 10 * MINUTE));
  });
});
