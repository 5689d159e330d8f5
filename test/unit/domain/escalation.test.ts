import { applyWebhook, bookJob, type Decision, onTimer } from '../../../functions/domain/lifecycle';
import type { BookingRequest } from '../../../functions/domain/schemas';
import { dueOnTimer, ladderInstants } from '../../../functions/domain/sla';
import type { AlertType, Job } from '../../../functions/domain/types';
import { nextPhase, stepFor } from '../../../functions/domain/workflow';
import {
  alertWords,
  at,
  HOUR,
  iso,
  jobIn,
  MINUTE,
  NOW,
  policyFrom,
  RESIDENT,
  settings,
  webhookEvent,
} from '../support/fixtures';

// The escalation ladder before the arrival deadline: an urgent job unaccepted 2 minutes after
// booking warns, nobody on site at 80% of the window warns, then the deadline is missed, each
// at most once, all from the arrival wait's one timer.

const URGENT: BookingRequest = {
  unitId: 'B2-1203',
  category: 'plumbing',
  description: 'Kitchen tap leaking',
  priority: 'urgent',
  contactPhone: '+8613800138000',
  locale: 'en',
};
const book = (req: BookingRequest = URGENT, policy = policyFrom()) =>
  bookJob(req, RESIDENT, 'job-1', NOW, {}, policy).job;

/** The machine's arrival wait: let its timer fire when nextPhase says, record, mark the alert sent. */
function fireNextTimer(job: Job): { job: Job; now: Date; recorded: AlertType | null } {
  const phase = nextPhase(job, new Date(job.updatedAt));
  if (phase.phase !== 'await_arrival') throw new Error(`not waiting for the arrival: ${phase.phase}`);
  const now = at(new Date(job.updatedAt), phase.timeoutSeconds * 1000);
  const d = onTimer(job, now);
  if (!d) return { job: { ...job, updatedAt: now.toISOString() }, now, recorded: null };
  return { job: sentAll(d), now, recorded: d.history[0]?.type as AlertType };
}
const sentAll = (d: Decision): Job => ({
  ...d.job,
  alerts: Object.fromEntries(Object.entries(d.job.alerts).map(([k, a]) => [k, { ...a, sent: true }])),
});

describe('the ladder instants recorded at booking', () => {
  it('warns an urgent job unaccepted after 2 minutes and at risk at 80% of its 10 minutes', () => {
    expect(book().sla).toMatchObject({
      arrivalDueAt: iso(NOW, 10 * MINUTE),
      acceptWarnAt: iso(NOW, 2 * MINUTE),
      arrivalRiskAt: iso(NOW, 8 * MINUTE),
      noAccess: false,
    });
  });

  const regular = (start: Date) =>
    book({
      ...URGENT,
      priority: 'regular',
      appointment: { start: start.toISOString(), end: at(start, HOUR).toISOString() },
    });

  it('gives a regular job no acceptance warning, and at-risk 80% into the last 10 minutes before its start', () => {
    // Tuesday 10:00 in Shanghai (NOW is Monday 16:00 there): within business hours.
    const job = regular(at(NOW, 18 * HOUR));

    expect(job.sla.acceptWarnAt).toBeNull();
    expect(job.sla.arrivalRiskAt).toBe(iso(NOW, 18 * HOUR - 2 * MINUTE));
  });

  it("never opens a regular job's window before its booking", () => {
    expect(regular(at(NOW, 5 * MINUTE)).sla.arrivalRiskAt).toBe(iso(NOW, 4 * MINUTE));
  });

  it("follows the property's numbers", () => {
    const policy = policyFrom();
    const sla = { ...policy.sla, urgentArrivalMinutes: 20, acceptWarnMinutes: 5, arrivalRiskPercent: 50 };
    const job = book(URGENT, { ...policy, sla });

    expect(job.sla).toMatchObject({
      arrivalDueAt: iso(NOW, 20 * MINUTE),
      acceptWarnAt: iso(NOW, 5 * MINUTE),
      arrivalRiskAt: iso(NOW, 10 * MINUTE),
    });
  });

  it('time an urgent window from its start (the booking) to its deadline', () => {
    expect(ladderInstants(true, NOW, iso(NOW, 100 * MINUTE), policyFrom().sla)).toEqual({
      acceptWarnAt: iso(NOW, 2 * MINUTE),
      arrivalRiskAt: iso(NOW, 80 * MINUTE),
    });
  });
});

