import { applyWebhook, cancelJob, onTimer, recordCallback } from '../../../functions/domain/lifecycle';
import type { CallbackRequest } from '../../../functions/domain/schemas';
import type { PendingAlert } from '../../../functions/domain/types';
import { nextPhase } from '../../../functions/domain/workflow';
import {
  AGENT,
  alertWords,
  at,
  DAY,
  HOUR,
  iso,
  jobIn,
  MANAGER,
  MINUTE,
  NOW,
  policyFrom,
  RESIDENT,
  settings,
  webhookEvent,
} from '../support/fixtures';

// A milestone that settles its SLA late, before the workflow's timer recorded the miss: the
// command resumes or ends the wait, so that timer never fires, and the miss must be recorded
// and alerted by the command itself, once. Whichever comes first, the timer or the late event,
// managers get exactly one alert.

const DUE = at(NOW, 10 * MINUTE);
const CALLBACK_DUE = at(NOW, 7 * DAY);
const sent = (alert: Omit<PendingAlert, 'sent'>): PendingAlert => ({ ...alert, sent: true });
const ARRIVAL_ALERTED = sent({
  type: 'sla.arrival_missed',
});
const CALLBACK_ALERTED = sent({
  type: 'sla.callback_missed',
});

describe('job.arrived after the arrival deadline, before the timer (S3)', () => {
  const arrive = (job = jobIn('en_route'), now = at(DUE, 25 * MINUTE)) =>
    applyWebhook(job, webhookEvent('job.arrived'), now, policyFrom(settings()));

  it('marks the SLA missed and queues one critical alert saying how late the technician was', () => {
    const { job } = arrive();

    expect(job.sla.arrivalMet).toBe(false);
    expect(job.alerts).toEqual({
      'sla.arrival_missed': {
        type: 'sla.arrival_missed',
        sent: false,
        detail: { lateAt: iso(DUE, 25 * MINUTE) },
      },
    });
    expect(alertWords(job, 'sla.arrival_missed')).toEqual({
      subject: 'Arrival SLA missed',
      message:
        'Job job-1 (urgent, unit B2-1203) was due on site by Nov 23, 16:10; the technician arrived 25 minutes late, at Nov 23, 16:35. Technician: Wang Wei.',
    });
  });

  it('records the miss by system before the arrival, both at the arrival time', () => {
    const { history } = arrive();

    expect(history.map((h) => [h.type, h.actor, h.at])).toEqual([
      ['sla.arrival_missed', 'system', iso(DUE, 25 * MINUTE)],
      ['job.arrived', 'technician:t-1', iso(DUE, 25 * MINUTE)],
    ]);
    expect(history[0]?.data).toEqual({});
  });

  it('counts one millisecond late as late ("1 minute")', () => {
    const { job } = arrive(jobIn('accepted'), at(DUE, 1));

    expect(alertWords(job, 'sla.arrival_missed').message).toContain('arrived 1 minute late');
  });

  it('queues nothing for an arrival exactly at the deadline', () => {
    const { job, history } = arrive(jobIn('en_route'), DUE);

    expect(job.alerts).toEqual({});
    expect(history.map((h) => h.type)).toEqual(['job.arrived']);
  });

  it('queues nothing when the timer already recorded and alerted the miss', () => {
    const alerted = jobIn('en_route', {
      sla: { arrivalMet: false },
      alerts: { 'sla.arrival_missed': ARRIVAL_ALERTED },
    });

    const { job, history } = arrive(alerted);

    expect(job.alerts).toEqual({ 'sla.arrival_missed': ARRIVAL_ALERTED });
    expect(history.map((h) => h.type)).toEqual(['job.arrived']);
  });

  it('leaves nothing for a timer firing afterwards (no second alert)', () => {
    const { job } = arrive();

    expect(onTimer(job, at(DUE, 26 * MINUTE))).toBeNull();
  });

  it('resumes the waiting workflow, whose next step publishes the alert', () => {
    const waiting = jobIn('en_route', { wait: { token: 'tok-arrival', milestone: 'arrival' } });

    const { job, resume } = arrive(waiting);

    expect(resume).toBe('tok-arrival');
    expect(nextPhase(job, at(DUE, 25 * MINUTE))).toEqual({
      phase: 'send_alert',
      alert: job.alerts['sla.arrival_missed'],
    });
  });
});

