import { execSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { startStack } from '../local/stack';
import { benchApi } from './api';
import { bundleAll, OUT_DIR, REPO_ROOT } from './bundle';
import { benchColdStarts } from './cold-start';
import { BENCH_SECRET, BenchClient } from './http';
import { benchMemory } from './memory';
import { benchOutbox, OutboxTimes } from './outbox';
import { benchPages } from './pages';
import { progress } from './progress';
import { writeReport } from './report';
import { benchReports } from './reports';
import { benchRestart } from './restart';
import { round } from './stats';
import { benchWorkflow, InvocationCounter } from './workflow';

// `npm run bench`: bundle sizes, cold starts, booking latency and throughput, the workflow's
// counts and cost, memory per open job. Writes bench/results.json and bench/RESULTS.md.
// BENCH_QUICK=1: small counts, written under bench/.out/. BENCH_RENDER=1: only re-render
// RESULTS.md from results.json (after editing ANALYSIS.md or the report).

const QUICK = process.env.BENCH_QUICK === '1';
const OUT = QUICK ? OUT_DIR : __dirname;
const JSON_PATH = join(OUT, QUICK ? 'results.quick.json' : 'results.json');
const MD_PATH = join(OUT, QUICK ? 'RESULTS.quick.md' : 'RESULTS.md');

const PLAN = QUICK
  ? {
      coldRounds: 3,
      api: { bookings: 50, warmup: 5, settled: 10, clients: 32, seconds: 3 },
      outbox: { bookings: 20 },
      memory: { jobs: 300, warmup: 20, chunk: 100 },
      restart: { ended: 2_000, open: 20 },
      pages: { samples: 3 },
      reports: { rounds: 30, warmup: 5 },
    }
  : {
      coldRounds: 10,
      api: { bookings: 500, warmup: 20, settled: 100, clients: 32, seconds: 10 },
      outbox: { bookings: 100 },
      memory: { jobs: 10_000, warmup: 100, chunk: 500 },
      restart: { ended: 20_000, open: 200 },
      pages: { samples: 10 },
      reports: { rounds: 200, warmup: 20 },
    };

/** The shape of results.json. */
export type Results = { run: ReturnType<typeof runInfo> } & Awaited<ReturnType<typeof measure>>;

const git = (args: string) => execSync(`git ${args}`, { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');

/** Paths of fields that are null, undefined or not a finite number: a measurement that failed. */
function emptyFields(value: unknown, path = ''): string[] {
  if (value === null || value === undefined) return [path];
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [path];
  if (typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => emptyFields(v, `${path}.${k}`));
}

async function measure() {
  progress.phase('bundling the functions and the baselines with CDK (local esbuild)');
  const { functions: bundles, baselines } = bundleAll();
  const { functions, ...coldStarts } = await benchColdStarts(bundles, baselines, PLAN.coldRounds);

  // API and workflow on one in-process stack.
  const invocations = new InvocationCounter();
  const outboxTimes = new OutboxTimes();
  progress.phase('starting the local stack (DynamoDB Local, ASL engine, HTTP front door)');
  const stack = await startStack({
    webhookSecret: BENCH_SECRET,
    print: () => {},
    beforeInvoke: async (fn, payload) => {
      outboxTimes.onInvoke(fn, payload);
      await invocations.hook(fn, payload);
    },
    beforeNotify: outboxTimes.onNotify,
    onStreamBatch: invocations.onStreamBatch,
  });
  let api: Awaited<ReturnType<typeof benchApi>>;
  let outbox: Awaited<ReturnType<typeof benchOutbox>>;
  let workflow: Awaited<ReturnType<typeof benchWorkflow>>;
  let reports: Awaited<ReturnType<typeof benchReports>>;
  try {
    const client = new BenchClient(stack);
    api = await benchApi(client, PLAN.api);
    outbox = await benchOutbox(client, outboxTimes, PLAN.outbox);
    workflow = await benchWorkflow(client, invocations);
    reports = await benchReports(client, PLAN.reports);
  } finally {
    progress.update('stopping the stack');
    await stack.stop();
  }
  const memory = await benchMemory(PLAN.memory);
  const restart = await benchRestart(PLAN.restart);
  const pages = await benchPages(PLAN.pages);
  return { functions, coldStarts, api, outbox, workflow, reports, memory, restart, pages };
}

/** Where and when: the commit measured, the machine and its load. */
function runInfo() {
  return {
    quick: QUICK,
    startedAt: new Date().toISOString(),
    seconds: 0,
    commit: git('rev-parse --short HEAD'),
    /** Uncommitted files under the code measured, when the run started. */
    workingTreeChanges: git('status --porcelain -- functions lib local statemachines')
      .split('\n')
      .filter(Boolean).length,
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? '',
    loadBefore: load(),
    loadAfter: '',
    plan: PLAN,
  };
}

async function main() {
  if (process.env.BENCH_RENDER === '1') {
    writeFileSync(MD_PATH, writeReport(JSON.parse(readFileSync(JSON_PATH, 'utf8')) as Results));
    return;
  }
  const run = runInfo();
  progress.phase(`${QUICK ? 'QUICK run' : 'full run'} on ${run.cpus} cores, load ${run.loadBefore}`);
  const measured = await measure();
  run.seconds = round(progress.elapsedSeconds(), 0);
  run.loadAfter = load();
  const results: Results = { run, ...measured };
  mkdirSync(OUT, { recursive: true });
  writeFileSync(JSON_PATH, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(MD_PATH, writeReport(results));
  process.stdout.write(`wrote ${JSON_PATH} and ${MD_PATH} in ${run.seconds} s\n`);
  const empty = emptyFields(results);
  if (empty.length) throw new Error(`fields without a measurement: ${empty.join(', ')}`);
}

main().catch((e: Error) => {
  process.stderr.write(`bench failed: ${e.stack ?? e.message}\n`);
  process.exit(1);
});
