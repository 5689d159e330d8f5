import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { assertCanRead, authorize } from '../../../functions/domain/access';
import { nextBusinessWindow } from '../../../functions/domain/business-calendar';
import { AppError } from '../../../functions/domain/errors';
import {
  applyWebhook,
  bookJob,
  cancelJob,
  type Decision,
  onTimer,
  recordCallback,
} from '../../../functions/domain/lifecycle';
import { type BusinessCalendar, type DomainSettings, policyFor } from '../../../functions/domain/policy';
import {
  type BookingRequest,
  type CallbackRequest,
  callbackSchema,
  type WebhookEvent,
  type WebhookEventType,
  webhookEventSchema,
} from '../../../functions/domain/schemas';
import {
  type AlertType,
  CATEGORIES,
  type Caller,
  type HistoryItem,
  type Job,
  type JobMilestone,
  LOCALES,
  propertyOf,
  type Status,
} from '../../../functions/domain/types';
import { nextPhase, waitingStatuses } from '../../../functions/domain/workflow';
import { CONTRACT_MOVES } from '../support/contract';

// A model of one job's life for the property tests: random command sequences (technician
// webhooks from a small pool, cancels, callbacks, timer firings, clock jumps, workflow waits)
// applied to the pure domain, every step recorded so the properties can judge the whole run.
// The oracle tables below are written from the API contract, not imported from the domain,
// so a change to the production tables is caught rather than mirrored.

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Contract figures (api-contract.md, issue S1/S3/S15). */
export const URGENT_ARRIVAL_MS = 10 * MINUTE;
/** The escalation ladder's defaults: an urgent job unaccepted 2 minutes on, nobody on site at 80% of the window. */
export const ACCEPT_WARN_MS = 2 * MINUTE;
export const ARRIVAL_RISK_PERCENT = 80;
export const CALLBACK_WINDOW_MS = 7 * DAY;
export const REMINDER_LEAD_MS = DAY;
export const QUICK_FIX_MS = 10 * MINUTE;

export const FINAL_STATUSES: readonly Status[] = ['closed', 'cancelled', 'declined', 'needs_follow_up'];
export const BEFORE_ARRIVAL: readonly Status[] = ['booked', 'accepted', 'en_route'];

export const EVENT_TYPES = Object.keys(CONTRACT_MOVES) as WebhookEventType[];

/**
 * Who may cancel from which status (contract: owner resident before arrival; managers until the
 * work starts). A final job — needs_follow_up included — is never cancelled.
 */
export const RESIDENT_CANCELLABLE: readonly Status[] = [
  'booked',
  'accepted',
  'en_route',
  'awaiting_reschedule',
];
export const MANAGER_CANCELLABLE: readonly Status[] = [...RESIDENT_CANCELLABLE, 'arrived', 'diagnosed'];

/** The usual next event from each status, so random runs get deep into the lifecycle. */
const HAPPY_PATH: Partial<Record<Status, WebhookEventType[]>> = {
  booked: ['job.accepted'],
  accepted: ['job.arrived', 'job.en_route'],
  en_route: ['job.arrived'],
  arrived: ['job.diagnosed'],
  diagnosed: ['job.work_started'],
  in_progress: ['job.completed'],
  completed: ['job.site_cleaned'],
  cleaned: ['job.form_signed'],
};

export const TECHNICIANS = [
  { id: 't-1', name: 'Wang Wei' },
  { id: 't-2', name: 'Li Qiang' },
  { id: 't-3', name: 'Zhao Min' },
] as const;

export const CALLERS = {
  owner: { sub: 'r-1', role: 'resident' },
  otherResident: { sub: 'r-2', role: 'resident' },
  agent: { sub: 'a-1', role: 'agent' },
  manager: { sub: 'm-1', role: 'manager' },
} as const satisfies Record<string, Caller>;
export type CallerKey = keyof typeof CALLERS;

const UNITS = ['B1-101', 'B2-1203', 'C7-88', 'D9-4'] as const;
const PROPERTIES = ['B1', 'B2', 'C7', 'D9'] as const;

export const VALID_PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

// ---------------------------------------------------------------- commands

