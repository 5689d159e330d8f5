import { ConflictError, ValidationError } from '../../../functions/domain/errors';
import { bookJob, cancelJob, onTimer, recordCallback } from '../../../functions/domain/lifecycle';
import type { BookingRequest } from '../../../functions/domain/schemas';
import { STATUSES, type Status } from '../../../functions/domain/types';
import { stepFor } from '../../../functions/domain/workflow';
import {
  AGENT,
  at,
  DAY,
  defined,
  HOUR,
  iso,
  jobIn,
  MANAGER,
  MINUTE,
  NOW,
  policyFrom,
  RESIDENT,
  settings,
  thrownBy,
  told,
} from '../support/fixtures';

const urgent: BookingRequest = {
  unitId: 'B2-1203',
  category: 'plumbing',
  description: 'Kitchen tap leaking',
  priority: 'urgent',
  contactPhone: '+8613800138000',
  locale: 'zh-CN',
};
const regular = (start: Date, end: Date): BookingRequest => ({
  ...urgent,
  priority: 'regular',
  appointment: { start: start.toISOString(), end: end.toISOString() },
});

/** 09:00 on Tuesday 24 November 2026 in Shanghai, the opening of the business day after NOW. */
const TUESDAY_9 = new Date('2026-11-24T01:00:00.000Z');

const fieldErrors = (fn: () => unknown) => {
  const error = thrownBy(fn);
  expect(error).toBeInstanceOf(ValidationError);
  return (error as ValidationError).errors;
};

describe('bookJob', () => {
  it('books an urgent repair for the calling resident, due on site 10 minutes after booking (S3)', () => {
    const { job } = bookJob(urgent, RESIDENT, 'job-9', NOW, {}, policyFrom());

    expect(job).toMatchObject({
      jobId: 'job-9',
      status: 'booked',
      residentId: RESIDENT.sub,
      appointment: null,
      technician: null,
      laborWaived: false,
      version: 1,
      createdAt: NOW.toISOString(),
      updatedAt: NOW.toISOString(),
    });
    expect(job.sla.arrivalDueAt).toBe(iso(NOW, 10 * MINUTE));
  });

  it('books a regular repair due on site at the start of the appointment (S3)', () => {
    const start = at(NOW, DAY);

    const { job } = bookJob(regular(start, at(start, 2 * HOUR)), RESIDENT, 'job-9', NOW, {}, policyFrom());

    expect(job.sla.arrivalDueAt).toBe(start.toISOString());
    expect(job.appointment).toEqual({ start: start.toISOString(), end: iso(start, 2 * HOUR) });
  });

  it("records a regular repair's arrival deadline in its history, so replaying it can time the arrival", () => {
    const start = at(NOW, DAY);

    const { history } = bookJob(regular(start, at(start, HOUR)), RESIDENT, 'job-9', NOW, {}, policyFrom());

    expect(history[0]?.data).toEqual({
      priority: 'regular',
      category: 'plumbing',
      arrivalDueAt: start.toISOString(),
    });
  });

  it('starts with every SLA milestone open', () => {
    const { job } = bookJob(urgent, RESIDENT, 'job-9', NOW, {}, policyFrom());

    expect(job.sla).toMatchObject({
      arrivedAt: null,
      arrivalMet: null,
      callbackDueAt: null,
      callbackMet: null,
    });
  });

  it('records the booking in history and tells both the resident and the technicians', () => {
    const decision = bookJob(urgent, RESIDENT, 'job-9', NOW, {}, policyFrom());
    const { history, resume } = decision;
    const notices = told(decision);

    expect(history).toEqual([
      {
        type: 'job.booked',
        at: NOW.toISOString(),
        actor: 'resident:r-1',
        data: { priority: 'urgent', category: 'plumbing', arrivalDueAt: iso(NOW, 10 * MINUTE) },
      },
    ]);
    expect(notices.map((n) => [n.topic, n.type])).toEqual([
      ['residents', 'job.booked'],
      ['technicians', 'job.booked'],
    ]);
    expect(resume).toBeNull();
  });

  it('rejects an urgent repair that has an appointment, at path appointment', () => {
    const body = { ...regular(at(NOW, DAY), at(NOW, DAY + HOUR)), priority: 'urgent' as const };

    expect(fieldErrors(() => bookJob(body, RESIDENT, 'job-9', NOW, {}, policyFrom()))).toEqual([
      { path: 'appointment', message: 'must be absent for an urgent repair' },
    ]);
  });

  it('rejects a regular repair without an appointment, at path appointment', () => {
    const body: BookingRequest = { ...urgent, priority: 'regular' };

    expect(fieldErrors(() => bookJob(body, RESIDENT, 'job-9', NOW, {}, policyFrom()))).toEqual([
      { path: 'appointment', message: 'required for a regular repair' },
    ]);
  });

  it('rejects an appointment that starts in the past', () => {
    const body = regular(at(NOW, -HOUR), at(NOW, HOUR));

    expect(fieldErrors(() => bookJob(body, RESIDENT, 'job-9', NOW, {}, policyFrom()))).toEqual([
      { path: 'appointment.start', message: 'must be in the future' },
    ]);
  });

  it('rejects an appointment that starts right now', () => {
    const body = regular(NOW, at(NOW, HOUR));

    expect(fieldErrors(() => bookJob(body, RESIDENT, 'job-9', NOW, {}, policyFrom()))[0]?.path).toBe(
      'appointment.start',
    );
  });

  it('rejects an appointment that ends before it starts', () => {
    const body = regular(at(NOW, 2 * HOUR), at(NOW, HOUR));

    expect(fieldErrors(() => bookJob(body, RESIDENT, 'job-9', NOW, {}, policyFrom()))).toEqual([
      { path: 'appointment.end', message: 'must be after appointment.start' },
    ]);
  });

  it('rejects an appointment that ends when it starts', () => {
    const body = regular(at(NOW, HOUR), at(NOW, HOUR));

    expect(fieldErrors(() => bookJob(body, RESIDENT, 'job-9', NOW, {}, policyFrom()))[0]?.path).toBe(
      'appointment.end',
    );
  });

  it('rejects a window longer than 4 hours', () => {
    const body = regular(TUESDAY_9, at(TUESDAY_9, 4 * HOUR + 1));

    expect(fieldErrors(() => bookJob(body, RESIDENT, 'job-9', NOW, {}, policyFrom()))).toEqual([
      { path: 'appointment.end', message: 'the window must be at most 4 hours' },
    ]);
  });

  it('accepts a window of exactly 4 hours', () => {
    const body = regular(TUESDAY_9, at(TUESDAY_9, 4 * HOUR));

    expect(bookJob(body, RESIDENT, 'job-9', NOW, {}, policyFrom()).job.status).toBe('booked');
  });

  it('reports a past start and a reversed end together', () => {
    const body = regular(at(NOW, -HOUR), at(NOW, -2 * HOUR));

    expect(
      fieldErrors(() => bookJob(body, RESIDENT, 'job-9', NOW, {}, policyFrom())).map((e) => e.path),
    ).toEqual(['appointment.start', 'appointment.end']);
  });
});

