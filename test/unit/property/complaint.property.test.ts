import fc from 'fast-check';
import { complaintWaitingStatuses, nextComplaintPhase } from '../../../functions/domain/complaint-workflow';
import {
  type ComplaintDecision,
  investigate,
  onComplaintTimer,
  receiveComplaint,
  recordComplaintCallback,
} from '../../../functions/domain/complaints';
import { AppError } from '../../../functions/domain/errors';
import {
  type Caller,
  COMPLAINT_STATUSES,
  type Complaint,
  type ComplaintMiss,
  type HistoryItem,
} from '../../../functions/domain/types';
import { policyFrom } from '../support/fixtures';
import { must, same } from './check';
import { numRuns } from './model';

// The complaint lifecycle under random sequences (issue #11): agents investigating and calling
// back (reached or not), the workflow's timers firing, the clock jumping by minutes to days, in
// Asia/Shanghai. Three properties: no illegal state, one alert per missed deadline (whoever
// notices it first), and the history alone replays the complaint's status and deadlines.

const RUNS = numRuns(300);
/** The default calendar in Asia/Shanghai (09:00–18:00, Monday to Friday). */
const CALENDAR = policyFrom();
const AGENT: Caller = { sub: 'a-1', role: 'agent' };
const RESIDENT: Caller = { sub: 'r-1', role: 'resident' };
const MISSES: readonly ComplaintMiss[] = [
  'sla.complaint_investigation_missed',
  'sla.complaint_callback_missed',
];
const order = (status: Complaint['status']) => COMPLAINT_STATUSES.indexOf(status);

type Command =
  | { kind: 'advance'; seconds: number }
  | { kind: 'timer' }
  | { kind: 'investigate' }
  | { kind: 'callback'; reached: boolean; satisfied: boolean };

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  fc.record({
    kind: fc.constant('advance' as const),
    seconds: fc.oneof(fc.integer({ min: 1, max: 3600 }), fc.integer({ min: 3600, max: 5 * 86_400 })),
  }),
  fc.constant({ kind: 'timer' as const }),
  fc.constant({ kind: 'investigate' as const }),
  fc.record({ kind: fc.constant('callback' as const), reached: fc.boolean(), satisfied: fc.boolean() }),
);

const scenarioArb = fc.record({
  // Any second of two days, so receipts land at every hour of the local day, across midnight.
  startSeconds: fc.integer({ min: 0, max: 2 * 86_400 }),
  commands: fc.array(commandArb, { maxLength: 25 }),
});

interface Run {
  complaint: Complaint;
  history: HistoryItem[];
  /** Alert types queued, once each time a decision queued one. */
  queued: ComplaintMiss[];
  now: Date;
}

function play(s: { startSeconds: number; commands: Command[] }) {
  let now = new Date(Date.UTC(2026, 10, 30, 0, 0, 0) + s.startSeconds * 1000);
  const first = receiveComplaint(
    { unitId: 'B2-1203', category: 'conduct', description: 'x', contactPhone: '+8613800138000' },
    RESIDENT,
    'c-1',
    now,
    CALENDAR,
    null,
  );
  const run: Run = { complaint: first.complaint, history: [...first.history], queued: [], now };
  const apply = (before: Complaint, d: ComplaintDecision | null) => {
    if (!d) return;
    same(d.complaint.version, before.version + 1, 'each decision bumps the version once');
    must(order(d.complaint.status) >= order(before.status), 'status never goes back', [
      before.status,
      d.complaint.status,
    ]);
    for (const type of MISSES) if (!before.alerts[type] && d.complaint.alerts[type]) run.queued.push(type);
    run.complaint = d.complaint;
    run.history.push(...d.history);
  };
  for (const c of s.commands) {
    const before = run.complaint;
    // JSON, not structuredClone: a clone from outside the test realm has another Object prototype.
    const frozen = JSON.parse(JSON.stringify(before));
    if (c.kind === 'advance') {
      now = new Date(now.getTime() + c.seconds * 1000);
      continue;
    }
    try {
      if (c.kind === 'timer') {
        // The machine's timer can only fire at or after the deadline it was set for.
        const phase = nextComplaintPhase(before, now);
        if (!('timeoutSeconds' in phase) || nowBefore(before, phase.phase, now)) continue;
        apply(before, onComplaintTimer(before, now));
      } else if (c.kind === 'investigate')
        apply(
          before,
          investigate(before, AGENT, { findings: 'f', cause: 'c', handler: 'h', result: 'r' }, now),
        );
      else
        apply(
          before,
          recordComplaintCallback(
            before,
            AGENT,
            { reached: c.reached, satisfied: c.reached ? c.satisfied : undefined },
            now,
          ),
        );
    } catch (e) {
      must(e instanceof AppError, 'a refusal is a typed error', e);
      same(run.complaint, frozen, 'a refused command changes nothing');
    }
  }
  run.now = now;
  return run;
}