/** Raw randomness for one event's payload; `dataFor` shapes it into valid data for any type. */
export interface Variant {
  flags: [boolean, boolean, boolean, boolean];
  small: number;
  amount: number;
  text: string;
  optional: boolean;
}

export type Command =
  | {
      kind: 'webhook';
      /** happy: the usual next event; allowed: any event the contract allows now; any: any type. */
      pick: 'happy' | 'allowed' | 'any';
      typeIndex: number;
      /** The accepted technician (or the first of the pool before anyone accepted), or one from the pool. */
      tech: 'assigned' | 0 | 1 | 2;
      variant: Variant;
      occurredOffsetSeconds: number;
    }
  | { kind: 'cancel'; who: CallerKey; reason: string | undefined }
  | { kind: 'callback'; who: CallerKey; body: CallbackRequest }
  | { kind: 'timer' }
  | { kind: 'advance'; seconds: number }
  | { kind: 'deadline'; which: Deadline; offsetSeconds: -1 | 0 | 1 }
  | { kind: 'wait'; milestone: JobMilestone };

/** `next`: the deadline the job is heading for now (arrival before arrival, the callback once signed). */
export type Deadline = 'arrival' | 'reminder' | 'callback' | 'next';

/** The instant of one of the job's SLA deadlines (contract figures), or null when it has none yet. */
export function deadlineOf(job: Job, which: Deadline): number | null {
  if (which === 'next') {
    if (BEFORE_ARRIVAL.includes(job.status)) return deadlineOf(job, 'arrival');
    return job.status === 'signed' ? deadlineOf(job, 'callback') : null;
  }
  if (which === 'arrival') return Date.parse(job.sla.arrivalDueAt);
  if (!job.sla.callbackDueAt) return null;
  const due = Date.parse(job.sla.callbackDueAt);
  return which === 'callback' ? due : due - REMINDER_LEAD_MS;
}

export interface BookingSpec {
  priority: 'urgent' | 'regular';
  unitId: string;
  category: (typeof CATEGORIES)[number];
  locale: (typeof LOCALES)[number];
  description: string;
  /** Regular jobs: appointment start after booking, and window length (seconds). */
  startInSeconds: number;
  windowSeconds: number;
}

export interface Scenario {
  settings: DomainSettings;
  /** Booking time, whole seconds after 2026-01-01T00:00:00Z. */
  startSeconds: number;
  booking: BookingSpec;
  commands: Command[];
  /**
   * Offsets (milliseconds, so timers are probed between whole seconds too) from each reachable
   * state's clock at which nextPhase is probed.
   */
  probes: number[];
}

const text = fc.string({ minLength: 0, maxLength: 12 }).map((s) => `x${s}`.trim());

const variantArb: fc.Arbitrary<Variant> = fc.record({
  flags: fc.tuple(fc.boolean(), fc.boolean(), fc.boolean(), fc.boolean()),
  small: fc.integer({ min: 0, max: 600 }),
  amount: fc.integer({ min: 0, max: 1_000_000 }),
  text,
  optional: fc.boolean(),
});

const callbackBodyArb: fc.Arbitrary<CallbackRequest> = fc.oneof(
  fc
    .record(
      {
        reached: fc.constant(true),
        satisfaction: fc.integer({ min: 1, max: 5 }),
        issueResolved: fc.boolean(),
        comment: text,
      },
      { requiredKeys: ['reached', 'satisfaction', 'issueResolved'] },
    )
    .map((body) =>
      // Not resolved: the call agrees the rework's time (the job's own decision does not read it).
      body.issueResolved ? body : { ...body, rework: { appointment: REWORK_WINDOW } },
    ),
  fc.record({ reached: fc.constant(false), comment: text }, { requiredKeys: ['reached'] }),
);

const REWORK_WINDOW = { start: '2026-12-01T01:00:00.000Z', end: '2026-12-01T03:00:00.000Z' };

const callerArb = fc.constantFrom<CallerKey>('owner', 'otherResident', 'agent', 'manager');

/** Clock jumps between 0 s and 9 days, mostly short so SLA deadlines are crossed both ways. */
export const advanceArb = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 20 * 60 }) },
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 2 * 24 * 3600 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 9 * 24 * 3600 }) },
);