describe('cancelJob', () => {
  // Before arrival, or waiting for a new time after nobody answered.
  const residentMay: Status[] = ['booked', 'accepted', 'en_route', 'awaiting_reschedule'];
  const managerMay: Status[] = [...residentMay, 'arrived', 'diagnosed'];

  it.each(residentMay)('lets the resident cancel a %s job (before arrival)', (status) => {
    const { job } = cancelJob(jobIn(status), RESIDENT, undefined, NOW);

    expect(job.status).toBe('cancelled');
  });

  it.each(STATUSES.filter((s) => !residentMay.includes(s)))(
    'answers a resident cancelling a %s job with 409 naming the status',
    (status) => {
      const error = thrownBy(() => cancelJob(jobIn(status), RESIDENT, undefined, NOW));

      expect(error).toBeInstanceOf(ConflictError);
      expect((error as Error).message).toContain(`is ${status};`);
    },
  );

  it.each(managerMay)('lets a manager cancel a %s job', (status) => {
    const { job } = cancelJob(jobIn(status), MANAGER, undefined, NOW);

    expect(job.status).toBe('cancelled');
  });

  it.each(STATUSES.filter((s) => !managerMay.includes(s)))(
    'answers a manager cancelling a %s job with 409',
    (status) => {
      const error = thrownBy(() => cancelJob(jobIn(status), MANAGER, undefined, NOW));

      expect(error).toBeInstanceOf(ConflictError);
      expect((error as Error).message).toContain(`is ${status};`);
    },
  );

  it('does not let a manager cancel a job needing follow-up: the visit ended, and cancelling would rewrite it', () => {
    const job = jobIn('needs_follow_up');

    const error = thrownBy(() => cancelJob(job, MANAGER, 'resident gave up', NOW));

    expect(error).toBeInstanceOf(ConflictError);
    expect((error as Error).message).toBe(
      'Job job-1 is needs_follow_up; cancel is allowed only when it is booked or accepted or en_route or awaiting_reschedule or arrived or diagnosed',
    );
  });

  it('tells the resident and the assigned technician', () => {
    const notices = told(cancelJob(jobIn('accepted'), RESIDENT, undefined, NOW));

    expect(notices.map((n) => [n.topic, n.type])).toEqual([
      ['residents', 'job.cancelled'],
      ['technicians', 'job.cancelled'],
    ]);
  });

  it('tells only the resident when no technician was assigned', () => {
    const notices = told(cancelJob(jobIn('booked'), RESIDENT, undefined, NOW));

    expect(notices.map((n) => n.topic)).toEqual(['residents']);
  });

  it('records who cancelled and why', () => {
    const { history } = cancelJob(jobIn('booked'), MANAGER, 'Duplicate booking', NOW);

    expect(history).toEqual([
      {
        type: 'job.cancelled',
        at: NOW.toISOString(),
        actor: 'manager:m-1',
        data: { reason: 'Duplicate booking' },
      },
    ]);
  });

  it('records no reason when none was given', () => {
    const { history } = cancelJob(jobIn('booked'), RESIDENT, undefined, NOW);

    expect(history[0]?.data).toEqual({});
  });

  it('releases the workflow waiting for the arrival', () => {
    const job = jobIn('accepted', { wait: { token: 'tok', milestone: 'arrival' } });

    const decision = cancelJob(job, RESIDENT, undefined, NOW);

    expect(decision.resume).toBe('tok');
    expect(decision.job.wait).toBeNull();
  });

  it('bumps the version', () => {
    expect(cancelJob(jobIn('booked', { version: 4 }), RESIDENT, undefined, NOW).job.version).toBe(5);
  });
});