/** Whether the wait of `phase` is still before its deadline at `now` (its timer cannot have fired). */
function nowBefore(c: Complaint, phase: string, now: Date) {
  const due = phase === 'await_investigation' ? c.sla.investigationDueAt : c.sla.callbackDueAt;
  return now.getTime() < Date.parse(due);
}

describe('complaint property 1: random sequences never reach an illegal state', () => {
  it('status, deadlines and waiting statuses stay consistent', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const { complaint: c } = play(s);
        must(COMPLAINT_STATUSES.includes(c.status), 'status is one of COMPLAINT_STATUSES');
        same(c.investigation !== null, c.status !== 'received', 'investigated exactly when past received');
        same(
          c.sla.investigationMet !== null || c.status === 'received',
          true,
          'an investigated complaint has its verdict',
        );
        same(c.sla.calledBackAt !== null, c.status === 'closed', 'called back exactly when closed');
        must(
          Date.parse(c.sla.investigationDueAt) < Date.parse(c.sla.callbackDueAt),
          'the same day comes before 3 days',
        );
        for (const m of ['investigation', 'callback'] as const)
          same(
            complaintWaitingStatuses(m).includes(c.status),
            !(m === 'investigation' ? c.status !== 'received' : c.status === 'closed'),
            'waiting statuses',
          );
      }),
      { numRuns: RUNS },
    );
  });
});

describe('complaint property 2: each missed deadline is alerted exactly once', () => {
  it('an alert is queued once per miss, and only for a deadline that passed unsettled', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const { complaint: c, queued, history } = play(s);
        same(new Set(queued).size, queued.length, 'no alert type is queued twice');
        same(Object.keys(c.alerts).sort(), [...queued].sort(), 'the alerts on the item are the queued ones');
        same(
          c.sla.investigationMet === false,
          queued.includes('sla.complaint_investigation_missed'),
          'investigation miss ⇔ its alert',
        );
        same(
          c.sla.callbackMet === false,
          queued.includes('sla.complaint_callback_missed'),
          'callback miss ⇔ its alert',
        );
        for (const type of MISSES)
          same(
            history.filter((h) => h.type === type).length,
            queued.includes(type) ? 1 : 0,
            `one ${type} history item`,
          );
        // A timer fires only at or after its deadline, so a filing by the deadline is always in time.
        if (c.sla.investigatedAt && Date.parse(c.sla.investigatedAt) <= Date.parse(c.sla.investigationDueAt))
          same(c.sla.investigationMet, true, 'filed by the deadline is met');
        if (c.sla.investigationMet === true)
          must(
            Date.parse(c.sla.investigatedAt ?? '') <= Date.parse(c.sla.investigationDueAt),
            'met means filed by the deadline',
          );
        if (c.sla.callbackMet === true)
          must(
            Date.parse(c.sla.calledBackAt ?? '') <= Date.parse(c.sla.callbackDueAt),
            'met means called back by the deadline',
          );
      }),
      { numRuns: RUNS },
    );
  });
});

describe('complaint property 3: the history replays the complaint', () => {
  it('status, settlement times and verdicts follow from the history items alone', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const { complaint: c, history } = play(s);
        const types = history.map((h) => h.type);
        same(types[0], 'complaint.received', 'the history starts with the receipt');
        const status = types.includes('complaint.called_back')
          ? 'closed'
          : types.includes('complaint.investigated')
            ? 'investigated'
            : 'received';
        same(status, c.status, 'status from the history');
        same(
          history.find((h) => h.type === 'complaint.investigated')?.at ?? null,
          c.sla.investigatedAt,
          'investigatedAt',
        );
        same(
          history.find((h) => h.type === 'complaint.called_back')?.at ?? null,
          c.sla.calledBackAt,
          'calledBackAt',
        );
        same(
          types.filter((t) => t.startsWith('complaint.callback')).length + (c.status === 'closed' ? 1 : 0),
          c.callbackAttempts,
          'attempts',
        );
        same(
          history[0]?.data.investigationDueAt,
          c.sla.investigationDueAt,
          'the deadlines are in the first item',
        );
      }),
      { numRuns: RUNS },
    );
  });
});