const deadlineArb = fc.record({
  kind: fc.constant('deadline' as const),
  which: fc.constantFrom<Deadline>('arrival', 'reminder', 'callback'),
  offsetSeconds: fc.constantFrom<-1 | 0 | 1>(-1, 0, 1),
});

const callbackCmdArb = fc.record({
  kind: fc.constant('callback' as const),
  who: callerArb,
  body: callbackBodyArb,
});

export const commandArb: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 10,
    arbitrary: fc.record({
      kind: fc.constant('webhook' as const),
      pick: fc.constantFrom<'happy' | 'allowed' | 'any'>('happy', 'happy', 'happy', 'allowed', 'any'),
      typeIndex: fc.nat({ max: 99 }),
      tech: fc.constantFrom<'assigned' | 0 | 1 | 2>('assigned', 'assigned', 'assigned', 0, 1, 2),
      variant: variantArb,
      occurredOffsetSeconds: fc.integer({ min: -86_400, max: 86_400 }),
    }),
  },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('advance' as const), seconds: advanceArb }) },
  {
    weight: 2,
    arbitrary: deadlineArb,
  },
  { weight: 2, arbitrary: fc.constant({ kind: 'timer' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('cancel' as const),
      who: callerArb,
      reason: fc.option(text, { nil: undefined }),
    }),
  },
  {
    weight: 3,
    arbitrary: callbackCmdArb,
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('wait' as const),
      milestone: fc.constantFrom<JobMilestone>('arrival', 'reschedule', 'visit_end', 'callback'),
    }),
  },
);

const settingsArb: fc.Arbitrary<DomainSettings> = fc.record({
  policy: fc.record(
    {
      default: fc.record({ quickFixWaiver: fc.boolean() }),
      properties: fc.dictionary(
        fc.constantFrom(...PROPERTIES),
        fc.record({ quickFixWaiver: fc.boolean() }, { requiredKeys: [] }),
      ),
    },
    { requiredKeys: ['default'] },
  ),
  timeZone: fc.constant('Asia/Shanghai'),
  staffLocale: fc.constantFrom(...LOCALES),
});

const bookingArb: fc.Arbitrary<BookingSpec> = fc.record({
  priority: fc.constantFrom<'urgent' | 'regular'>('urgent', 'regular'),
  unitId: fc.constantFrom(...UNITS),
  category: fc.constantFrom(...CATEGORIES),
  locale: fc.constantFrom(...LOCALES),
  description: text,
  startInSeconds: fc.integer({ min: 1, max: 3 * 24 * 3600 }),
  windowSeconds: fc.integer({ min: 1, max: 4 * 3600 }),
});

/** A technician working through the usual next steps, a few minutes apart. */
const happyStepArb: fc.Arbitrary<Command[]> = fc.tuple(
  fc.record({
    kind: fc.constant('webhook' as const),
    pick: fc.constant('happy' as const),
    typeIndex: fc.nat({ max: 99 }),
    tech: fc.constant('assigned' as const),
    variant: variantArb,
    occurredOffsetSeconds: fc.integer({ min: -600, max: 0 }),
  }),
  fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constant('advance' as const),
        seconds: fc.integer({ min: 0, max: 15 * 60 }),
      }),
    },
    { weight: 1, arbitrary: deadlineArb },
  ),
);

const boundaryArb: fc.Arbitrary<Command[]> = fc.tuple(
  fc.record({
    kind: fc.constant('deadline' as const),
    which: fc.constant('next' as const),
    offsetSeconds: fc.constantFrom<-1 | 0 | 1>(-1, 0, 1),
  }),
  fc.oneof(
    fc.record({
      kind: fc.constant('callback' as const),
      who: fc.constantFrom<CallerKey>('agent', 'manager'),
      body: callbackBodyArb,
    }),
    happyStepArb.map(([webhook]) => webhook as Command),
  ),
);

/**
 * A random run: first (often) a technician getting some way along the happy path, so that
 * the deep states (signed, the callback week) are reached often, then random commands.
 */