describe('recordCallback (S15)', () => {
  const signed = jobIn('signed', { sla: { callbackDueAt: iso(NOW, 7 * DAY) } });
  const reached = { reached: true, satisfaction: 5, issueResolved: true } as const;

  it.each(STATUSES.filter((s) => s !== 'signed'))(
    'answers a callback on a %s job with 409 naming the status',
    (status) => {
      const error = thrownBy(() => recordCallback(jobIn(status), AGENT, reached, NOW));

      expect(error).toBeInstanceOf(ConflictError);
      expect((error as Error).message).toContain(`is ${status};`);
    },
  );

  describe('when the resident was not reached (S7: keep trying)', () => {
    it('keeps the job signed and the callback open', () => {
      const { job } = recordCallback(signed, AGENT, { reached: false }, NOW);

      expect(job.status).toBe('signed');
      expect(job.sla.callbackMet).toBeNull();
    });

    it('counts the attempt', () => {
      const once = recordCallback(signed, AGENT, { reached: false }, NOW).job;

      const twice = recordCallback(once, AGENT, { reached: false }, at(NOW, HOUR)).job;

      expect(once.callbackAttempts).toBe(1);
      expect(twice.callbackAttempts).toBe(2);
    });

    it('records the attempt in history and messages nobody', () => {
      const decision = recordCallback(signed, AGENT, { reached: false, comment: 'No answer' }, NOW);
      const { history } = decision;
      const notices = told(decision);

      expect(history).toEqual([
        {
          type: 'callback.attempted',
          at: NOW.toISOString(),
          actor: 'agent:a-1',
          data: { reached: false, comment: 'No answer' },
        },
      ]);
      expect(notices).toEqual([]);
    });

    it('leaves the workflow waiting for the callback', () => {
      const job = { ...signed, wait: { token: 'tok-cb', milestone: 'callback' as const } };

      const decision = recordCallback(job, AGENT, { reached: false }, NOW);

      expect(decision.resume).toBeNull();
      expect(decision.job.wait).toEqual({ token: 'tok-cb', milestone: 'callback' });
    });
  });

  describe('when the resident was reached', () => {
    it('closes the job and counts the attempt', () => {
      const { job } = recordCallback(signed, AGENT, reached, NOW);

      expect(job.status).toBe('closed');
      expect(job.callbackAttempts).toBe(1);
    });

    it('marks the callback SLA met before the deadline', () => {
      expect(recordCallback(signed, AGENT, reached, at(NOW, DAY)).job.sla.callbackMet).toBe(true);
    });

    it('marks the callback SLA met exactly at the deadline', () => {
      const { job } = recordCallback(signed, MANAGER, reached, at(NOW, 7 * DAY));

      expect(job.sla.callbackMet).toBe(true);
    });

    it('marks the callback SLA missed after the deadline', () => {
      const { job } = recordCallback(signed, AGENT, reached, at(NOW, 7 * DAY + 1));

      expect(job.sla.callbackMet).toBe(false);
    });

    it('keeps a callback SLA already marked missed as missed', () => {
      const late = { ...signed, sla: { ...signed.sla, callbackMet: false } };

      expect(recordCallback(late, AGENT, reached, NOW).job.sla.callbackMet).toBe(false);
    });

    it('thanks the resident and records the outcome', () => {
      const decision = recordCallback(signed, MANAGER, reached, NOW);
      const { history } = decision;
      const notices = told(decision);

      expect(notices.map((n) => [n.topic, n.type])).toEqual([['residents', 'job.closed']]);
      expect(history[0]).toMatchObject({ type: 'callback.completed', actor: 'manager:m-1', data: reached });
    });

    it('resumes the workflow waiting for the callback', () => {
      const job = { ...signed, wait: { token: 'tok-cb', milestone: 'callback' as const } };

      expect(recordCallback(job, AGENT, reached, NOW).resume).toBe('tok-cb');
    });
  });
});

