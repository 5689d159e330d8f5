import type { JobMilestone, PendingAlert, Status } from '../../../functions/domain/types';
import { milestoneReached, nextPhase, waitingStatuses } from '../../../functions/domain/workflow';
import { at, DAY, jobIn, MINUTE, NOW } from '../support/fixtures';

const alert = (type: PendingAlert['type'], sent: boolean): PendingAlert => ({
  type,
  sent,
});

describe('milestoneReached', () => {
  const cases: Array<[JobMilestone, Status, boolean]> = [
    ['arrival', 'booked', false],
    ['arrival', 'accepted', false],
    ['arrival', 'en_route', false],
    ['arrival', 'arrived', true],
    ['arrival', 'signed', true],
    ['arrival', 'cancelled', true],
    // The technician came and nobody answered: that arrival is settled.
    ['arrival', 'awaiting_reschedule', true],
    ['reschedule', 'awaiting_reschedule', false],
    ['reschedule', 'accepted', true],
    ['reschedule', 'cancelled', true],
    ['visit_end', 'en_route', false],
    ['visit_end', 'arrived', false],
    ['visit_end', 'diagnosed', false],
    ['visit_end', 'in_progress', false],
    ['visit_end', 'completed', false],
    ['visit_end', 'cleaned', false],
    ['visit_end', 'signed', true],
    ['visit_end', 'declined', true],
    ['visit_end', 'needs_follow_up', true],
    ['visit_end', 'cancelled', true],
    ['callback', 'signed', false],
    ['callback', 'closed', true],
    ['callback', 'cancelled', true],
    ['callback', 'declined', true],
    ['callback', 'needs_follow_up', true],
  ];

  it.each(cases)('a wait for %s on a %s job is reached: %s', (milestone, status, expected) => {
    expect(milestoneReached(jobIn(status), milestone)).toBe(expected);
  });
});

describe('waitingStatuses (where JobStore.park may park a token)', () => {
  it.each<[JobMilestone, Status[]]>([
    ['arrival', ['booked', 'accepted', 'en_route']],
    ['reschedule', ['awaiting_reschedule']],
    [
      'visit_end',
      ['booked', 'accepted', 'en_route', 'arrived', 'diagnosed', 'in_progress', 'completed', 'cleaned'],
    ],
    [
      'callback',
      [
        'booked',
        'accepted',
        'en_route',
        'arrived',
        'diagnosed',
        'in_progress',
        'completed',
        'cleaned',
        'signed',
        'awaiting_reschedule',
      ],
    ],
  ])('a wait for %s still waits in exactly %j', (milestone, statuses) => {
    expect([...waitingStatuses(milestone)].sort()).toEqual([...statuses].sort());
  });
});

describe('nextPhase', () => {
  it('sends an unsent alert before anything else', () => {
    const pending = alert('sla.arrival_missed', false);
    const job = jobIn('booked', { sla: { arrivalMet: false }, alerts: { 'sla.arrival_missed': pending } });

    expect(nextPhase(job, NOW)).toEqual({ phase: 'send_alert', alert: pending });
  });

  it('sends an unsent alert even when the job has ended', () => {
    const pending = alert('job.unable_to_fix', false);
    const job = jobIn('needs_follow_up', { alerts: { 'job.unable_to_fix': pending } });

    expect(nextPhase(job, NOW)).toEqual({ phase: 'send_alert', alert: pending });
  });

  it('skips alerts already sent', () => {
    const job = jobIn('needs_follow_up', {
      alerts: { 'job.unable_to_fix': alert('job.unable_to_fix', true) },
    });

    expect(nextPhase(job, NOW)).toEqual({ phase: 'done' });
  });

  it.each<Status>(['closed', 'cancelled', 'declined', 'needs_follow_up'])(
    'is done for a %s job',
    (status) => {
      expect(nextPhase(jobIn(status), NOW)).toEqual({ phase: 'done' });
    },
  );

  it.each<Status>(['booked', 'accepted', 'en_route'])(
    'waits for the arrival of a %s job until the deadline',
    (status) => {
      expect(nextPhase(jobIn(status), NOW)).toEqual({ phase: 'await_arrival', timeoutSeconds: 600 });
    },
  );

  it('rounds the arrival timeout up to whole seconds', () => {
    expect(nextPhase(jobIn('booked'), at(NOW, 10 * MINUTE - 1500))).toEqual({
      phase: 'await_arrival',
      timeoutSeconds: 2,
    });
  });

  it('never waits less than one second, even at the deadline', () => {
    expect(nextPhase(jobIn('booked'), at(NOW, 10 * MINUTE))).toEqual({
      phase: 'await_arrival',
      timeoutSeconds: 1,
    });
  });

  it('never waits less than one second past the deadline', () => {
    expect(nextPhase(jobIn('booked'), at(NOW, DAY))).toEqual({ phase: 'await_arrival', timeoutSeconds: 1 });
  });

  it('waits without a timeout once the arrival SLA is missed and alerted', () => {
    const job = jobIn('accepted', {
      sla: { arrivalMet: false },
      alerts: { 'sla.arrival_missed': alert('sla.arrival_missed', true) },
    });

    expect(nextPhase(job, at(NOW, DAY))).toEqual({ phase: 'await_arrival_overdue' });
  });

  it.each<Status>(['arrived', 'diagnosed', 'in_progress', 'completed', 'cleaned'])(
    'waits for the signature while the job is %s',
    (status) => {
      expect(nextPhase(jobIn(status), NOW)).toEqual({ phase: 'await_visit_end' });
    },
  );

  it('waits for the callback until the reminder, one day before the deadline', () => {
    expect(nextPhase(jobIn('signed'), NOW)).toEqual({ phase: 'await_callback', timeoutSeconds: 6 * 86_400 });
  });

  it('waits for the callback until the deadline once the reminder exists', () => {
    const job = jobIn('signed', { alerts: { 'callback.reminder': alert('callback.reminder', true) } });

    expect(nextPhase(job, NOW)).toEqual({ phase: 'await_callback', timeoutSeconds: 7 * 86_400 });
  });

  it('fires the reminder at once when a restart finds it due but unsent', () => {
    expect(nextPhase(jobIn('signed'), at(NOW, 6 * DAY + 3600_000))).toEqual({
      phase: 'await_callback',
      timeoutSeconds: 1,
    });
  });

  it('never waits less than one second for an overdue callback', () => {
    const job = jobIn('signed', { alerts: { 'callback.reminder': alert('callback.reminder', true) } });

    expect(nextPhase(job, at(NOW, 8 * DAY))).toEqual({ phase: 'await_callback', timeoutSeconds: 1 });
  });

  it('waits without a timeout once the callback SLA is missed and alerted', () => {
    const job = jobIn('signed', {
      sla: { callbackMet: false },
      alerts: { 'sla.callback_missed': alert('sla.callback_missed', true) },
    });

    expect(nextPhase(job, at(NOW, 8 * DAY))).toEqual({ phase: 'await_callback_overdue' });
  });
});
