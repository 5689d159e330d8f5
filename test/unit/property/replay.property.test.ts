import fc from 'fast-check';
import type { HistoryItem } from '../../../functions/domain/types';
import { must, same } from './check';
import { numRuns, run, scenarioArb, waiverAllowed } from './model';
import { rebuiltView, replay, unknownFields, withUnknownsFrom } from './replay';

// Property 3 of issue #5 item 5: replaying a job's history (what GET /jobs/{id}/history
// returns) rebuilds its current state. `replay` folds the items with the contract's rules,
// independently of the domain code; where the history lacks the data for a field it says so.
//
// What the history cannot rebuild on its own (reported with the issue):
// - a regular job's sla.arrivalDueAt, and so whether its arrival was on time: job.booked
//   records priority and category, not the appointment;
// - laborWaived after a quick fix: job.completed does not record the property's S1 policy
//   (nor the waiver it decided), so a policy change later makes the past unreadable;
// - version and updatedAt: a stored workflow wait (storeWait) and the state machine's
//   ConfirmAlert bump version, and storeWait updatedAt, without any history item;
// - whether an alert was published (alerts[type].sent).

const RUNS = numRuns(250);

describe('property 3: replaying a job history rebuilds its current state', () => {
  it('at every step, the history so far replays to the job (the fields it carries)', () => {
    fc.assert(
      fc.property(scenarioArb(), fc.boolean(), (scenario, punctual) => {
        const trace = run(scenario, { punctual });
        const history: HistoryItem[] = [...trace.booked.history];
        const states = [trace.booked.job, ...trace.steps.map((s) => s.after)];
        const facts = (job: (typeof states)[number]) => ({
          arrivalDueAt: job.sla.arrivalDueAt,
          quickFixWaiver: waiverAllowed(trace.settings, job.unitId),
        });
        let silentWrites = 0;
        // replay refuses an illegal path, so every prefix replaying at all shows the history is legal.
        states.forEach((job, i) => {
          const step = i > 0 ? trace.steps[i - 1] : undefined;
          if (step?.decision) history.push(...step.decision.history);
          if (step && (step.action.kind === 'confirm' || (step.action.kind === 'wait' && step.decision)))
            silentWrites++;

          const last = history.at(-1);
          if (last) must(Date.parse(last.at) >= Date.parse(history.at(-2)?.at ?? last.at), 'oldest first');
          const alone = replay(history);
          const unknown = unknownFields(alone);
          // The history alone rebuilds everything but the gaps listed above…
          same(
            withUnknownsFrom(alone, job),
            rebuiltView(job),
            `history alone replays to the job (step ${i})`,
          );
          if (job.priority === 'urgent')
            must(
              unknown.every((f) => f === 'laborWaived'),
              'an urgent job needs no outside fact but the waiver policy',
              unknown,
            );
          if (unknown.includes('laborWaived'))
            must(job.completedAt !== null, 'laborWaived is unknown only after a quick completion');
          // …and with the two outside facts supplied, everything.
          const withFacts = replay(history, facts(job));
          same(unknownFields(withFacts), [], 'nothing unknown given the appointment and policy');
          same(withFacts, rebuiltView(job), `history + facts replay to the job (step ${i})`);
          // version counts the decisions, and some writes leave no history item.
          same(job.version, history.length + silentWrites, 'version = history items + silent writes');
        });
      }),
      { numRuns: RUNS },
    );
  });
});
