import fc from 'fast-check';
import type { HistoryItem } from '../../../functions/domain/types';
import { must, same } from './check';
import { bookedAt, bookingRequest, numRuns, run, scenarioArb, scenarioPolicy } from './model';
import { rebuiltView, replay } from './replay';

// Property 3 of issue #5 item 5: replaying a job's history (what GET /jobs/{id}/history
// returns) rebuilds its current state. `replay` folds the items with the contract's rules,
// independently of the domain code.
//
// job.booked records arrivalDueAt and job.completed laborWaived, so the history alone rebuilds
// every lifecycle field. What it still does not carry (reported with the issue):
// - version: a parked workflow wait (JobStore.park) and the state machine's ConfirmAlert
//   bump it without any history item;
// - whether an alert was published (alerts[type].sent), and the alert's rendered text;
// - the booking's unitId, description, contactPhone, locale and appointment (set once at
//   booking, kept on the job item only; the phone number stays out of the history on purpose);
// - the workflow's wait token (never leaves the job item, by design);

const RUNS = numRuns(250);

describe('property 3: replaying a job history rebuilds its current state', () => {
  it('at every step, the history so far replays to the job', () => {
    fc.assert(
      fc.property(scenarioArb(), fc.boolean(), (scenario, punctual) => {
        const trace = run(scenario, { punctual });
        const history: HistoryItem[] = [...trace.booked.history];
        const states = [trace.booked.job, ...trace.steps.map((s) => s.after)];
        // A regular job's deadline is its appointment start (S3), which the history cannot check.
        const appointment = bookingRequest(
          scenario.booking,
          bookedAt(scenario),
          scenarioPolicy(scenario),
        ).appointment;
        if (appointment)
          same(history[0]?.data.arrivalDueAt, appointment.start, 'a regular job is due at its appointment');
        let writes = 1; // the booking
        // replay refuses an illegal path, so every prefix replaying at all shows the history is legal.
        states.forEach((job, i) => {
          const step = i > 0 ? trace.steps[i - 1] : undefined;
          if (step?.decision) history.push(...step.decision.history);
          // Every decision and every ConfirmAlert is one write, whatever history it carries.
          if (step && (step.decision || step.action.kind === 'confirm')) writes++;

          const last = history.at(-1);
          if (last) must(Date.parse(last.at) >= Date.parse(history.at(-2)?.at ?? last.at), 'oldest first');
          same(replay(history), rebuiltView(job), `the history replays to the job (step ${i})`);
          same(job.version, writes, 'version counts the writes');
        });
      }),
      { numRuns: RUNS },
    );
  });
});