describe('onTimer', () => {
  it('marks a missed arrival and queues one critical alert', () => {
    const decision = defined(onTimer(jobIn('accepted'), at(NOW, 10 * MINUTE)), 'decision');

    expect(decision.job.sla.arrivalMet).toBe(false);
    expect(decision.job.alerts['sla.arrival_missed']).toEqual({ type: 'sla.arrival_missed', sent: false });
    expect(stepFor(decision.job, at(NOW, 10 * MINUTE), settings()).alert?.severity).toBe('critical');
    expect(decision.history).toEqual([
      { type: 'sla.arrival_missed', at: iso(NOW, 10 * MINUTE), actor: 'system', data: {} },
    ]);
  });

  it('alerts a missed arrival once only', () => {
    const first = defined(onTimer(jobIn('booked'), at(NOW, 10 * MINUTE)), 'first');

    expect(onTimer(first.job, at(NOW, 20 * MINUTE))).toBeNull();
  });

  it('does nothing when a timer fires before the arrival deadline', () => {
    expect(onTimer(jobIn('booked'), at(NOW, 9 * MINUTE))).toBeNull();
  });

  it('queues an info reminder for agents a day before the callback is due', () => {
    const job = jobIn('signed');

    const decision = defined(onTimer(job, at(NOW, 6 * DAY)), 'decision');

    expect(decision.job.alerts['callback.reminder']).toEqual({ type: 'callback.reminder', sent: false });
    expect(stepFor(decision.job, new Date(decision.job.updatedAt), settings()).alert?.severity).toBe('info');
    expect(decision.job.sla.callbackMet).toBeNull();
  });

  it('marks a missed callback and queues a warning alert', () => {
    const decision = defined(onTimer(jobIn('signed'), at(NOW, 7 * DAY)), 'decision');

    expect(decision.job.sla.callbackMet).toBe(false);
    expect(decision.job.alerts['sla.callback_missed']).toEqual({ type: 'sla.callback_missed', sent: false });
    expect(stepFor(decision.job, new Date(decision.job.updatedAt), settings()).alert?.severity).toBe(
      'warning',
    );
  });

  it('alerts a missed callback once only', () => {
    const first = defined(onTimer(jobIn('signed'), at(NOW, 7 * DAY)), 'first');

    expect(onTimer(first.job, at(NOW, 8 * DAY))).toBeNull();
  });

  it('keeps the alerts already queued', () => {
    const reminded = defined(onTimer(jobIn('signed'), at(NOW, 6 * DAY)), 'reminded');

    const missed = defined(onTimer(reminded.job, at(NOW, 7 * DAY)), 'missed');

    expect(Object.keys(missed.job.alerts).sort()).toEqual(['callback.reminder', 'sla.callback_missed']);
  });
});
