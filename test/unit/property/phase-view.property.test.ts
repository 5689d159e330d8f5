import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { alertText } from '../../../functions/domain/notifications';
import { dueOnTimer } from '../../../functions/domain/sla';
import type { Job } from '../../../functions/domain/types';
import { toJobView } from '../../../functions/domain/views';
import { nextPhase } from '../../../functions/domain/workflow';
import { DERIVED_VIEW_FIELDS, JOB_VIEW_FIELDS, STAFF_ONLY_FIELDS } from '../support/fixtures';
import { must, same } from './check';
import {
  BEFORE_ARRIVAL,
  CALLERS,
  deepCopy,
  FINAL_STATUSES,
  numRuns,
  REMINDER_LEAD_MS,
  reachable,
  run,
  SECOND,
  scenarioArb,
} from './model';
import { dueAlert, ladderOf } from './oracle';

// Property 4 of issue #5 item 5: nextPhase is total and consistent for every reachable job
// and any time; plus what toJobView shows of every reachable job.

const RUNS = numRuns(200);

const PHASES = [
  'await_arrival',
  'await_arrival_overdue',
  'await_reschedule',
  'await_visit_end',
  'await_callback',
  'await_callback_overdue',
  'send_alert',
  'done',
] as const;
const TIMED: readonly string[] = ['await_arrival', 'await_callback'];
const ON_SITE: readonly string[] = ['arrived', 'diagnosed', 'in_progress', 'completed', 'cleaned'];

/** The phases the state machine's Route choice sends somewhere (anything else fails the execution). */
function routedPhases(): string[] {
  const asl = JSON.parse(readFileSync(join(__dirname, '../../../statemachines/repair-job.asl.json'), 'utf8'));
  const out: string[] = [];
  for (const state of Object.values(asl.States) as { Type: string; Choices?: unknown[] }[])
    for (const c of state.Type === 'Choice' ? (state.Choices ?? []) : [])
      if ((c as { Variable?: string }).Variable === '$.phase')
        out.push((c as { StringEquals: string }).StringEquals);
  return out;
}

/**
 * When the job's next timer is due: a ladder warning still to come, the arrival deadline, the
 * callback reminder, or the callback deadline.
 */
function nextDeadline(job: Job, now: number): number {
  if (BEFORE_ARRIVAL.includes(job.status)) {
    const { acceptWarnAt, arrivalRiskAt } = ladderOf(job);
    const warnings = [
      job.status === 'booked' && !job.alerts['sla.acceptance_warning'] ? acceptWarnAt : null,
      job.alerts['sla.arrival_at_risk'] ? null : arrivalRiskAt,
    ].filter((at): at is number => at !== null && at > now);
    return Math.min(...warnings, Date.parse(job.sla.arrivalDueAt));
  }
  const due = Date.parse(job.sla.callbackDueAt ?? '');
  return job.alerts['callback.reminder'] ? due : due - REMINDER_LEAD_MS;
}

