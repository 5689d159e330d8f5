import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { LogLevel } from '@aws-lambda-powertools/logger/types';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { DynamoComplaintStore } from '../functions/adapters/dynamo-complaint-store';
import { DynamoDirectory } from '../functions/adapters/dynamo-directory';
import { DynamoJobStore } from '../functions/adapters/dynamo-job-store';
import { DynamoOutboxLedger } from '../functions/adapters/dynamo-outbox';
import { DynamoReportStore } from '../functions/adapters/dynamo-report-store';
import { DynamoTable } from '../functions/adapters/dynamo-table';
import { DynamoWebhookStore } from '../functions/adapters/dynamo-webhook-store';
import { pdfFormRenderer } from '../functions/adapters/form-pdf';
import { localObservability } from '../functions/adapters/observability';
import { type AppPorts, systemClock } from '../functions/adapters/ports';
import { stateMachineSubstitutions } from '../functions/adapters/state-machine';
import { OUTBOX_READING } from '../functions/adapters/table-layout';
import { fixedSecrets } from '../functions/adapters/webhook-secret';
import { dnsResolve, httpSender } from '../functions/adapters/webhook-sender';
import type { ObjectCreatedEvent } from '../functions/check-photo/check-photo';
import { type ComplaintStep, complaintHasNextStep } from '../functions/domain/complaint-workflow';
import type { About, Notice } from '../functions/domain/notifications';
import { UPLOAD_PREFIX } from '../functions/domain/photos';
import type { DomainSettings } from '../functions/domain/policy';
import type { Workflow } from '../functions/domain/ports';
import { rearmPending } from '../functions/domain/webhook-cases';
import type { TargetRules } from '../functions/domain/webhook-target';
import { hasNextStep, type Step } from '../functions/domain/workflow';
import { makeHandlers } from '../functions/handlers';
import { FORM_FONT, FUNCTION_NAMES, type FunctionName } from '../functions/names';
import { VirtualClock } from './clock';
import { DEV_WEBHOOK_SECRET } from './defaults';
import { LocalDeliveryScheduler } from './deliveries';
import { type LocalDynamo, startDynamo } from './dynamodb';
import { EngineGroup, LocalWorkflow } from './engine';
import { type Invoke, invoker, localFunctionArn } from './functions';
import { LocalIssuer } from './jwt';
import { localRoutes } from './local-routes';
import { localTopicArn, Outbox } from './outbox';
import { pagesServer } from './pages';
import { type LocalS3, localBucketName, startS3 } from './s3';
import { createFrontDoor } from './server';
import { StreamConsumers, StreamPoller } from './stream';

// `npm start`, the tests and the demo all run this: DynamoDB Local, s3rver, the real ASL on
// aws-local-stepfunctions, the virtual clock, the SNS outbox, the JWT issuer and the
// HTTP front door, wired to the same handlers CDK deploys. Each stack builds its own ports,
// so several can run in one process.

export const TABLE_NAME = 'home-repair';

export interface StackOptions {
  port?: number;
  /** Where DynamoDB Local, the clock and the outbox keep their files; omitted = a temporary folder, removed on stop. */
  dataDir?: string;
  webhookSecret?: string;
  clockSpeed?: number;
  print?: (line: string) => void;
  /** Runs before every function the state machine invokes: a seam for tests that need a race or a fault. */
  beforeInvoke?: (fn: FunctionName, payload: unknown) => Promise<void>;
  /**
   * Runs before every SNS publish of the outbox consumer (a notice leaving the outbox); throwing
   * makes that attempt fail, as SNS down would: a seam for the outage test and the bench.
   */
  beforeNotify?: (about: About, notice: Notice) => void;
  /** Runs before every StartExecution of the outbox consumer; throwing makes that start fail. */
  beforeStart?: (id: string) => void;
  /** Sees every batch of the table's stream the poller delivers to outbox-stream (a test replays one). */
  onOutboxBatch?: (event: DynamoDBStreamEvent) => void;
  /** Runs before every SNS publish the state machine makes; throwing makes that attempt fail. */
  beforePublish?: (params: Record<string, unknown>) => void;
  /** Awaited after each such publish, before the task answers: a seam to stop the stack in between. */
  afterPublish?: (params: Record<string, unknown>) => Promise<void>;
  /** Sees every batch of the table's stream the poller delivers to report-stream (a test replays one). */
  onStreamBatch?: (event: DynamoDBStreamEvent) => void;
  /** What the functions' TIME_ZONE, STAFF_LOCALE, BOOKINGS_PER_HOUR and PROPERTY_POLICY set on AWS. */
  settings?: Partial<DomainSettings>;
  /** The functions' log level (WARN) and whether they log every event, as POWERTOOLS_* do on AWS. */
  logLevel?: LogLevel;
  logEvent?: boolean;
  /** Where outbound webhooks may go: `loopback` (default here: the demo's and tests' receivers) or `public`, as on AWS. */
  webhookTargets?: TargetRules;
}

