import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FunctionName } from '../functions/names';
import { OUT_DIR } from './bundle';

// Cold starts: a fresh Node 22 process (process.execPath, the `node` devDependency) per
// run, with the environment a deployed function has. The runner imports the bundle and
// serves one invocation; the time is performance.now() at the end of that invocation,
// i.e. milliseconds since the process started (Node's own boot included, as in Lambda's
// Init + first Invoke, minus the runtime client which is the same for every function).

const RUNNER = `const context = {
  functionName: process.env.AWS_LAMBDA_FUNCTION_NAME, functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:' + process.env.AWS_LAMBDA_FUNCTION_NAME,
  memoryLimitInMB: '512', awsRequestId: 'c0ffee00-0000-4000-8000-000000000001',
  logGroupName: '/aws/lambda/bench', logStreamName: 'bench', callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 10000,
};
const { handler } = await import(process.env.BENCH_BUNDLE);
let outcome;
try {
  const r = await handler(JSON.parse(process.env.BENCH_EVENT), context);
  outcome = r && typeof r === 'object' && 'statusCode' in r ? String(r.statusCode) : 'returned';
} catch (e) {
  outcome = 'threw ' + (e && e.name);
}
const ms = performance.now();
const cpu = process.cpuUsage();
const cpuMs = (cpu.user + cpu.system) / 1000;
process.stdout.write('\\nBENCH_RESULT ' + JSON.stringify({ ms, cpuMs, outcome }) + '\\n');
`;

export function runnerPath(): string {
  mkdirSync(OUT_DIR, { recursive: true });
  const path = join(OUT_DIR, 'cold-start-runner.mjs');
  writeFileSync(path, RUNNER);
  return path;
}

const apiEvent = (routeKey: string, rawPath: string, extra: Record<string, unknown> = {}) => ({
  version: '2.0',
  routeKey,
  rawPath,
  rawQueryString: '',
  headers: { 'content-type': 'application/json', host: 'api.example.com' },
  requestContext: {
    accountId: '123456789012',
    apiId: 'bench',
    domainName: 'api.example.com',
    http: { method: routeKey.split(' ')[0], path: rawPath, protocol: 'HTTP/1.1', sourceIp: '198.51.100.1' },
    requestId: 'bench',
    routeKey,
    stage: '$default',
    time: '23/Nov/2026:08:00:00 +0000',
    timeEpoch: 1795420800000,
  },
  isBase64Encoded: false,
  ...extra,
});

const JOB = '3f7b2a4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b';

/** The first invocation of each function: one that needs no network, and what it answers. */
export const FIRST_INVOCATION: Record<FunctionName, { what: string; event: unknown }> = {
  'create-job': {
    what: 'POST /jobs with a valid booking body but no JWT claims → 401 problem+json',
    event: apiEvent('POST /jobs', '/jobs', {
      body: JSON.stringify({
        unitId: 'B2-1203',
        category: 'plumbing',
        description: 'Kitchen tap leaking',
        priority: 'urgent',
        contactPhone: '+8613800138000',
      }),
    }),
  },
  'get-job': {
    what: 'GET /jobs/{jobId} without JWT claims → 401 problem+json',
    event: apiEvent('GET /jobs/{jobId}', `/jobs/${JOB}`, { pathParameters: { jobId: JOB } }),
  },
  'list-jobs': {
    what: 'GET /jobs without JWT claims → 401 problem+json',
    event: apiEvent('GET /jobs', '/jobs'),
  },
  'job-history': {
    what: 'GET /jobs/{jobId}/history without JWT claims → 401 problem+json',
    event: apiEvent('GET /jobs/{jobId}/history', `/jobs/${JOB}/history`, { pathParameters: { jobId: JOB } }),
  },
  'cancel-job': {
    what: 'POST /jobs/{jobId}/cancel without JWT claims → 401 problem+json',
    event: apiEvent('POST /jobs/{jobId}/cancel', `/jobs/${JOB}/cancel`, {
      pathParameters: { jobId: JOB },
      body: '{"reason":"fixed it"}',
    }),
  },
  'record-callback': {
    what: 'POST /jobs/{jobId}/callback without JWT claims → 401 problem+json',
    event: apiEvent('POST /jobs/{jobId}/callback', `/jobs/${JOB}/callback`, {
      pathParameters: { jobId: JOB },
      body: '{"reached":true,"satisfaction":5,"issueResolved":true}',
    }),
  },
  openapi: {
    what: 'GET /openapi.json → 200 with the OpenAPI document (built at load)',
    event: apiEvent('GET /openapi.json', '/openapi.json'),
  },
  'technician-webhook': {
    what: 'POST /webhooks/technician, a valid event body without the webhook-* signature headers, TECH_WEBHOOK_SECRET set (no Secrets Manager call) → 401 problem+json',
    event: apiEvent('POST /webhooks/technician', '/webhooks/technician', {
      body: JSON.stringify({
        type: 'job.accepted',
        jobId: JOB,
        technicianId: 't-7',
        occurredAt: '2026-11-23T08:00:00.000Z',
        data: { technicianName: 'Wang Wei' },
      }),
    }),
  },
  'await-milestone': {
    what: '{jobId, milestone:"arrival", taskToken} with DYNAMODB_ENDPOINT on a closed local port and AWS_MAX_ATTEMPTS=1: builds the ports, signs and sends one GetItem, ECONNREFUSED → throws UnavailableError (caught)',
    event: { jobId: JOB, milestone: 'arrival', taskToken: 'bench-token' },
  },
  'workflow-step': {
    what: '{action:"load", jobId} with DYNAMODB_ENDPOINT on a closed local port and AWS_MAX_ATTEMPTS=1: builds the ports, signs and sends one GetItem, ECONNREFUSED → throws UnavailableError (caught)',
    event: { action: 'load', jobId: JOB },
  },
};