export const scenarioArb = (maxCommands = 40): fc.Arbitrary<Scenario> =>
  fc.record({
    settings: settingsArb,
    startSeconds: fc.integer({ min: 0, max: 365 * 24 * 3600 }),
    booking: bookingArb,
    commands: fc
      .tuple(
        fc.array(happyStepArb, { maxLength: 9, size: 'max' }),
        // …then often a jump onto (or a second either side of) the next deadline and the
        // milestone right there, to land on the SLA boundaries…
        fc.option(boundaryArb, { freq: 2 }).map((b) => b ?? []),
        fc.array(commandArb, { maxLength: maxCommands, size: 'max' }),
      )
      .map(([warmup, boundary, rest]) => [...warmup.flat(), ...boundary, ...rest]),
    probes: fc.array(fc.integer({ min: -9 * DAY, max: 9 * DAY }), {
      minLength: 1,
      maxLength: 3,
    }),
  });

// ---------------------------------------------------------------- building concrete inputs

const EPOCH = Date.parse('2026-01-01T00:00:00.000Z');

/** When the scenario books its job (the model's clock, not read off the domain's job). */
export const bookedAt = (scenario: Scenario) => new Date(EPOCH + scenario.startSeconds * SECOND);

/** The policy the scenario's property has: nobody configured it, so the defaults under the seed. */
export const scenarioPolicy = (scenario: Scenario) =>
  policyFor(scenario.settings, propertyOf(scenario.booking.unitId), null);

/**
 * The booking a spec makes at `now`. A regular job's window is the first of its length within
 * business hours at least `startInSeconds` ahead (the property's calendar refuses any other).
 */
export function bookingRequest(spec: BookingSpec, now: Date, calendar: BusinessCalendar): BookingRequest {
  const base = {
    unitId: spec.unitId,
    category: spec.category,
    description: spec.description,
    priority: spec.priority,
    contactPhone: '+8613800138000',
    locale: spec.locale,
  };
  if (spec.priority === 'urgent') return base;
  const after = new Date(now.getTime() + spec.startInSeconds * SECOND);
  const appointment = nextBusinessWindow(calendar, after, spec.windowSeconds * SECOND);
  if (!appointment) throw new Error('the default calendar has a window of at most 4 hours every week');
  return { ...base, appointment };
}

export function dataFor(type: WebhookEventType, v: Variant, technicianName: string): WebhookEvent['data'] {
  switch (type) {
    case 'job.accepted':
      return { technicianName };
    case 'job.rejected':
      return { reason: v.text };
    case 'job.en_route':
      return v.optional ? { etaMinutes: v.small } : {};
    case 'job.arrived':
      return { kit: { tools: v.flags[0], floorMat: v.flags[1], cloth: v.flags[2], shoeCovers: v.flags[3] } };
    case 'job.no_access':
      return v.optional ? { note: v.text } : {};
    case 'job.diagnosed':
      return {
        fault: v.text,
        covered: v.flags[0],
        quote: { labor: v.amount, parts: v.small, currency: 'CNY' },
        residentAcknowledged: true,
      };
    case 'job.quote_declined':
      return v.optional ? { reason: v.text } : {};
    case 'job.work_started':
      return {};
    case 'job.completed':
      return { testedWithResident: true, explanation: { cause: v.text, fix: v.text, advice: v.text } };
    case 'job.unable_to_fix':
      return {
        reason: v.text,
        ...(v.optional && { takeAway: { consent: true as const, receiptNo: `R-${v.small}` } }),
      };
    case 'job.site_cleaned':
      return { siteClean: true, belongingsRestored: true };
    case 'job.form_signed':
      return { signerName: v.text, signature: VALID_PNG };
  }
}

