import fc from 'fast-check';
import { onTimer } from '../../../functions/domain/lifecycle';
import { type AlertType, type Job, STATUSES } from '../../../functions/domain/types';
import { PROBLEMS } from '../../../functions/http/problem';
import { CONTRACT_MOVES } from '../support/contract';
import { must, same } from './check';
import {
  countOf,
  FINAL_STATUSES,
  numRuns,
  QUICK_FIX_MS,
  reachable,
  run,
  type Step,
  scenarioArb,
  stepLabel,
  type Trace,
  waiverAllowed,
} from './model';
import { dueAlert, type SlaStanding, slaStandings, verdict } from './oracle';

// Properties 1 and 2 of issue #5 item 5: random command sequences never reach an illegal
// state, and each missed SLA is alerted exactly once (whether the workflow's timer or the late
// event settles it first; the oracle's slaStandings states that rule). On failure fast-check prints the seed, the
// path and the shrunk scenario; pass { seed, path } to fc.assert to replay it.

const RUNS = numRuns(250);

const SLA_MISSES: readonly string[] = ['sla.arrival_missed', 'sla.callback_missed'];
const ALERT_ITEMS: readonly string[] = [
  'sla.acceptance_warning',
  'sla.arrival_at_risk',
  'sla.arrival_missed',
  'sla.callback_missed',
  'callback.reminder',
  'job.unable_to_fix',
];

function expectLegalStep(s: Step): void {
  const { before, after, decision, rejected, action } = s;
  must((STATUSES as readonly string[]).includes(after.status), 'status is one of STATUSES');
  must(s.inputIntact, 'the domain never mutates the job it is given');

  // The contract's verdict: accepted exactly when allowed, else refused with the contract's status.
  const expected = verdict(before, action);
  if (expected !== null)
    same(
      rejected ? PROBLEMS[rejected.code].status : decision ? 'accept' : 'nothing',
      expected,
      'the contract verdict',
    );
  if (!decision) {
    must(after === before, 'a rejected or empty command leaves the job exactly as it was');
    return;
  }

  // One accepted decision: version + 1, stamped now, one history item (none for a parked wait,
  // which is the workflow's bookkeeping and leaves updatedAt alone), preceded by the system's
  // missed-SLA item when a late command settles that SLA itself.
  same(after.version, before.version + 1, 'version goes up by exactly 1');
  if (action.kind === 'wait') same(after.updatedAt, before.updatedAt, 'a parked wait leaves updatedAt');
  else same(after.updatedAt, s.now.toISOString(), 'updatedAt is the decision time');
  const items = decision.history;
  same(
    items.map((h) => h.at),
    items.map(() => s.now.toISOString()),
    'history items are stamped at the decision time',
  );
  if (action.kind === 'wait') same(items.length, 0, 'a stored wait writes no history');
  else
    must(
      items.length === 1 ||
        (items.length === 2 &&
          action.kind !== 'timer' &&
          items[0]?.actor === 'system' &&
          SLA_MISSES.includes(items[0].type)),
      'one history item per decision, or a missed SLA by system and then the command',
      items,
    );

  // Nothing but rejections once the job has ended (needs_follow_up included).
  must(!FINAL_STATUSES.includes(before.status), `a final job (${before.status}) accepted ${action.kind}`);

  switch (action.kind) {
    case 'webhook': {
      // The contract's webhook table, not the code's TRANSITIONS: a wrong edit there fails here.
      const move = CONTRACT_MOVES[action.event.type];
      must(
        move.from.includes(before.status),
        `the contract allows ${action.event.type} from ${before.status}`,
      );
      same(after.status, move.to, "the event moves the job to the contract's status");
      // Only the job's technician moves it (who gives it back was on it, and leaves it unassigned).
      const mover = action.event.type === 'job.rejected' ? before.technician?.id : after.technician?.id;
      same(mover, action.event.technicianId, 'only the job technician moves the job');
      break;
    }
    case 'cancel':
      same(after.status, 'cancelled', 'a cancel cancels');
      break;
    case 'callback':
      same(before.status, 'signed', 'callbacks follow the signed form');
      same(after.status, action.body.reached ? 'closed' : 'signed', 'a reached callback closes the job');
      same(after.callbackAttempts, before.callbackAttempts + 1, 'each callback counts as an attempt');
      break;
    default:
      same(after.status, before.status, `${action.kind} never moves the status`);
  }

  // What is set once stays set.
  // The technician changes only by giving the job back (job.rejected: nobody is on it then).
  const gaveBack = action.kind === 'webhook' && action.event.type === 'job.rejected' && decision !== null;
  if (before.technician && !gaveBack)
    same(after.technician, before.technician, 'the technician never changes');
  if (gaveBack) same(after.technician, null, 'a job given back has no technician');
  same(after.sla.arrivalDueAt, before.sla.arrivalDueAt, 'arrivalDueAt never moves');
  if (before.sla.arrivalMet !== null)
    same(after.sla.arrivalMet, before.sla.arrivalMet, 'arrivalMet is final');
  if (before.sla.callbackMet !== null)
    same(after.sla.callbackMet, before.sla.callbackMet, 'callbackMet is final');
  if (before.sla.arrivedAt !== null) same(after.sla.arrivedAt, before.sla.arrivedAt, 'arrivedAt is final');
  if (before.sla.callbackDueAt !== null)
    same(after.sla.callbackDueAt, before.sla.callbackDueAt, 'callbackDueAt never moves');
}

