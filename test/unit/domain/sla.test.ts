import { DEFAULT_SLA } from '../../../functions/domain/policy';
import {
  arrivalDueAt,
  CALLBACK_WINDOW_MS,
  callbackDueAt,
  callbackReminderAt,
  dueOnTimer,
  QUICK_FIX_MS,
  URGENT_ARRIVAL_MS,
} from '../../../functions/domain/sla';
import type { PendingAlert, Status } from '../../../functions/domain/types';
import { at, DAY, iso, jobIn, MINUTE, NOW } from '../support/fixtures';

const alert = (type: PendingAlert['type'], sent: boolean): PendingAlert => ({
  type,
  sent,
});

describe('SLA constants', () => {
  it('gives urgent repairs 10 minutes to arrive (S3) and quick fixes 10 minutes (S1)', () => {
    expect(URGENT_ARRIVAL_MS).toBe(600_000);
    expect(QUICK_FIX_MS).toBe(600_000);
  });

  it('gives the callback one week (S15)', () => {
    expect(CALLBACK_WINDOW_MS).toBe(7 * 24 * 3600 * 1000);
  });
});

describe('arrivalDueAt', () => {
  it('is createdAt + 10 minutes for an urgent repair', () => {
    expect(arrivalDueAt('urgent', NOW, undefined, DEFAULT_SLA)).toBe('2026-11-23T08:10:00.000Z');
  });

  it('ignores any appointment for an urgent repair', () => {
    expect(arrivalDueAt('urgent', NOW, '2026-12-01T00:00:00.000Z', DEFAULT_SLA)).toBe(
      '2026-11-23T08:10:00.000Z',
    );
  });

  it('is the appointment start for a regular repair', () => {
    expect(arrivalDueAt('regular', NOW, '2026-11-24T02:00:00.000Z', DEFAULT_SLA)).toBe(
      '2026-11-24T02:00:00.000Z',
    );
  });

  it('refuses a regular repair without an appointment', () => {
    expect(() => arrivalDueAt('regular', NOW, undefined, DEFAULT_SLA)).toThrow(
      'a regular job needs an appointment',
    );
  });
});

describe("a property's own SLA numbers", () => {
  it('times an urgent arrival by the property', () => {
    expect(arrivalDueAt('urgent', NOW, undefined, { ...DEFAULT_SLA, urgentArrivalMinutes: 15 })).toBe(
      '2026-11-23T08:15:00.000Z',
    );
  });

  it('times the callback by the property', () => {
    expect(callbackDueAt(NOW, { ...DEFAULT_SLA, callbackDays: 3 })).toBe('2026-11-26T08:00:00.000Z');
  });
});

describe('callbackDueAt', () => {
  it('is the signing time + 7 days', () => {
    expect(callbackDueAt(NOW, DEFAULT_SLA)).toBe('2026-11-30T08:00:00.000Z');
  });
});

describe('callbackReminderAt', () => {
  it('is one day before the callback is due', () => {
    expect(callbackReminderAt(jobIn('signed'))).toBe(at(NOW, 6 * DAY).getTime());
  });

  it('is not a time while there is no callback deadline', () => {
    expect(callbackReminderAt(jobIn('cleaned'))).toBeNaN();
  });
});

describe('dueOnTimer', () => {
  it('makes the arrival SLA missed at the deadline', () => {
    expect(dueOnTimer(jobIn('booked'), at(NOW, 10 * MINUTE))).toBe('sla.arrival_missed');
  });

  it('makes nothing due before the arrival deadline', () => {
    expect(dueOnTimer(jobIn('en_route'), at(NOW, 10 * MINUTE - 1))).toBeNull();
  });

  it('makes the arrival SLA missed only once', () => {
    const job = jobIn('en_route', { sla: { arrivalMet: false } });

    expect(dueOnTimer(job, at(NOW, DAY))).toBeNull();
  });

  it('makes nothing due for a job the technician has reached', () => {
    expect(dueOnTimer(jobIn('arrived', { sla: { arrivalMet: true } }), at(NOW, DAY))).toBeNull();
  });

  it.each<Status>(['cancelled', 'closed', 'in_progress', 'cleaned'])(
    'makes nothing due for a %s job',
    (status) => {
      expect(dueOnTimer(jobIn(status), at(NOW, 30 * DAY))).toBeNull();
    },
  );

  it('makes nothing due for a signed job before the reminder time', () => {
    expect(dueOnTimer(jobIn('signed'), at(NOW, 6 * DAY - 1))).toBeNull();
  });

  it('makes the callback reminder due one day before the deadline', () => {
    expect(dueOnTimer(jobIn('signed'), at(NOW, 6 * DAY))).toBe('callback.reminder');
  });

  it('makes the callback reminder due only once', () => {
    const job = jobIn('signed', { alerts: { 'callback.reminder': alert('callback.reminder', true) } });

    expect(dueOnTimer(job, at(NOW, 6 * DAY + MINUTE))).toBeNull();
  });

  it('makes the callback SLA missed at the deadline, reminder or not', () => {
    expect(dueOnTimer(jobIn('signed'), at(NOW, 7 * DAY))).toBe('sla.callback_missed');
  });

  it('makes the callback SLA missed only once', () => {
    const job = jobIn('signed', { sla: { callbackMet: false } });

    expect(dueOnTimer(job, at(NOW, 8 * DAY))).toBeNull();
  });

  it('reads the deadlines from the job, not from when it was created', () => {
    const job = jobIn('signed', { sla: { callbackDueAt: iso(NOW, 2 * DAY) } });

    expect(dueOnTimer(job, at(NOW, 2 * DAY))).toBe('sla.callback_missed');
  });
});