/** The concrete event a webhook command stands for, given the job it is applied to (schema-checked). */
export function eventFor(cmd: Extract<Command, { kind: 'webhook' }>, job: Job, now: Date): WebhookEvent {
  const allowed = EVENT_TYPES.filter((t) => CONTRACT_MOVES[t].from.includes(job.status));
  const happy = HAPPY_PATH[job.status] ?? [];
  const pool =
    cmd.pick === 'happy' && happy.length
      ? happy
      : cmd.pick !== 'any' && allowed.length
        ? allowed
        : EVENT_TYPES;
  const type = pool[cmd.typeIndex % pool.length] as WebhookEventType;
  const tech =
    cmd.tech === 'assigned'
      ? (TECHNICIANS.find((t) => t.id === job.technician?.id) ?? TECHNICIANS[0])
      : TECHNICIANS[cmd.tech];
  return webhookEventSchema.parse({
    type,
    jobId: job.jobId,
    technicianId: tech.id,
    occurredAt: new Date(now.getTime() + cmd.occurredOffsetSeconds * SECOND).toISOString(),
    data: dataFor(type, cmd.variant, tech.name),
  });
}

// ---------------------------------------------------------------- running a scenario

export type Action =
  | { kind: 'webhook'; event: WebhookEvent }
  | { kind: 'cancel'; caller: Caller; reason: string | undefined }
  | { kind: 'callback'; caller: Caller; body: CallbackRequest }
  | { kind: 'timer'; by: 'command' | 'workflow' }
  | { kind: 'wait'; milestone: JobMilestone; token: string; by: 'command' | 'workflow' }
  /** The state machine's ConfirmAlert (a direct DynamoDB update, not a domain decision). */
  | { kind: 'confirm'; alert: AlertType }
  | { kind: 'advance'; to: string };

export interface Step {
  action: Action;
  now: Date;
  before: Job;
  after: Job;
  /** The decision, when the domain accepted the command and changed the job. */
  decision: Decision | null;
  /** The AppError the domain refused the command with. */
  rejected: AppError | null;
  /** The job handed to the domain was not mutated by it. */
  inputIntact: boolean;
  /** Punctual mode: the workflow waits on a milestone this job has already reached (it would hang). */
  workflowStuck: boolean;
}

export interface Trace {
  scenario: Scenario;
  settings: DomainSettings;
  booked: Decision;
  steps: Step[];
  /** Every history item written, oldest first (what GET /jobs/{id}/history returns). */
  history: HistoryItem[];
  job: Job;
  now: Date;
  /** Punctual mode: the workflow finished (reached `done`). */
  workflowDone: boolean;
  /** Punctual mode: alerts the workflow published, in order. */
  published: AlertType[];
}

const MILESTONE_OF: Record<string, JobMilestone> = {
  await_arrival: 'arrival',
  await_arrival_overdue: 'arrival',
  await_reschedule: 'reschedule',
  await_visit_end: 'visit_end',
  await_callback: 'callback',
  await_callback_overdue: 'callback',
};

export interface RunOptions {
  /**
   * Drive the job with a model of the state machine whose timers fire exactly when
   * nextPhase said (LoadJob → Await* with TimeoutSeconds → TimerFired, PublishAlert → ConfirmAlert).
   */
  punctual?: boolean;
}

