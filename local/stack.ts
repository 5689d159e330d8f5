import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AppError } from '../functions/domain/errors';
import { FINAL } from '../functions/domain/sla';
import { STATUSES } from '../functions/domain/types';
import { problem } from '../functions/http/problem';
import { parseWith } from '../functions/http/request';
import { VirtualClock } from './clock';
import { DEV_WEBHOOK_SECRET } from './defaults';
import { type LocalDynamo, startDynamo } from './dynamodb';
import { LocalWorkflow } from './engine';
import { FUNCTION_NAMES, type FunctionName, invoke, localFunctionArn } from './functions';
import { LocalIssuer } from './jwt';
import { localTopicArn, Outbox } from './outbox';
import { clockRequestSchema, createFrontDoor, tokenRequestSchema } from './server';

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
  const temporary = !opts.dataDir;
  const dataDir = opts.dataDir ? resolve(opts.dataDir) : mkdtempSync(join(tmpdir(), 'home-repair-'));
  mkdirSync(join(dataDir, 'dynamodb'), { recursive: true });
  const print = opts.print ?? ((line: string) => console.log(line));

  const dynamo = await startDynamo(join(dataDir, 'dynamodb'), TABLE_NAME);
  Object.assign(process.env, {
    TABLE_NAME,
    DYNAMODB_ENDPOINT: dynamo.endpoint,
    AWS_REGION: 'local',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    TECH_WEBHOOK_SECRET: opts.webhookSecret ?? DEV_WEBHOOK_SECRET,
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
  });

  const clock = new VirtualClock(opts.clockSpeed ?? 1, join(dataDir, 'clock.json'));
  const outbox = new Outbox(join(dataDir, 'notifications.jsonl'), clock, print);
  const { installLocalPorts, getPorts, logger } = await import('../functions/adapters/runtime');
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
    publish: (params) => outbox.publishRequest(params),
    dynamodb: dynamo.client,
    clock,
    logger,
  });
  installLocalPorts({ clock, notifier: outbox, workflow });
  await resumeOpenJobs(getPorts().store, workflow);

  const issuer = new LocalIssuer(join(dataDir, 'jwt.key'));
  const server = createFrontDoor({
    verify: (token) => issuer.verify(token),
    local: (method, path, query, body) =>
      localRoute(method, path, query, body, { clock, workflow, outbox, issuer }),
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, '127.0.0.1', () => ok());
  });
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : opts.port}`;

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await closeServer(server);
    workflow.stop();
    clock.stop();
    await dynamo.stop();
    if (temporary) rmSync(dataDir, { recursive: true, force: true });
  };
  return { url, clock, workflow, outbox, issuer, dynamo, stop };
}

/** A restart continues every open job: the machine's first states re-read where the job is. */
async function resumeOpenJobs(store: import('../functions/domain/ports').JobStore, workflow: LocalWorkflow) {
  for (const status of STATUSES.filter((s) => !FINAL.includes(s))) {
    let nextToken: string | undefined;
    do {
      const page = await store.list({ status, limit: 100, nextToken });
      for (const job of page.items) await workflow.start(job.jobId);
      nextToken = page.nextToken;
    } while (nextToken);
  }
}

function closeServer(server: Server): Promise<void> {
  return new Promise((ok) => {
    server.close(() => ok());
    server.closeAllConnections();
  });
}

interface LocalParts {
  clock: VirtualClock;
  workflow: LocalWorkflow;
  outbox: Outbox;
  issuer: LocalIssuer;
}

async function localRoute(
  method: string,
  path: string,
  query: URLSearchParams,
  body: unknown,
  parts: LocalParts,
): Promise<[number, unknown] | null> {
  try {
    const route = `${method} ${path}`;
    switch (route) {
      case 'GET /_local/clock':
        return [200, { now: parts.clock.now().toISOString() }];
      case 'POST /_local/clock': {
        const { advanceSeconds } = parseWith(clockRequestSchema, body, 'request body');
        const now = parts.clock.advance(advanceSeconds);
        await parts.workflow.settle();
        return [200, { now: now.toISOString() }];
      }
      case 'GET /_local/notifications':
        return [
          200,
          {
            items: parts.outbox.list({
              topic: query.get('topic') ?? undefined,
              jobId: query.get('jobId') ?? undefined,
            }),
          },
        ];
      case 'POST /_local/tokens': {
        const t = parseWith(tokenRequestSchema, body, 'request body');
        const claims: Record<string, string> = { sub: t.sub, 'custom:role': t.role };
        if (t.name) claims.name = t.name;
        if (t.phone) claims.phone_number = t.phone;
        return [201, { token: parts.issuer.issue(claims) }];
      }
      default:
        return null;
    }
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    const out = problem(e);
    return [out.statusCode ?? 500, JSON.parse(String(out.body))];
  }
}