function expectLegalState(trace: Trace, job: Job): void {
  must((STATUSES as readonly string[]).includes(job.status), 'status is one of STATUSES');
  const { sla } = job;
  if (sla.arrivalMet === true)
    must(
      sla.arrivedAt !== null && Date.parse(sla.arrivedAt) <= Date.parse(sla.arrivalDueAt),
      'arrivalMet === true implies arrivedAt <= arrivalDueAt',
      sla,
    );
  if (sla.arrivedAt !== null) must(sla.arrivalMet !== null, 'an arrival decides the arrival SLA', sla);
  if (sla.callbackMet === true) same(job.status, 'closed', 'a met callback closed the job');
  const allowed = waiverAllowed(trace.settings, job.unitId);
  const took =
    job.completedAt && job.workStartedAt ? Date.parse(job.completedAt) - Date.parse(job.workStartedAt) : null;
  if (job.laborWaived)
    must(
      took !== null && took <= QUICK_FIX_MS && allowed,
      'laborWaived only for ≤ 10 min work where allowed',
      {
        took,
        allowed,
        unitId: job.unitId,
      },
    );
  // …and always then: the waiver is the property's policy, not a discretionary extra.
  if (took !== null) same(job.laborWaived, took <= QUICK_FIX_MS && allowed, 'laborWaived follows S1 policy');
}

/** Adds which step failed to an assertion's message. */
function at<T>(label: () => string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof Error) e.message += `\n  at ${label()}`;
    throw e;
  }
}

describe('property 1: random event sequences never reach an illegal state', () => {
  it('every step is legal, rejections change nothing, and what is set once stays set', () => {
    fc.assert(
      fc.property(scenarioArb(), fc.boolean(), (scenario, punctual) => {
        const trace = run(scenario, { punctual });
        trace.steps.forEach((s, i) => {
          if (s.action.kind === 'advance' || s.action.kind === 'confirm') return;
          at(
            () => stepLabel(s, i),
            () => expectLegalStep(s),
          );
        });
        for (const { job } of reachable(trace)) expectLegalState(trace, job);
      }),
      { numRuns: RUNS },
    );
  });

  it('the reported occurredAt never changes the job, only the recorded event', () => {
    fc.assert(
      fc.property(scenarioArb(), fc.integer({ min: -86_400, max: 86_400 }), (scenario, shift) => {
        const moved = {
          ...scenario,
          commands: scenario.commands.map((c) =>
            c.kind === 'webhook' ? { ...c, occurredOffsetSeconds: c.occurredOffsetSeconds + shift } : c,
          ),
        };
        same(run(moved).job, run(scenario).job, 'the job does not depend on occurredAt');
      }),
      { numRuns: Math.ceil(RUNS / 3) },
    );
  });
});

