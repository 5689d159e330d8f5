import fc from 'fast-check';
import { STATUSES } from '../../../functions/domain/types';
import { PROBLEMS } from '../../../functions/http/problem';
import { run, scenarioArb } from './model';

// The properties are only as good as the runs behind them: with a fixed seed, the generated
// scenarios must reach every status, every alert, every refusal and both sides of each SLA.

describe('the scenario generator (so the properties are not vacuous)', () => {
  it('reaches every status, alert, refusal and SLA outcome', () => {
    const seen = new Set<string>();
    for (const scenario of fc.sample(scenarioArb(), { numRuns: 150, seed: 5 }))
      for (const punctual of [false, true]) {
        const trace = run(scenario, { punctual });
        for (const s of trace.steps) {
          seen.add(s.after.status);
          if (s.rejected) seen.add(`refused ${PROBLEMS[s.rejected.code].status}`);
          if (s.decision && s.action.kind === 'callback')
            seen.add(`callback reached=${s.action.body.reached}`);
          // Deadline boundaries: a milestone landing exactly on its deadline.
          const now = s.now.toISOString();
          if (s.decision && s.action.kind === 'webhook' && s.action.event.type === 'job.arrived')
            if (now === s.after.sla.arrivalDueAt) seen.add('arrived on the deadline');
          if (s.decision && s.action.kind === 'callback' && s.action.body.reached)
            if (now === s.after.sla.callbackDueAt) seen.add('callback on the deadline');
        }
        const { job } = trace;
        for (const type of Object.keys(job.alerts)) seen.add(type);
        seen.add(`laborWaived=${job.laborWaived}`);
        seen.add(`arrivalMet=${job.sla.arrivalMet}`);
        seen.add(`callbackMet=${job.sla.callbackMet}`);
        seen.add(`${job.priority}`);
      }
    const wanted = [
      ...STATUSES,
      'sla.acceptance_warning',
      'sla.arrival_at_risk',
      'sla.arrival_missed',
      'sla.callback_missed',
      'callback.reminder',
      'job.unable_to_fix',
      'refused 403',
      'refused 404',
      'refused 409',
      'callback reached=true',
      'callback reached=false',
      'laborWaived=true',
      'laborWaived=false',
      'arrivalMet=true',
      'arrivalMet=false',
      'callbackMet=true',
      'callbackMet=false',
      'urgent',
      'regular',
      'arrived on the deadline',
      'callback on the deadline',
    ];
    expect(wanted.filter((w) => !seen.has(w))).toEqual([]);
  });
});