/** The deployed environment (lib/service-function.ts + lib/repair-functions.ts), with no AWS behind it. */
export function deployedEnv(name: string, closedPort: number, sourceMaps = false): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    LANG: 'C.UTF-8',
    TZ: 'UTC',
    NODE_OPTIONS: sourceMaps ? '--enable-source-maps' : '',
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDBENCHBENCHBENCH0',
    AWS_SECRET_ACCESS_KEY: 'bench-secret-key-bench-secret-key-bench0',
    AWS_SESSION_TOKEN: 'bench-session-token',
    AWS_LAMBDA_FUNCTION_NAME: name,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    POWERTOOLS_SERVICE_NAME: 'home-repair',
    POWERTOOLS_METRICS_NAMESPACE: 'HomeRepair',
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
    TECH_WEBHOOK_SECRET: 'whsec_YmVuY2gtc2VjcmV0LWJlbmNoLXNlY3JldC1iZW5jaA==',
    DYNAMODB_ENDPOINT: `http://127.0.0.1:${closedPort}`,
    AWS_MAX_ATTEMPTS: '1',
  };
}

export interface ColdStart {
  /** performance.now() when the first invocation has answered: wall time since the process started. */
  ms: number;
  /** CPU time (user + system) the process had used by then: far less sensitive to other load on the machine. */
  cpuMs: number;
  outcome: string;
}

/** Cold starts that did not answer within 20 s and were run again (a shared machine stalls now and then). */
export const coldStartRetries: string[] = [];

/** One cold start: a fresh process that loads `bundle` and serves `event` (one retry if it stalls). */
export async function coldStart(
  runner: string,
  bundle: string,
  event: unknown,
  env: Record<string, string>,
  nodeArgs: string[] = [],
): Promise<ColdStart> {
  try {
    return await coldStartOnce(runner, bundle, event, env, nodeArgs);
  } catch (e) {
    coldStartRetries.push(
      `${env.AWS_LAMBDA_FUNCTION_NAME} ${bundle.split('/').slice(-2, -1)[0]}: ${(e as Error).message.slice(0, 300)}`,
    );
    return coldStartOnce(runner, bundle, event, env, nodeArgs);
  }
}

function coldStartOnce(
  runner: string,
  bundle: string,
  event: unknown,
  env: Record<string, string>,
  nodeArgs: string[] = [],
): Promise<ColdStart> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, runner], {
      env: { ...env, BENCH_BUNDLE: bundle, BENCH_EVENT: JSON.stringify(event) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const line = out.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
      if (!line)
        return reject(
          new Error(`cold start exited ${code}; stdout: ${out.slice(-500)}; stderr: ${err.slice(-1500)}`),
        );
      resolve(JSON.parse(line.slice('BENCH_RESULT '.length)) as ColdStart);
    });
  });
}

/**
 * Time per package from a .cpuprofile (Chrome format), largest first. Each sample goes to
 * the nearest frame on its stack that belongs to a package or to the app (so Node
 * internals a module calls while it loads count for that module); samples with no such
 * frame (Node's bootstrap, the ESM loader resolving, reading and compiling files, GC)
 * keep their own name. Frames in the bundle are mapped back through its source map.
 */
