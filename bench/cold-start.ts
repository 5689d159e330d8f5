import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { marshall } from '@aws-sdk/util-dynamodb';
import { jobItem } from '../functions/adapters/dynamo-job-store';
import { jobKey } from '../functions/adapters/table-layout';
import { bookJob } from '../functions/domain/lifecycle';
import { policyFor } from '../functions/domain/policy';
import type { BookingRequest } from '../functions/domain/schemas';
import { FUNCTION_NAMES, type FunctionName, METRICS_NAMESPACE, SERVICE_NAME } from '../functions/names';
import { freePort } from '../local/dynamodb';
import { apiEvent } from '../local/server';
import { urgentBooking } from '../test/support/client';
import { type BaselineKind, type Bundle, baselineKindOf } from './bundle';
import { bar, progress } from './progress';
import { median, round } from './stats';

// Cold starts: a fresh Node 22 process (process.execPath, the `node` devDependency) per run,
// with a deployed function's environment; bench/cold-start-runner.mjs imports the bundle,
// serves one invocation and reports milliseconds since the process started (Lambda's Init +
// first Invoke, minus the runtime client, which is the same for every function).

export type ColdStartResult = Awaited<ReturnType<typeof benchColdStarts>>;
export type FunctionResult = ColdStartResult['functions'][number];

const RUNNER = join(__dirname, 'cold-start-runner.mjs');
const run = promisify(execFile);
const JOB = '3f7b2a4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b';

const request = (routeKey: string, path: string, body?: unknown) =>
  apiEvent({
    routeKey,
    method: routeKey.split(' ')[0] as string,
    url: new URL(`https://api.example.com${path}`),
    headers: { 'content-type': 'application/json', host: 'api.example.com' },
    pathParameters: path.includes(JOB) ? { jobId: JOB } : undefined,
    body: body === undefined ? undefined : JSON.stringify(body),
    sourceIp: '198.51.100.1',
    claims: null,
  });