export function run(scenario: Scenario, opts: RunOptions = {}): Trace {
  const { settings } = scenario;
  let now = bookedAt(scenario);
  const booked = bookJob(
    bookingRequest(scenario.booking, now, scenarioPolicy(scenario)),
    CALLERS.owner,
    `job-${scenario.startSeconds}`,
    now,
    {},
    scenarioPolicy(scenario),
  );
  let job = booked.job;
  const history = [...booked.history];
  const steps: Step[] = [];
  const published: AlertType[] = [];
  let tokens = 0;
  let timersFired = 0;
  let wf: {
    state: 'running' | 'waiting' | 'done';
    token: string;
    milestone: JobMilestone;
    timerAt: number | null;
  } = { state: 'running', token: '', milestone: 'arrival', timerAt: null };

  const stuck = () => wf.state === 'waiting' && isReached(job, wf.milestone);

  /** Applies one domain call to the current job and records the step. */
  const apply = (action: Action, decide: (j: Job) => Decision | 'reached' | null): Decision | null => {
    const before = job;
    const snapshot = deepCopy(before);
    let decision: Decision | null = null;
    let rejected: AppError | null = null;
    try {
      const d = decide(before);
      decision = d === 'reached' ? null : d;
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      rejected = e;
    }
    const inputIntact = isDeepStrictEqual(before, snapshot);
    if (decision) {
      job = decision.job;
      history.push(...decision.history);
      if (opts.punctual && wf.state === 'waiting' && decision.resume === wf.token) wf.state = 'running';
    }
    const step: Step = {
      action,
      now,
      before,
      after: job,
      decision,
      rejected,
      inputIntact,
      workflowStuck: false,
    };
    steps.push(step);
    if (opts.punctual) {
      drive();
      step.workflowStuck = stuck();
    }
    return decision;
  };

  /** LoadJob → Route → (PublishAlert → ConfirmAlert | Await* | Done), until the machine waits or ends. */
  const drive = () => {
    for (let i = 0; wf.state === 'running'; i++) {
      if (i > 20) throw new Error('the workflow loops without waiting');
      const phase = nextPhase(job, now);
      if (phase.phase === 'done') {
        wf.state = 'done';
        return;
      }
      if (phase.phase === 'send_alert') {
        const before = job;
        const type = phase.alert.type;
        published.push(type);
        const alert = before.alerts[type];
        if (!alert) throw new Error(`ConfirmAlert's condition fails: no alert ${type} on the job`);
        job = {
          ...before,
          alerts: { ...before.alerts, [type]: { ...alert, sent: true } },
          version: before.version + 1,
        };
        steps.push({
          action: { kind: 'confirm', alert: type },
          now,
          before,
          after: job,
          decision: null,
          rejected: null,
          inputIntact: true,
          workflowStuck: false,
        });
        continue;
      }
      const milestone = MILESTONE_OF[phase.phase];
      if (!milestone) throw new Error(`unknown phase ${phase.phase}`);
      const token = `wf-${++tokens}`;
      const timerAt = 'timeoutSeconds' in phase ? now.getTime() + phase.timeoutSeconds * SECOND : null;
      wf = { state: 'waiting', token, milestone, timerAt };
      let reached = false;
      const before = job;
      const snapshot = deepCopy(before);
      const d = parkWait(before, token, milestone);
      if (d === 'reached') reached = true;
      else {
        job = d.job;
        history.push(...d.history);
      }
      steps.push({
        action: { kind: 'wait', milestone, token, by: 'workflow' },
        now,
        before,
        after: job,
        decision: d === 'reached' ? null : d,
        rejected: null,
        inputIntact: isDeepStrictEqual(before, snapshot),
        workflowStuck: false,
      });
      if (reached) wf.state = 'running'; // awaitMilestone resumes the task at once
    }
  };

  const advanceTo = (target: number) => {
    // Punctual timers: every timeout that falls inside the jump fires at its own instant.
    while (opts.punctual && wf.state === 'waiting' && wf.timerAt !== null && wf.timerAt <= target) {
      // A job has five timers at most (two warnings, arrival, reminder, callback); more is a storm.
      if (++timersFired > 12) throw new Error('timer storm: the workflow keeps timing out and re-arming');
      now = new Date(wf.timerAt);
      wf.state = 'running'; // States.Timeout → TimerFired
      apply({ kind: 'timer', by: 'workflow' }, (j) => onTimer(j, now));
    }
    now = new Date(target);
    steps.push({
      action: { kind: 'advance', to: now.toISOString() },
      now,
      before: job,
      after: job,
      decision: null,
      rejected: null,
      inputIntact: true,
      workflowStuck: false,
    });
  };

  if (opts.punctual) drive();

  for (const cmd of scenario.commands) {
    switch (cmd.kind) {
      case 'advance':
        advanceTo(now.getTime() + cmd.seconds * SECOND);
        break;
      case 'deadline': {
        // Jump to a second either side of (or onto) one of the job's deadlines: the boundaries.
        const due = deadlineOf(job, cmd.which);
        advanceTo(due === null ? now.getTime() : Math.max(now.getTime(), due + cmd.offsetSeconds * SECOND));
        break;
      }
      case 'webhook': {
        const event = eventFor(cmd, job, now);
        apply({ kind: 'webhook', event }, (j) =>
          applyWebhook(j, event, now, policyFor(settings, propertyOf(j.unitId), null)),
        );
        break;
      }
      case 'cancel': {
        const caller = CALLERS[cmd.who];
        apply({ kind: 'cancel', caller, reason: cmd.reason }, (j) => {
          authorize(caller, 'cancel');
          return cancelJob(assertCanRead(j, caller), caller, cmd.reason, now);
        });
        break;
      }
      case 'callback': {
        const caller = CALLERS[cmd.who];
        const body = callbackSchema.parse(cmd.body);
        apply({ kind: 'callback', caller, body }, (j) => {
          authorize(caller, 'record_callback');
          return recordCallback(assertCanRead(j, caller), caller, body, now);
        });
        break;
      }
      case 'timer':
        // A stray or repeated timer firing (a restart, a redelivered Lambda invocation).
        apply({ kind: 'timer', by: 'command' }, (j) => onTimer(j, now));
        break;
      case 'wait': {
        // Only the real workflow stores waits in punctual mode.
        if (opts.punctual) break;
        const token = `cmd-${++tokens}`;
        apply({ kind: 'wait', milestone: cmd.milestone, token, by: 'command' }, (j) =>
          parkWait(j, token, cmd.milestone),
        );
        break;
      }
    }
  }
  return {
    scenario,
    settings,
    booked,
    steps,
    history,
    job,
    now,
    workflowDone: wf.state === 'done',
    published,
  };
}