const DEFAULT_SETTINGS: DomainSettings = {
  policy: { default: { quickFixWaiver: false } },
  timeZone: 'Asia/Shanghai',
  staffLocale: 'zh-CN',
};

export interface LocalStack {
  url: string;
  clock: VirtualClock;
  /** The repair jobs' state machine; its settle() waits for the complaints' too. */
  workflow: LocalWorkflow<Step>;
  complaintWorkflow: LocalWorkflow<ComplaintStep>;
  outbox: Outbox;
  issuer: LocalIssuer;
  dynamo: LocalDynamo;
  /** The buckets (s3rver): presigned URLs point at it. */
  s3: LocalS3;
  /** The content checks of uploaded photos: `settle()` waits until every one started has finished. */
  photoChecks: { settle(): Promise<void> };
  /** The ports this stack's handlers are made from (the store, for a test that reads the table). */
  ports: AppPorts;
  /** The table's stream, read as Lambda's event source mappings do: `settle()` waits until all caught up. */
  streams: StreamConsumers;
  /** Calls one of this stack's functions directly, as Lambda would. */
  invoke: Invoke;
  /** What this start's resume of earlier jobs read and started. */
  resume: ResumeReport;
  /** The same for complaints. */
  resumedComplaints: ResumeReport;
  /** The outbound webhooks' deliverer runs: `idle()` waits until none is under way. */
  deliveries: LocalDeliveryScheduler;
  /** The business metrics the functions recorded, by name (on AWS they go to CloudWatch). */
  metrics: ReadonlyMap<string, number>;
  stop(): Promise<void>;
}

export async function startStack(opts: StackOptions = {}): Promise<LocalStack> {
  // Everything started is undone in reverse order: by stop(), or at once if starting fails.
  const undo: Array<() => unknown> = [];
  const unwind = async () => {
    for (const step of undo.reverse()) await step();
  };
  const dataDir = opts.dataDir ? resolve(opts.dataDir) : mkdtempSync(join(tmpdir(), 'home-repair-'));
  if (!opts.dataDir) undo.push(() => rmSync(dataDir, { recursive: true, force: true }));
  try {
    const stack = await assemble(dataDir, opts, undo);
    let stopping: Promise<void> | undefined;
    return { ...stack, stop: () => (stopping ??= unwind()) };
  } catch (e) {
    await unwind();
    throw e;
  }
}