/** The stream record of a booking, as the event source mapping delivers it to report-stream. */
const bookingRecord = () => {
  const { job } = bookJob(
    { ...urgentBooking(), locale: 'zh-CN' } as BookingRequest,
    { sub: 'r-1001', role: 'resident' },
    JOB,
    new Date('2026-11-23T08:00:00.000Z'),
    {},
    policyFor({ policy: { default: { quickFixWaiver: false } }, timeZone: 'Asia/Shanghai' }, 'B2', null),
  );
  return {
    eventID: 'c0ffee00-0000-4000-8000-000000000002',
    eventName: 'INSERT',
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-1',
    eventSourceARN:
      'arn:aws:dynamodb:us-east-1:123456789012:table/home-repair-bench/stream/2026-11-23T00:00:00.000',
    dynamodb: {
      Keys: marshall(jobKey(JOB)),
      NewImage: marshall(jobItem(job), { removeUndefinedValues: true }),
      SequenceNumber: '100000000000000000001',
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  };
};

// A first invocation that needs no network. The API routes get no JWT claims and the webhook
// no signature, so they answer 401; the state-machine functions build their ports and send
// one GetItem to a closed port (AWS_MAX_ATTEMPTS=1), so they throw UnavailableError; the
// stream consumer's one TransactWriteItems fails the same way, and it reports the record failed.
const FIRST_INVOCATION: Record<FunctionName, unknown> = {
  'create-job': request('POST /jobs', '/jobs', urgentBooking()),
  'get-job': request('GET /jobs/{jobId}', `/jobs/${JOB}`),
  'list-jobs': request('GET /jobs', '/jobs'),
  'job-history': request('GET /jobs/{jobId}/history', `/jobs/${JOB}/history`),
  'cancel-job': request('POST /jobs/{jobId}/cancel', `/jobs/${JOB}/cancel`, { reason: 'fixed it' }),
  'reschedule-job': request('POST /jobs/{jobId}/reschedule', `/jobs/${JOB}/reschedule`, {
    appointment: { start: '2026-11-25T01:00:00.000Z', end: '2026-11-25T03:00:00.000Z' },
    consent: 'phone',
  }),
  'record-callback': request('POST /jobs/{jobId}/callback', `/jobs/${JOB}/callback`, {
    reached: true,
    satisfaction: 5,
    issueResolved: true,
  }),
  'rate-job': request('POST /jobs/{jobId}/rating', `/jobs/${JOB}/rating`, { score: 5 }),
  'open-follow-up': request('POST /jobs/{jobId}/follow-up', `/jobs/${JOB}/follow-up`, {
    appointment: { start: '2026-11-25T01:00:00.000Z', end: '2026-11-25T03:00:00.000Z' },
  }),
  'assign-job': request('POST /jobs/{jobId}/assign', `/jobs/${JOB}/assign`, { technicianId: 't-7' }),
  'add-photo': request('POST /jobs/{jobId}/photos', `/jobs/${JOB}/photos`, {
    contentType: 'image/jpeg',
    bytes: 1000,
  }),
  'file-complaint': request('POST /complaints', '/complaints', {
    jobId: JOB,
    category: 'quality',
    description: 'Still leaking',
  }),
  'read-complaints': request('GET /complaints/{complaintId}', `/complaints/${JOB}`),
  'handle-complaint': request(
    'POST /complaints/{complaintId}/investigation',
    `/complaints/${JOB}/investigation`,
    {
      findings: 'f',
      cause: 'c',
      handler: 'h',
      result: 'r',
    },
  ),
  'monthly-report': request('GET /reports/monthly', '/reports/monthly?month=2026-11'),
  'manage-directory': request('GET /technicians', '/technicians'),
  openapi: request('GET /openapi.json', '/openapi.json'),
  'technician-webhook': request('POST /webhooks/technician', '/webhooks/technician', {
    type: 'job.accepted',
    jobId: JOB,
    technicianId: 't-7',
    occurredAt: '2026-11-23T08:00:00.000Z',
    data: { technicianName: 'Wang Wei' },
  }),
  'await-milestone': { subject: 'job', id: JOB, milestone: 'arrival', taskToken: 'bench-token' },
  'workflow-step': { subject: 'job', action: 'load', id: JOB },
  'report-stream': { Records: [bookingRecord()] },
  'outbox-stream': { Records: [bookingRecord()] },
  'manage-webhooks': request('GET /integrations/webhooks', '/integrations/webhooks'),
  // One Query of the queue's partition to a closed port: UnavailableError.
  'deliver-webhooks': { endpointId: 'ep_AAAAAAAAAAAAAAAA', subject: { kind: 'job', id: JOB } },
  'check-photo': {
    source: 'aws.s3',
    'detail-type': 'Object Created',
    detail: { bucket: { name: 'photos' }, object: { key: `uploads/${JOB}/${JOB}`, size: 1000 } },
  },
};

/** The deployed environment (lib/service-function.ts, lib/repair-functions.ts), no AWS behind it. */
function deployedEnv(name: string, closedPort: number): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    LANG: 'C.UTF-8',
    TZ: 'UTC',
    NODE_OPTIONS: '',
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDBENCHBENCHBENCH0',
    AWS_SECRET_ACCESS_KEY: 'bench-secret-key-bench-secret-key-bench0',
    AWS_SESSION_TOKEN: 'bench-session-token',
    AWS_LAMBDA_FUNCTION_NAME: name,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
    POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
    POWERTOOLS_LOG_LEVEL: 'INFO',
    // No X-Ray daemon or CloudWatch agent here.
    POWERTOOLS_TRACE_ENABLED: 'false',
    POWERTOOLS_METRICS_DISABLED: 'true',
    TABLE_NAME: 'home-repair-bench',
    TIME_ZONE: 'Asia/Shanghai',
    STAFF_LOCALE: 'zh-CN',
    PROPERTY_POLICY: '{"default":{"quickFixWaiver":false}}',
    ALERTS_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:alerts',
    RESIDENTS_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:residents',
    TECHNICIANS_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:technicians',
    STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:123456789012:stateMachine:repair-job',
    // Set, so the webhook's 401 needs no Secrets Manager call.
    TECH_WEBHOOK_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:webhook',
    DYNAMODB_ENDPOINT: `http://127.0.0.1:${closedPort}`,
    AWS_MAX_ATTEMPTS: '1',
  };
}