describe('the ladder on an urgent job nobody accepts', () => {
  it('warns at 2 minutes, is at risk at 8, misses at 10: in that order, each once', () => {
    let job = book();
    const recorded: (AlertType | null)[] = [];
    const times: string[] = [];
    for (let i = 0; i < 3; i++) {
      const fired = fireNextTimer(job);
      job = fired.job;
      recorded.push(fired.recorded);
      times.push(fired.now.toISOString());
    }

    expect(recorded).toEqual(['sla.acceptance_warning', 'sla.arrival_at_risk', 'sla.arrival_missed']);
    expect(times).toEqual([iso(NOW, 2 * MINUTE), iso(NOW, 8 * MINUTE), iso(NOW, 10 * MINUTE)]);
    expect(job.sla.arrivalMet).toBe(false);
    expect(nextPhase(job, at(NOW, 10 * MINUTE))).toEqual({ phase: 'await_arrival_overdue' });
  });

  it('records nothing for a second firing at the same instant (a redelivered timer)', () => {
    const first = fireNextTimer(book());

    expect(first.recorded).toBe('sla.acceptance_warning');
    expect(onTimer(first.job, first.now)).toBeNull();
  });

  it('queues each warning with its severity', () => {
    const d = onTimer(book(), at(NOW, 2 * MINUTE));

    expect(d?.job.alerts['sla.acceptance_warning']).toEqual({ type: 'sla.acceptance_warning', sent: false });
    expect(stepFor(d?.job as Job, at(NOW, 2 * MINUTE), settings()).alert).toMatchObject({
      type: 'sla.acceptance_warning',
      severity: 'warning',
      property: 'B2',
    });
  });

  it('skips a warning a later step overtook while the machine was down: at 9 minutes only at-risk is sent', () => {
    const d = onTimer(book(), at(NOW, 9 * MINUTE));

    expect(d?.history.map((h) => h.type)).toEqual(['sla.arrival_at_risk']);
    const job = sentAll(d as Decision);
    expect(onTimer(job, at(NOW, 9 * MINUTE))).toBeNull();
    // Next is the deadline, not the overtaken acceptance warning.
    expect(nextPhase(job, at(NOW, 9 * MINUTE))).toEqual({ phase: 'await_arrival', timeoutSeconds: 60 });
  });

  it('sends a warning that came due while the machine was down at once, if nothing overtook it', () => {
    expect(nextPhase(book(), at(NOW, 3 * MINUTE))).toEqual({ phase: 'await_arrival', timeoutSeconds: 1 });
    expect(dueOnTimer(book(), at(NOW, 3 * MINUTE))).toBe('sla.acceptance_warning');
  });
});

describe('the ladder when the job moves on', () => {
  const accepted = (job: Job, now: Date) =>
    applyWebhook(job, webhookEvent('job.accepted'), now, policyFrom()).job;

  it('sends no acceptance warning for a job accepted before it: the timer finds nothing and waits for at-risk', () => {
    const job = accepted(book(), at(NOW, MINUTE));

    expect(onTimer(job, at(NOW, 2 * MINUTE))).toBeNull();
    expect(nextPhase(job, at(NOW, 2 * MINUTE))).toEqual({ phase: 'await_arrival', timeoutSeconds: 6 * 60 });
    expect(dueOnTimer(job, at(NOW, 8 * MINUTE))).toBe('sla.arrival_at_risk');
  });

  it('sends no at-risk warning for a technician on site before it', () => {
    const job = applyWebhook(
      accepted(book(), at(NOW, MINUTE)),
      webhookEvent('job.arrived'),
      at(NOW, 5 * MINUTE),
      policyFrom(),
    ).job;

    expect(dueOnTimer(job, at(NOW, 8 * MINUTE))).toBeNull();
    expect(onTimer(job, at(NOW, 10 * MINUTE))).toBeNull();
    expect(nextPhase(job, at(NOW, 8 * MINUTE))).toEqual({ phase: 'await_visit_end' });
  });
});

describe('a job item written before the ladder (no instants)', () => {
  const old = jobIn('booked');

  it('has no warnings pending: its timer runs to the deadline', () => {
    expect(old.sla.acceptWarnAt).toBeUndefined();
    expect(nextPhase(old, NOW)).toEqual({ phase: 'await_arrival', timeoutSeconds: 600 });
    expect(onTimer(old, at(NOW, 5 * MINUTE))).toBeNull();
  });

  it('still misses at the deadline', () => {
    expect(onTimer(old, at(NOW, 10 * MINUTE))?.history.map((h) => h.type)).toEqual(['sla.arrival_missed']);
  });
});

describe('the warnings in words', () => {
  const warned = (minutes: number) => onTimer(book(), at(NOW, minutes * MINUTE))?.job as Job;

  it('says how long the urgent job has waited and when it is due', () => {
    expect(alertWords(warned(2), 'sla.acceptance_warning')).toEqual({
      subject: 'Urgent job not accepted',
      message:
        'Job job-1 (urgent, unit B2-1203) is still not accepted 2 minutes after booking; it is due on site by Nov 23, 16:10.',
    });
  });

  it('says nobody is on site, since when, the deadline and how long is left', () => {
    expect(alertWords(warned(8), 'sla.arrival_at_risk')).toEqual({
      subject: 'Arrival at risk',
      message:
        'Job job-1 (urgent, unit B2-1203): nobody on site 8 minutes after booking; due on site by Nov 23, 16:10, 2 minutes left. Technician: -.',
    });
  });

  it('has zh-CN words for both', () => {
    const zh = settings({ staffLocale: 'zh-CN' });

    expect(stepFor(warned(2), NOW, zh).alert).toMatchObject({
      subject: '急修无人接单',
      message: '工单 job-1(急修,单元 B2-1203)报修已 2 分钟,仍无人接单,应于 11月23日 16:10 前到场。',
    });
    expect(stepFor(warned(8), NOW, zh).alert).toMatchObject({
      subject: '即将超时未到场',
      message:
        '工单 job-1(急修,单元 B2-1203)报修已 8 分钟,仍无人到场,应于 11月23日 16:10 前到场,还剩 2 分钟。技术员:-。',
    });
  });
});