describe('a reached callback after its deadline, before the timer (S15)', () => {
  const signed = jobIn('signed', { sla: { callbackDueAt: CALLBACK_DUE.toISOString() } });
  const reached = { reached: true, satisfaction: 4, issueResolved: true } as const;
  const call = (job = signed, now = at(CALLBACK_DUE, 3 * HOUR), body: CallbackRequest = reached) =>
    recordCallback(job, AGENT, body, now);

  it('marks the SLA missed and queues one warning alert saying how late the callback was', () => {
    const { job } = call();

    expect(job.sla.callbackMet).toBe(false);
    expect(job.alerts['sla.callback_missed']).toEqual({
      type: 'sla.callback_missed',
      sent: false,
      detail: { lateAt: iso(CALLBACK_DUE, 3 * HOUR) },
    });
    expect(alertWords(job, 'sla.callback_missed')).toEqual({
      subject: 'Callback SLA missed',
      message:
        'Job job-1 (unit B2-1203) was due its one-week callback by Nov 30, 16:00; it was made 3 hours late, at Nov 30, 19:00.',
    });
  });

  it('records the miss by system before the completed callback', () => {
    const { history } = call();

    expect(history.map((h) => [h.type, h.actor])).toEqual([
      ['sla.callback_missed', 'system'],
      ['callback.completed', 'agent:a-1'],
    ]);
  });

  it('keeps the reminder already sent as it was', () => {
    const reminder = sent({ type: 'callback.reminder' });

    const { job } = call({ ...signed, alerts: { 'callback.reminder': reminder } });

    expect(Object.keys(job.alerts).sort()).toEqual(['callback.reminder', 'sla.callback_missed']);
    expect(job.alerts['callback.reminder']).toEqual(reminder);
  });

  it('queues nothing for a callback exactly at the deadline', () => {
    const { job, history } = call(signed, CALLBACK_DUE);

    expect(job.alerts).toEqual({});
    expect(history.map((h) => h.type)).toEqual(['callback.completed']);
  });

  it('queues nothing when the timer already recorded and alerted the miss', () => {
    const alerted = {
      ...signed,
      sla: { ...signed.sla, callbackMet: false },
      alerts: { 'sla.callback_missed': CALLBACK_ALERTED },
    };

    const { job, history } = call(alerted);

    expect(job.alerts).toEqual({ 'sla.callback_missed': CALLBACK_ALERTED });
    expect(history.map((h) => h.type)).toEqual(['callback.completed']);
  });

  it('leaves a late unanswered attempt to the timer, which still runs', () => {
    const { job, history } = call(signed, at(CALLBACK_DUE, HOUR), { reached: false });

    expect(job.sla.callbackMet).toBeNull();
    expect(job.alerts).toEqual({});
    expect(history.map((h) => h.type)).toEqual(['callback.attempted']);
    expect(onTimer(job, at(CALLBACK_DUE, HOUR))?.history.map((h) => h.type)).toEqual(['sla.callback_missed']);
  });

  it('leaves nothing for a timer firing afterwards (no second alert)', () => {
    const { job } = call();

    expect(onTimer(job, at(CALLBACK_DUE, 4 * HOUR))).toBeNull();
  });
});

describe('a cancellation after the arrival deadline with nobody on site', () => {
  it('records the missed arrival and alerts managers that nobody had arrived', () => {
    const { job, history } = cancelJob(jobIn('en_route'), RESIDENT, 'nobody came', at(DUE, MINUTE));

    expect(job.status).toBe('cancelled');
    expect(job.sla.arrivalMet).toBe(false);
    expect(job.alerts['sla.arrival_missed']).toMatchObject({
      sent: false,
      detail: { cancelledAt: iso(DUE, MINUTE) },
    });
    expect(alertWords(job, 'sla.arrival_missed').message).toBe(
      'Job job-1 (urgent, unit B2-1203) was due on site by Nov 23, 16:10; nobody had arrived when it was cancelled. Technician: Wang Wei.',
    );
    expect(history.map((h) => [h.type, h.actor])).toEqual([
      ['sla.arrival_missed', 'system'],
      ['job.cancelled', 'resident:r-1'],
    ]);
  });

  it('records nothing of the kind for a cancellation exactly at the deadline', () => {
    const { job, history } = cancelJob(jobIn('booked'), MANAGER, undefined, DUE);

    expect(job.sla.arrivalMet).toBeNull();
    expect(job.alerts).toEqual({});
    expect(history.map((h) => h.type)).toEqual(['job.cancelled']);
  });

  it('queues nothing when the timer already alerted the miss', () => {
    const alerted = jobIn('accepted', {
      sla: { arrivalMet: false },
      alerts: { 'sla.arrival_missed': ARRIVAL_ALERTED },
    });

    const { job, history } = cancelJob(alerted, MANAGER, undefined, at(DUE, HOUR));

    expect(job.alerts).toEqual({ 'sla.arrival_missed': ARRIVAL_ALERTED });
    expect(history.map((h) => h.type)).toEqual(['job.cancelled']);
  });

  it('leaves a late arrival already recorded alone when a manager cancels on site', () => {
    const onSite = jobIn('arrived', { sla: { arrivedAt: iso(DUE, MINUTE), arrivalMet: false } });

    const { job, history } = cancelJob(onSite, MANAGER, undefined, at(DUE, HOUR));

    expect(job.alerts).toEqual({});
    expect(history.map((h) => h.type)).toEqual(['job.cancelled']);
  });
});