type Run = { ms: number; outcome: string };

async function coldStartOnce(bundle: string, event: unknown, env: Record<string, string>): Promise<Run> {
  const { stdout } = await run(process.execPath, [RUNNER], {
    env: { ...env, BENCH_BUNDLE: bundle, BENCH_EVENT: JSON.stringify(event) },
    timeout: 20_000,
    killSignal: 'SIGKILL',
  });
  const line = stdout.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
  if (!line) throw new Error(`the cold start printed no result: ${stdout.slice(-500)}`);
  return JSON.parse(line.slice('BENCH_RESULT '.length)) as Run;
}

/** Every function paired with its bare-handler baseline, round after round. */
export async function benchColdStarts(
  bundles: Map<FunctionName, Bundle>,
  baselines: Map<BaselineKind, Bundle>,
  rounds: number,
) {
  progress.phase('cold starts: a fresh Node process per run, each function paired with its baseline');
  const closedPort = await freePort();
  const retries: string[] = [];
  // A shared machine stalls now and then: one retry, recorded.
  const coldStart = async (bundle: string, event: unknown, env: Record<string, string>) => {
    try {
      return await coldStartOnce(bundle, event, env);
    } catch (e) {
      retries.push(`${env.AWS_LAMBDA_FUNCTION_NAME}: ${(e as Error).message.slice(0, 300)}`);
      return coldStartOnce(bundle, event, env);
    }
  };
  const samples = new Map(FUNCTION_NAMES.map((n) => [n, { fn: [] as number[], base: [] as number[] }]));
  const outcomes = new Map<FunctionName, string>();
  let done = 0;
  // One extra round first: it warms the file cache and is dropped.
  for (let r = 0; r <= rounds; r++) {
    for (let i = 0; i < FUNCTION_NAMES.length; i++) {
      const name = FUNCTION_NAMES[(i + r) % FUNCTION_NAMES.length] as FunctionName;
      const env = deployedEnv(name, closedPort);
      const runFn = () => coldStart(bundles.get(name)?.file as string, FIRST_INVOCATION[name], env);
      const runBase = () => coldStart(baselines.get(baselineKindOf(name))?.file as string, {}, env);
      // Back to back, in alternating order, so both see the same load and the same file cache.
      const first = r % 2 ? await runBase() : await runFn();
      const second = r % 2 ? await runFn() : await runBase();
      const [fn, base] = r % 2 ? [second, first] : [first, second];
      outcomes.set(name, fn.outcome);
      if (r > 0) {
        samples.get(name)?.fn.push(fn.ms);
        samples.get(name)?.base.push(base.ms);
      }
      progress.update(bar(++done, (rounds + 1) * FUNCTION_NAMES.length, name));
    }
  }
  const functions = FUNCTION_NAMES.map((name) => {
    const initMs = median(samples.get(name)?.fn ?? []);
    const baselineInitMs = median(samples.get(name)?.base ?? []);
    return {
      name,
      bundleBytes: bundles.get(name)?.bytes ?? 0,
      initMs: round(initMs, 1),
      baselineInitMs: round(baselineInitMs, 1),
      initRatio: round(initMs / baselineInitMs, 2),
      baseline: baselineKindOf(name),
      /** What the first invocation answered: a status code, or the error it threw. */
      firstInvocation: outcomes.get(name) ?? '',
    };
  });
  progress.note(`init ratios: ${functions.map((f) => `${f.name} ${f.initRatio}`).join(', ')}`);
  /** retries: cold starts that stalled (no answer in 20 s) and were run again. */
  return { functions, rounds, retries };
}