describe('property 2: each missed SLA is alerted exactly once', () => {
  it('alerts are recorded at most once, only when due, and onTimer is null when nothing new is due', () => {
    fc.assert(
      fc.property(scenarioArb(), fc.boolean(), (scenario, punctual) => {
        const trace = run(scenario, { punctual });
        for (const type of ALERT_ITEMS)
          must(countOf(trace.history, type) <= 1, `${type} recorded at most once`, trace.history);

        trace.steps.forEach((s, i) => {
          if (s.action.kind !== 'timer') return;
          at(
            () => stepLabel(s, i),
            () => {
              const due = dueAlert(s.before, s.now);
              same(
                s.decision?.history.map((h) => h.type) ?? null,
                due && [due],
                'a timer records what is due',
              );
              if (!due) return;
              same(s.before.alerts[due], undefined, 'the alert was not there before');
              same(s.after.alerts[due]?.sent, false, 'the alert is queued unsent');
              // A second firing at the same instant (a redelivered timer) records nothing.
              same(onTimer(s.after, s.now), null, 'onTimer is null when nothing new is due');
            },
          );
        });

        const types = trace.history.map((h) => h.type);
        for (const { job } of reachable(trace)) {
          for (const type of Object.keys(job.alerts))
            must(types.includes(type), `the ${type} alert has its history item`);
          if (job.alerts['sla.arrival_missed'])
            same(job.sla.arrivalMet, false, 'an arrival alert means the SLA was missed');
          if (job.alerts['sla.callback_missed'])
            same(job.sla.callbackMet, false, 'a callback alert means the SLA was missed');
        }
        same(
          Object.keys(trace.job.alerts).sort(),
          types.filter((t) => ALERT_ITEMS.includes(t)).sort(),
          'alerts on the job are exactly the alert items in its history',
        );
      }),
      { numRuns: RUNS },
    );
  });

  it('each missed SLA is alerted exactly once, whether the timer or the late event comes first', () => {
    fc.assert(
      fc.property(scenarioArb(), fc.boolean(), (scenario, punctual) => {
        const trace = run(scenario, { punctual });
        const standings = slaStandings(trace);
        const history = [...trace.booked.history];
        reachable(trace).forEach(({ job }, i) => {
          const step = trace.steps[i - 1];
          if (step?.decision) history.push(...step.decision.history);
          const expected = standings[i] as SlaStanding;
          at(
            () => (step ? stepLabel(step, i - 1) : 'the booking'),
            () => {
              for (const [sla, type, met] of [
                ['arrival', 'sla.arrival_missed', job.sla.arrivalMet],
                ['callback', 'sla.callback_missed', job.sla.callbackMet],
              ] as const) {
                const standing = expected[sla];
                same(met, standing === null ? null : standing === 'met', `${sla} SLA settled by the rule`);
                same(Boolean(job.alerts[type]), standing === 'missed', `${type} queued iff missed`);
                same(
                  countOf(history, type),
                  standing === 'missed' ? 1 : 0,
                  `${type} recorded once iff missed`,
                );
              }
            },
          );
        });
      }),
      { numRuns: RUNS },
    );
  });

  it('with punctual workflow timers, every missed SLA is alerted and published exactly once', () => {
    fc.assert(
      fc.property(scenarioArb(), (scenario) => {
        const trace = run(scenario, { punctual: true });
        trace.steps.forEach((s, i) => {
          at(
            () => stepLabel(s, i),
            () => {
              must(!s.workflowStuck, 'the workflow never waits for a milestone already reached');
              // A stray extra timer firing never finds anything the workflow's own timer missed.
              if (s.action.kind === 'timer' && s.action.by === 'command')
                same(s.decision, null, 'a stray timer records nothing');
            },
          );
        });
        for (const { job } of reachable(trace)) {
          same(
            job.sla.arrivalMet === false,
            Boolean(job.alerts['sla.arrival_missed']),
            'arrival missed ⇔ alert',
          );
          same(
            job.sla.callbackMet === false,
            Boolean(job.alerts['sla.callback_missed']),
            'callback missed ⇔ alert',
          );
        }
        must(
          new Set(trace.published).size === trace.published.length,
          'no alert published twice',
          trace.published,
        );
        same(
          [...trace.published].sort(),
          Object.keys(trace.job.alerts).sort() as AlertType[],
          'every queued alert is published',
        );
        for (const alert of Object.values(trace.job.alerts)) same(alert?.sent, true, 'and marked sent');
        same(
          trace.workflowDone,
          FINAL_STATUSES.includes(trace.job.status),
          'the workflow ends iff the job does',
        );
      }),
      { numRuns: RUNS },
    );
  });
});