async function assemble(dataDir: string, opts: StackOptions, undo: Array<() => unknown>) {
  mkdirSync(join(dataDir, 'dynamodb'), { recursive: true });
  const print = opts.print ?? ((line: string) => console.log(line));
  const dynamo = await startDynamo(join(dataDir, 'dynamodb'), TABLE_NAME);
  undo.push(() => dynamo.stop());

  mkdirSync(join(dataDir, 's3'), { recursive: true });
  const s3 = await startS3(join(dataDir, 's3'));
  undo.push(() => s3.stop());

  const clock = new VirtualClock(opts.clockSpeed ?? 1, join(dataDir, 'clock.json'));
  undo.push(() => clock.stop());
  const outbox = new Outbox(join(dataDir, 'notifications.jsonl'), clock, print);
  const observability = localObservability({ logLevel: opts.logLevel, logEvent: opts.logEvent });
  // The engine calls the task functions, which need the engine (to resume tokens): it looks
  // them up when it first runs a task, after `invoke` exists.
  let invoke: Invoke = async () => {
    throw new Error('the local functions are not built yet');
  };
  // Two machines on one engine group: settle() waits until both are idle.
  const group = new EngineGroup();
  const engine = (asl: string) => ({
    aslPath: join(__dirname, '..', 'statemachines', asl),
    substitutions: stateMachineSubstitutions({
      workflowStepArn: localFunctionArn('workflow-step'),
      awaitMilestoneArn: localFunctionArn('await-milestone'),
      alertsTopicArn: localTopicArn('alerts'),
      tableName: TABLE_NAME,
    }),
    lambdas: Object.fromEntries(
      FUNCTION_NAMES.map((n) => [
        localFunctionArn(n),
        async (p: unknown) => {
          await opts.beforeInvoke?.(n, p);
          return invoke(n, p);
        },
      ]),
    ),
    publish: async (params: Record<string, unknown>) => {
      opts.beforePublish?.(params);
      // A gap bridged here: on AWS an execution outlives a crash between "Alert the managers" and
      // "Mark the alert sent" and simply marks it; a local one does not survive the restart, and its
      // resumed twin would publish again. The outbox (SNS here) knows what went out before.
      if (outbox.publishedBeforeStart(alertIdOf(params))) return;
      outbox.publishRequest(params);
      await opts.afterPublish?.(params);
    },
    dynamodb: dynamo.client,
    clock,
    logger: observability.logger,
    group,
  });
  const workflow = new LocalWorkflow<Step>(engine('repair-job.asl.json'));
  const complaintWorkflow = new LocalWorkflow<ComplaintStep>({
    ...engine('complaint.asl.json'),
    idOnly: (complaintId) => ({ complaintId }),
  });
  undo.push(() => workflow.stop());
  undo.push(() => complaintWorkflow.stop());
  // The local composition root: the same store class on DynamoDB Local, the virtual clock,
  // the outbox for SNS, the local engine for Step Functions.
  const store = new DynamoJobStore(dynamo.client, TABLE_NAME, clock);
  const complaints = new DynamoComplaintStore(dynamo.client, TABLE_NAME, clock);
  // The deliverer runs on the virtual clock's timers; it is stopped before DynamoDB Local.
  const deliveries = new LocalDeliveryScheduler(
    clock,
    (queue) => invoke('deliver-webhooks', queue),
    observability.logger,
  );
  undo.push(() => deliveries.stop());
  const ports: AppPorts = {
    clock,
    logger: observability.logger,
    metrics: observability.metrics,
    settings: { ...DEFAULT_SETTINGS, ...opts.settings },
    store,
    complaints,
    reports: new DynamoReportStore(dynamo.client, TABLE_NAME, clock),
    directory: new DynamoDirectory(dynamo.client, TABLE_NAME, clock),
    files: s3.files,
    notifier: {
      publish: async (about, notice) => {
        opts.beforeNotify?.(about, notice);
        return outbox.publish(about, notice);
      },
    },
    ledger: new DynamoOutboxLedger(new DynamoTable(dynamo.client, TABLE_NAME, clock), clock),
    workflow: startFault(workflow, opts.beforeStart),
    complaintWorkflow: startFault(complaintWorkflow, opts.beforeStart),
    formRenderer: pdfFormRenderer(join(__dirname, '..', FORM_FONT)),
    webhookSecrets: fixedSecrets(opts.webhookSecret ?? DEV_WEBHOOK_SECRET),
    webhooks: new DynamoWebhookStore(dynamo.client, TABLE_NAME, clock),
    sender: httpSender,
    resolve: dnsResolve,
    scheduler: deliveries,
    webhookTargets: opts.webhookTargets ?? 'loopback',
    wallClock: systemClock,
    observability,
    // The poller backs off itself (local/stream.ts), as Lambda's event source does not.
    streamPauseCapMs: 0,
  };
  invoke = invoker(makeHandlers(ports));
  const photoChecks = checkUploads(s3, invoke, observability.logger);
  // Before S3 and DynamoDB Local stop (undo runs backwards): no check is cut off halfway.
  undo.push(() => photoChecks.settle());
  // The table's stream feeds its consumers, as the event source mappings do on AWS: each its own
  // poller and position; stopped before DynamoDB Local (undo runs backwards), after its last batch.
  const poller = (consumer: 'report-stream' | 'outbox-stream', checkpoint: string) =>
    new StreamPoller({
      endpoint: dynamo.endpoint,
      streamArn: () => dynamo.streamArn,
      checkpointPath: join(dataDir, checkpoint),
      consume: (event) => invoke(consumer, event),
      logger: observability.logger,
      onBatch: consumer === 'report-stream' ? opts.onStreamBatch : opts.onOutboxBatch,
      // The outbox's messages outlast an outage: retried while the stream keeps them, as on AWS.
      ...(consumer === 'outbox-stream' && {
        retryAttempts: Number.POSITIVE_INFINITY,
        maxRecordAgeMs: OUTBOX_READING.maxRecordAgeSeconds * 1000,
      }),
    }).start();
  const streams = new StreamConsumers([
    poller('report-stream', 'stream-checkpoint.json'),
    poller('outbox-stream', 'outbox-stream-checkpoint.json'),
  ]);
  undo.push(() => streams.stop());
  // An execution starts from its commit's outbox: a settled workflow has its starts delivered.
  for (const machine of [workflow, complaintWorkflow]) machine.settleWith((ms) => streams.settle(ms));
  const resume = await resumeOpenJobs(store, workflow);
  const resumedComplaints = await resumeOpenComplaints(complaints, complaintWorkflow);
  // The retries' timers died with the last run: every queue with a pending delivery goes again.
  await rearmPending(ports);

  const issuer = new LocalIssuer(join(dataDir, 'jwt.key'));
  const server = createFrontDoor({
    verify: (token) => issuer.verify(token),
    local: localRoutes({ clock, workflow, outbox, issuer }),
    invoke,
    pages: pagesServer(join(dataDir, 'pages'), {
      auth: { kind: 'local' },
      timeZone: ports.settings.timeZone,
    }),
    now: () => clock.now(),
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, '127.0.0.1', () => ok());
  });
  undo.push(() => closeServer(server));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : opts.port}`;
  return {
    url,
    clock,
    workflow,
    complaintWorkflow,
    outbox,
    issuer,
    dynamo,
    s3,
    photoChecks,
    ports,
    streams,
    invoke,
    resume,
    resumedComplaints,
    deliveries,
    metrics: observability.totals,
  };
}

/**
 * A restart continues every job the domain still has a step for: an open job, and an ended one
 * whose alert was queued but not yet published when the stack stopped (soak: needs_follow_up).
 * It reads only those, from the sparse withNextStep index; a job there whose last alert the
 * machine has since confirmed is taken off it. Each execution starts without a step, so it
 * first asks where the job stands.
 */
async function resumeOpenJobs(store: DynamoJobStore, workflow: LocalWorkflow<Step>) {
  return resumeAll({ store, workflow, hasNextStep, idOf: (job) => job.jobId });
}

/** As resumeOpenJobs, for the complaints the workflow still has a step for. */
async function resumeOpenComplaints(store: DynamoComplaintStore, workflow: LocalWorkflow<ComplaintStep>) {
  return resumeAll({ store, workflow, hasNextStep: complaintHasNextStep, idOf: (c) => c.complaintId });
}

/** One machine's resume: every item on its part of the withNextStep index, a page at a time. */
async function resumeAll<T extends { version: number }>(r: {
  store: {
    listWithNextStep(limit: number, nextToken?: string): Promise<{ items: T[]; nextToken?: string }>;
    forgetFinished(id: string, version: number): Promise<void>;
  };
  workflow: { start(id: string): Promise<void> };
  hasNextStep: (item: T) => boolean;
  idOf: (item: T) => string;
}): Promise<ResumeReport> {
  const started = performance.now();
  const report = { read: 0, resumed: 0, ms: 0 };
  let nextToken: string | undefined;
  do {
    const page = await r.store.listWithNextStep(100, nextToken);
    report.read += page.items.length;
    for (const item of page.items)
      if (r.hasNextStep(item)) {
        await r.workflow.start(r.idOf(item));
        report.resumed++;
      } else await r.store.forgetFinished(r.idOf(item), item.version);
    nextToken = page.nextToken;
  } while (nextToken);
  report.ms = performance.now() - started;
  return report;
}

/** What the start's resume did: jobs read from the index, executions started, how long it took. */
export interface ResumeReport {
  read: number;
  resumed: number;
  ms: number;
}

/** A machine whose starts run `before` first (the fault seam of StackOptions.beforeStart). */
function startFault<S>(machine: LocalWorkflow<S>, before: ((id: string) => void) | undefined): Workflow<S> {
  if (!before) return machine;
  return {
    start: async (id, first) => {
      before(id);
      return machine.start(id, first);
    },
    resume: (token, next) => machine.resume(token, next),
  };
}

/**
 * What the EventBridge rule does on AWS (lib/stateless-stack.ts): every object created under the
 * photos bucket's uploads/ goes to check-photo, as the event EventBridge delivers. Each check runs
 * on its own; a failed one is logged (on AWS Lambda's async retries would run it again).
 */
function checkUploads(
  s3: LocalS3,
  invoke: Invoke,
  logger: { error(m: string, e: Record<string, unknown>): void },
) {
  const running = new Set<Promise<unknown>>();
  s3.onObjectCreated((created) => {
    if (created.bucket !== 'photos' || !created.key.startsWith(UPLOAD_PREFIX)) return;
    const event: ObjectCreatedEvent = {
      source: 'aws.s3',
      'detail-type': 'Object Created',
      detail: {
        bucket: { name: localBucketName('photos') },
        object: { key: created.key, size: created.size },
      },
    };
    const check = invoke('check-photo', event)
      .catch((e: unknown) => logger.error('photo check failed', { errorName: (e as Error)?.name }))
      .finally(() => running.delete(check));
    running.add(check);
  });
  return {
    settle: async () => {
      while (running.size) await Promise.all(running);
    },
  };
}

const alertIdOf = (params: Record<string, unknown>) =>
  (params.MessageAttributes as Record<string, { StringValue?: string }> | undefined)?.alertId?.StringValue;

function closeServer(server: Server): Promise<void> {
  return new Promise((ok) => {
    server.close(() => ok());
    server.closeAllConnections();
  });
}
