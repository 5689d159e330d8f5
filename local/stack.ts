import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { JobStore } from '../functions/domain/ports';
import { nextPhase } from '../functions/domain/sla';
import { FUNCTION_NAMES, type FunctionName } from '../functions/names';
import { VirtualClock } from './clock';
import { DEV_WEBHOOK_SECRET } from './defaults';
import { type LocalDynamo, startDynamo } from './dynamodb';
import { LocalWorkflow } from './engine';
import { invoke, localFunctionArn } from './functions';
import { LocalIssuer } from './jwt';
import { localRoutes } from './local-routes';
import { localTopicArn, Outbox } from './outbox';
import { createFrontDoor } from './server';

// `npm start`, the tests and the demo all run this: DynamoDB Local, the real ASL on
// aws-local-stepfunctions, the virtual clock, the SNS outbox, the JWT issuer and the
// HTTP front door, wired to the same handlers CDK deploys.

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
  /** Runs before every SNS publish the state machine makes; throwing makes that attempt fail. */
  beforePublish?: (params: Record<string, unknown>) => void;
}

export interface LocalStack {
  url: string;
  clock: VirtualClock;
  workflow: LocalWorkflow;
  outbox: Outbox;
  issuer: LocalIssuer;
  dynamo: LocalDynamo;
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
  Object.assign(process.env, {
    TABLE_NAME,
    DYNAMODB_ENDPOINT: dynamo.endpoint,
    AWS_REGION: 'local',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    TECH_WEBHOOK_SECRET: opts.webhookSecret ?? DEV_WEBHOOK_SECRET,
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
    // No X-Ray daemon or CloudWatch here: the handlers' tracer and EMF metrics stay quiet.
    POWERTOOLS_TRACE_ENABLED: 'false',
    POWERTOOLS_METRICS_DISABLED: 'true',
  });

  const clock = new VirtualClock(opts.clockSpeed ?? 1, join(dataDir, 'clock.json'));
  undo.push(() => clock.stop());
  const outbox = new Outbox(join(dataDir, 'notifications.jsonl'), clock, print);
  const { installLocalPorts, getPorts } = await import('../functions/adapters/runtime');
  const { logger } = await import('../functions/adapters/observability');
  const workflow = new LocalWorkflow({
    aslPath: join(__dirname, '..', 'statemachines', 'repair-job.asl.json'),
    substitutions: {
      WorkflowStepFunctionArn: localFunctionArn('workflow-step'),
      AwaitMilestoneFunctionArn: localFunctionArn('await-milestone'),
      AlertsTopicArn: localTopicArn('alerts'),
      TableName: TABLE_NAME,
    },
    lambdas: Object.fromEntries(
      FUNCTION_NAMES.map((n) => [
        localFunctionArn(n),
        async (p: unknown) => {
          await opts.beforeInvoke?.(n, p);
          return invoke(n, p);
        },
      ]),
    ),
    publish: (params) => {
      opts.beforePublish?.(params);
      outbox.publishRequest(params);
    },
    dynamodb: dynamo.client,
    clock,
    logger,
  });
  undo.push(() => workflow.stop());
  installLocalPorts({ clock, notifier: outbox, workflow });
  await resumeOpenJobs(getPorts().store, workflow, clock);

  const issuer = new LocalIssuer(join(dataDir, 'jwt.key'));
  const server = createFrontDoor({
    verify: (token) => issuer.verify(token),
    local: localRoutes({ clock, workflow, outbox, issuer }),
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, '127.0.0.1', () => ok());
  });
  undo.push(() => closeServer(server));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : opts.port}`;
  return { url, clock, workflow, outbox, issuer, dynamo };
}

/**
 * A restart continues every job the domain still has a step for: an open job, and an ended one
 * whose alert was queued but not yet published when the stack stopped (soak: needs_follow_up).
 * Its execution starts without a step, so LoadJob reads where the job is.
 */
async function resumeOpenJobs(store: JobStore, workflow: LocalWorkflow, clock: VirtualClock) {
  let nextToken: string | undefined;
  do {
    const page = await store.list({ limit: 100, nextToken });
    for (const job of page.items)
      if (nextPhase(job, clock.now()).phase !== 'done') await workflow.start(job.jobId);
    nextToken = page.nextToken;
  } while (nextToken);
}

function closeServer(server: Server): Promise<void> {
  return new Promise((ok) => {
    server.close(() => ok());
    server.closeAllConnections();
  });
}