function expectConsistentPhase(job: Job, now: Date): void {
  const copy = deepCopy(job);
  const phase = nextPhase(job, now);
  same(job, copy, 'nextPhase does not mutate the job');
  same(nextPhase(job, now), phase, 'nextPhase is deterministic');
  must((PHASES as readonly string[]).includes(phase.phase), 'a known phase', phase);

  // timeoutSeconds: present exactly on the timed waits, a whole number of seconds ≥ 1.
  const timeout = 'timeoutSeconds' in phase ? phase.timeoutSeconds : undefined;
  same(timeout !== undefined, TIMED.includes(phase.phase), 'timeoutSeconds only on timed waits');
  if (timeout !== undefined) must(Number.isInteger(timeout) && timeout >= 1, 'timeoutSeconds ≥ 1', phase);

  // An unsent alert always wins; without one, done iff the job has ended.
  const unsent = Object.values(job.alerts).filter((a) => a && !a.sent);
  same(phase.phase === 'send_alert', unsent.length > 0, 'send_alert iff an alert is unsent');
  if (phase.phase === 'send_alert')
    must(unsent.includes(phase.alert), 'the alert sent is an unsent one of the job');
  if (!unsent.length) same(phase.phase === 'done', FINAL_STATUSES.includes(job.status), 'done iff final');
  if (phase.phase === 'done') must(FINAL_STATUSES.includes(job.status), 'done only when final');

  // Each wait matches where the job is.
  const beforeArrival = BEFORE_ARRIVAL.includes(job.status);
  switch (phase.phase) {
    case 'await_arrival':
    case 'await_arrival_overdue':
      must(beforeArrival, `${phase.phase} only before arrival`, job.status);
      same(phase.phase === 'await_arrival_overdue', job.sla.arrivalMet === false, 'overdue iff missed');
      break;
    case 'await_reschedule':
      same(job.status, 'awaiting_reschedule', 'await_reschedule only after nobody answered');
      break;
    case 'await_visit_end':
      must(ON_SITE.includes(job.status), 'await_visit_end only while on site', job.status);
      break;
    case 'await_callback':
    case 'await_callback_overdue':
      same(job.status, 'signed', `${phase.phase} only once signed`);
      same(phase.phase === 'await_callback_overdue', job.sla.callbackMet === false, 'overdue iff missed');
      break;
  }

  // A timer the workflow sets fires when something is due, and no later than a second after it.
  if (timeout !== undefined) {
    const firesAt = new Date(now.getTime() + timeout * SECOND);
    const due = dueOnTimer(job, firesAt);
    must(due !== null, 'the timer always finds something due', { job: job.sla, now, timeout });
    same(due, dueAlert(job, firesAt), 'dueOnTimer agrees with the contract');
    const deadline = nextDeadline(job, now.getTime());
    if (deadline > now.getTime()) must(firesAt.getTime() < deadline + SECOND, 'the timer is not late');
    else same(timeout, 1, 'a deadline already passed fires at once');
  }
}

describe('property 4: nextPhase is total and consistent', () => {
  it('for every reachable job and any time, it returns a known, consistent phase', () => {
    const routed = routedPhases();
    for (const p of PHASES) if (p !== 'done' && p !== 'send_alert') expect(routed).toContain(p);
    fc.assert(
      fc.property(scenarioArb(), fc.boolean(), (scenario, punctual) => {
        const trace = run(scenario, { punctual });
        for (const { job, now } of reachable(trace))
          for (const offset of [0, ...scenario.probes])
            expectConsistentPhase(job, new Date(now.getTime() + offset));
      }),
      { numRuns: RUNS },
    );
  });
});

const VIEW_KEYS = [...JOB_VIEW_FIELDS].sort();

describe('views: what callers see of any reachable job', () => {
  it('is the contract Job; residents never see the waiver; tokens and queued alerts never leave', () => {
    fc.assert(
      fc.property(scenarioArb(), (scenario) => {
        const trace = run(scenario, { punctual: true });
        for (const { job } of reachable(trace))
          for (const caller of Object.values(CALLERS)) {
            const view = toJobView(job, caller);
            const keys = VIEW_KEYS.filter(
              (k) => caller.role !== 'resident' || !STAFF_ONLY_FIELDS.includes(k),
            );
            same(Object.keys(view).sort(), keys, `the ${caller.role} view has the contract's fields`);
            for (const k of keys.filter((f) => !DERIVED_VIEW_FIELDS.includes(f)))
              same(view[k as keyof typeof view] as unknown, job[k as keyof Job] as unknown, `view.${k}`);
            if (view.alerts)
              same(view.alerts.map((a) => a.type).sort(), Object.keys(job.alerts).sort(), 'view.alerts');
            const json = JSON.stringify(view);
            if (job.wait) must(!json.includes(job.wait.token), 'the task token never leaves');
            for (const a of Object.values(job.alerts))
              must(!a || !json.includes(alertText(job, a, scenario.settings).message), 'no alert text');
          }
      }),
      { numRuns: Math.ceil(RUNS / 2) },
    );
  });
});