export function cpuProfileByPart(
  path: string,
  bundleFile: string,
): { parts: Array<{ part: string; ms: number }>; nodeInternals: Array<{ part: string; ms: number }> } {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as {
    nodes: Array<{
      id: number;
      children?: number[];
      callFrame: { url: string; functionName: string; lineNumber: number; columnNumber: number };
    }>;
    samples: number[];
    timeDeltas: number[];
  };
  const map = new SourceMap(JSON.parse(readFileSync(`${bundleFile}.map`, 'utf8')));
  const bundleUrl = pathToFileURL(bundleFile).href;
  /** [part, kind]: 'owned' is code of a package or of the app; 'node' is one of Node's subsystems. */
  type Kind = 'owned' | 'node' | 'other';
  const partOf = (frame: (typeof profile.nodes)[number]['callFrame']): [string, Kind] => {
    const { url, functionName } = frame;
    if (!url) {
      if (functionName === '(garbage collector)') return ['GC', 'other'];
      if (functionName === '(program)') return ['V8/native, not attributed', 'other'];
      return [`native: ${functionName || '?'}`, 'other'];
    }
    if (url === bundleUrl || url === bundleFile) {
      const entry = map.findEntry(frame.lineNumber, frame.columnNumber) as { originalSource?: string };
      const source = entry.originalSource ?? '';
      const pkg = source.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
      if (pkg) return [`${pkg[1]} (bundled)`, 'owned'];
      const own = source.match(/(functions\/[^/]+)\//);
      return [own ? `${own[1]} (bundled)` : 'bundle, unmapped (esbuild runtime, banner)', 'owned'];
    }
    if (url.startsWith('node:') || url.includes('cold-start-runner')) {
      if (url.includes('source_map')) return ['Node: source maps (--enable-source-maps)', 'node'];
      if (url.includes('internal/modules/'))
        return ['Node: module loader (resolve, read, compile, link)', 'node'];
      return ['Node: built-in modules, bootstrap, other internals', 'node'];
    }
    const pkg = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
    return pkg ? [`${pkg[1]} (external, runtime-provided)`, 'owned'] : [url.replace(/^.*\//, ''), 'owned'];
  };
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const own = new Map(profile.nodes.map((n) => [n.id, partOf(n.callFrame)]));
  const attributed = new Map<number, string>();
  // A sample counts for the nearest package or app frame on its stack, else for the
  // nearest Node subsystem (so JSON.parse under the source-map code is source maps).
  const attribute = (id: number): string => {
    const cached = attributed.get(id);
    if (cached) return cached;
    const [part, kind] = own.get(id) ?? ['?', 'other'];
    let result = part;
    if (kind !== 'owned' && part !== 'GC' && part !== 'V8/native, not attributed') {
      let nearestNode = kind === 'node' ? part : undefined;
      let owner: string | undefined;
      for (let up = parent.get(id); up !== undefined && !owner; up = parent.get(up)) {
        const [p, k] = own.get(up) ?? ['?', 'other'];
        if (k === 'owned') owner = p;
        else if (k === 'node') nearestNode ??= p;
      }
      result = owner ?? nearestNode ?? part;
    }
    attributed.set(id, result);
    return result;
  };
  // Node's own work, by the nearest node: function on the stack (what the loader spends on).
  const internal = (id: number): string | undefined => {
    for (let up: number | undefined = id; up !== undefined; up = parent.get(up)) {
      const frame = byId.get(up)?.callFrame;
      if (frame?.url.startsWith('node:'))
        return `${frame.url.replace('node:internal/', '')} ${frame.functionName}`.trim();
      if (frame?.url) return undefined;
    }
    return undefined;
  };
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parts = new Map<string, number>();
  const internals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    const part = attribute(id);
    parts.set(part, (parts.get(part) ?? 0) + ms);
    const where = internal(id);
    if (where) internals.set(where, (internals.get(where) ?? 0) + ms);
  });
  const sorted = (m: Map<string, number>) =>
    [...m.entries()]
      .filter(([part]) => part !== 'native: (idle)')
      .map(([part, ms]) => ({ part, ms }))
      .sort((a, b) => b.ms - a.ms);
  return { parts: sorted(parts), nodeInternals: sorted(internals) };
}

/** One cold start under --cpu-prof; returns the self time per part. */
export async function profileColdStart(
  runner: string,
  bundle: string,
  event: unknown,
  env: Record<string, string>,
  label: string,
): Promise<{ ms: number } & ReturnType<typeof cpuProfileByPart>> {
  const dir = join(OUT_DIR, 'profiles', label);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const run = await coldStart(runner, bundle, event, env, [
    '--cpu-prof',
    `--cpu-prof-dir=${dir}`,
    '--cpu-prof-interval=100',
  ]);
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no CPU profile for ${label}`);
  return { ms: run.ms, ...cpuProfileByPart(join(dir, file), bundle) };
}
