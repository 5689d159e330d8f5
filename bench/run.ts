import { execSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { FUNCTION_NAMES } from '../functions/names';
import { startStack } from '../local/stack';
import { type ApiResult, benchApi } from './api';
import {
  type BaselineKind,
  bundleAll,
  bundleReplica,
  composition,
  OUT_DIR,
  REPO_ROOT,
  ZOD_NAMESPACE_IMPORT,
  zodLocaleBytes,
} from './bundle';
import { benchColdStarts } from './cold-bench';
import { BENCH_SECRET, BenchClient } from './http';
import { benchMemory, type MemoryResult } from './memory';
import { progress } from './progress';
import { writeReport } from './report';
import { round } from './stats';
import type { Plan, Results } from './types';
import { benchWorkflow, InvocationCounter, type WorkflowResult } from './workflow';

// `npm run bench`: bundles, cold starts, API latency and throughput, the workflow's
// counts and cost, and open jobs in memory. Writes bench/results.json and
// bench/RESULTS.md. BENCH_QUICK=1: small counts, written under bench/.out/ instead.

const QUICK = process.env.BENCH_QUICK === '1';

const PLAN: Plan = QUICK
  ? {
      coldRounds: 3,
      whatIfRounds: 2,
      api: { bookings: 50, warmup: 5, settled: 10, clients: 32, seconds: 3 },
      workflow: { jobs: 8, inFlight: 4 },
      memory: { jobs: 300, warmup: 20, concurrency: 16, chunk: 100, mode: 'seed' as const },
      memoryWhatIfJobs: 200,
    }
  : {
      coldRounds: 10,
      whatIfRounds: 7,
      api: { bookings: 500, warmup: 20, settled: 100, clients: 32, seconds: 10 },
      workflow: { jobs: 100, inFlight: 16 },
      memory: { jobs: 10_000, warmup: 100, concurrency: 16, chunk: 500, mode: 'seed' as const },
      memoryWhatIfJobs: 2_000,
    };

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const uptime = () => {
  try {
    return execSync('uptime', { encoding: 'utf8' }).trim();
  } catch {
    return `load average: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(', ')}`;
  }
};

/** BENCH_RENDER=1: rewrite RESULTS.md from results.json (after a change to the report's wording). */
function render(): void {
  const dir = QUICK ? OUT_DIR : __dirname;
  const results = JSON.parse(
    readFileSync(join(dir, QUICK ? 'results.quick.json' : 'results.json'), 'utf8'),
  ) as Results;
  writeFileSync(join(dir, QUICK ? 'RESULTS.quick.md' : 'RESULTS.md'), writeReport(results));
}

async function main() {
  if (process.env.BENCH_RENDER === '1') return render();
  const startedAt = new Date();
  const loadBefore = uptime();
  progress.phase(`${QUICK ? 'QUICK run' : 'full run'} on ${cpus().length} cores; ${loadBefore}`);

  // --- bundles ---
  progress.phase('bundling the 10 functions and 3 baselines with CDK (NodejsFunction, local esbuild)');
  const { functions: bundles, baselines } = bundleAll();
  progress.update('checking the esbuild-API replica gives the same bytes, and the zod what-if');
  const replicaMismatches: string[] = [];
  const whatIf: Record<string, { bundleBytes: number; file: string; same: boolean }> = {};
  for (const name of FUNCTION_NAMES) {
    const cdk = bundles.get(name);
    const replica = await bundleReplica(name);
    if (!cdk || sha(cdk.file) !== sha(replica.file)) replicaMismatches.push(name);
    const variant = await bundleReplica(name, ZOD_NAMESPACE_IMPORT);
    whatIf[name] = {
      bundleBytes: variant.bytes,
      file: variant.file,
      same: sha(variant.file) === sha(replica.file),
    };
  }
  progress.note(
    `bundles: ${[...bundles.values()].map((b) => `${(b.bytes / 1024).toFixed(0)}K`).join(' ')}; replica ${replicaMismatches.length ? `differs for ${replicaMismatches.join(', ')}` : 'identical'}`,
  );

  // --- cold starts ---
  const cold = await benchColdStarts(bundles, baselines, whatIf, PLAN);
  const functions = cold.functions;

  // --- API and workflow on one in-process stack ---
  const invocations = new InvocationCounter();
  progress.phase('starting the local stack (DynamoDB Local, ASL engine, HTTP front door)');
  const stack = await startStack({
    webhookSecret: BENCH_SECRET,
    print: () => {},
    beforeInvoke: invocations.hook,
  });
  let api: ApiResult;
  let workflow: WorkflowResult;
  try {
    const client = new BenchClient(stack);
    api = await benchApi(client, PLAN.api);
    workflow = await benchWorkflow(client, invocations, PLAN.workflow);
  } finally {
    progress.update('stopping the stack');
    await stack.stop();
  }

  // --- memory ---
  const memory: MemoryResult = await benchMemory(PLAN.memory);
  // What-if: the same with cls-hooked's async hook inert (fewer jobs: a per-job figure).
  const memoryNoXrayHook: MemoryResult = await benchMemory({
    ...PLAN.memory,
    jobs: PLAN.memoryWhatIfJobs,
    noXrayHook: true,
  });

  const loadAfter = uptime();
  const seconds = round(progress.elapsedSeconds(), 0);
  const commit = execSync('git rev-parse --short HEAD', { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
  const dirty = execSync('git status --porcelain -- functions lib local statemachines', {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  }).trim();

  const results: Results = {
    functions,
    api: {
      bookP50Ms: api.bookP50Ms,
      bookP99Ms: api.bookP99Ms,
      bookPerSecond: api.bookPerSecond,
      rawPutItemP50Ms: api.rawPutItemP50Ms,
    },
    workflow: {
      transitionsPerJob: workflow.transitionsPerJob,
      lambdaInvocationsPerJob: workflow.lambdaInvocationsPerJob,
      dynamoWritesPerJob: workflow.dynamoWritesPerJob,
      snsPublishesPerJob: workflow.snsPublishesPerJob,
      costPer1000JobsUsd: workflow.costPer1000JobsUsd,
      jobsPerSecond: workflow.jobsPerSecond,
    },
    memory: { openJobs: memory.openJobs, rssBytesPerOpenJob: memory.rssBytesPerOpenJob },
    run: {
      quick: QUICK,
      startedAt: startedAt.toISOString(),
      seconds,
      commit,
      workingTreeChanges: dirty ? dirty.split('\n').length : 0,
      node: process.version,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? '',
      loadBefore,
      loadAfter,
      plan: PLAN,
    },
    details: {
      bundles: {
        replicaIdenticalToCdk: replicaMismatches.length === 0,
        replicaMismatches,
        mapBytes: Object.fromEntries([...bundles].map(([n, b]) => [n, b.mapBytes])),
        baselineBytes: Object.fromEntries([...baselines].map(([k, b]) => [k, b.bytes])) as Record<
          BaselineKind,
          number
        >,
        zodLocaleBytes: Object.fromEntries([...bundles].map(([n, b]) => [n, zodLocaleBytes(b)])),
        composition: Object.fromEntries([...bundles].map(([n, b]) => [n, composition(b).slice(0, 8)])),
        whatIfZodNamespaceImport: Object.fromEntries(
          Object.entries(whatIf).map(([n, v]) => [n, v.bundleBytes]),
        ),
      },
      coldStarts: cold.details,
      api: api.details,
      workflow: workflow.details,
      memory: memory.details,
      memoryWhatIfNoXrayHook: {
        openJobs: memoryNoXrayHook.openJobs,
        rssBytesPerOpenJob: memoryNoXrayHook.rssBytesPerOpenJob,
        heapBytesPerOpenJob: memoryNoXrayHook.details.heapBytesPerOpenJob,
        bookingsPerSecond: memoryNoXrayHook.details.bookingsPerSecond,
      },
    },
  };

  const outDir = QUICK ? OUT_DIR : __dirname;
  mkdirSync(outDir, { recursive: true });
  const jsonPath = join(outDir, QUICK ? 'results.quick.json' : 'results.json');
  const mdPath = join(outDir, QUICK ? 'RESULTS.quick.md' : 'RESULTS.md');
  writeFileSync(jsonPath, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(mdPath, writeReport(results));
  progress.done();
  process.stdout.write(`wrote ${jsonPath} and ${mdPath} in ${seconds} s\n`);
}

main().catch((e: Error) => {
  progress.done();
  process.stderr.write(`bench failed: ${e.stack ?? e.message}\n`);
  process.exit(1);
});