/**
 * What JobStore.park does in one conditional write: park the token while the job's status still
 * waits for the milestone (bumping the version, nothing else), or report the milestone reached.
 */
function parkWait(job: Job, token: string, milestone: JobMilestone): Decision | 'reached' {
  if (!waitingStatuses(milestone).includes(job.status)) return 'reached';
  return {
    job: { ...job, wait: { token, milestone }, version: job.version + 1 },
    history: [],
    resume: null,
  };
}

/** A deep copy in this realm (structuredClone's objects fail isDeepStrictEqual under jest's vm). */
export function deepCopy<T>(value: T): T {
  if (Array.isArray(value)) return value.map(deepCopy) as T;
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deepCopy(v)])) as T;
  return value;
}

/** Contract reading of the milestones the workflow waits for. */
export function isReached(job: Job, milestone: JobMilestone): boolean {
  const beforeArrival = BEFORE_ARRIVAL.includes(job.status);
  switch (milestone) {
    case 'arrival':
      return !beforeArrival;
    case 'visit_end':
      return !beforeArrival && (['signed', ...FINAL_STATUSES] as Status[]).includes(job.status);
    case 'reschedule':
      return job.status !== 'awaiting_reschedule';
    case 'callback':
      return FINAL_STATUSES.includes(job.status);
  }
}

/** A one-line description of a step, for failure messages. */
export function stepLabel(s: Step, index: number): string {
  const a = s.action;
  const what =
    a.kind === 'webhook'
      ? `${a.event.type} by ${a.event.technicianId}`
      : a.kind === 'cancel' || a.kind === 'callback'
        ? `${a.kind} by ${a.caller.role}:${a.caller.sub}`
        : a.kind === 'wait'
          ? `wait ${a.milestone} (${a.by})`
          : a.kind === 'timer'
            ? `timer (${a.by})`
            : a.kind;
  return `step ${index}: ${what} on a ${s.before.status} job at ${s.now.toISOString()}`;
}

/** Every job state the run went through, with the clock at that moment. */
export function reachable(trace: Trace): { job: Job; now: Date }[] {
  return [
    { job: trace.booked.job, now: new Date(trace.booked.job.createdAt) },
    ...trace.steps.map((s) => ({ job: s.after, now: s.now })),
  ];
}

export const waiverAllowed = (settings: DomainSettings, unitId: string): boolean => {
  const property = unitId.split('-')[0] ?? unitId;
  return settings.policy.properties?.[property]?.quickFixWaiver ?? settings.policy.default.quickFixWaiver;
};

export const countOf = (history: readonly HistoryItem[], type: string) =>
  history.filter((h) => h.type === type).length;

/** Property-test budget: modest by default, raise with FC_NUM_RUNS for a longer hunt. */
export const numRuns = (fallback: number) => Number(process.env.FC_NUM_RUNS ?? fallback);
