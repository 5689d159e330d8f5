import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../local/dynamodb';
import { Chaos } from './soak-chaos';
import { checkAll } from './soak-checks';
import { ComplaintDriver } from './soak-complaints';
import { Driver } from './soak-drive';
import { Http, Stats } from './soak-http';
import { type ComplaintRecord, type JobRecord, makePlan } from './soak-model';
import { print, results, write } from './soak-report';
import { Rng } from './soak-rng';
import {
  afterCallbackDeadline,
  afterDeadline,
  beforeDeadline,
  bookingBody,
  complaintsOf,
  nextMondayMorning,
  pool,
} from './soak-scenario';
import { Server } from './soak-server';

// `npm run soak`: many jobs through the whole flow against a real `npm start` child, with
// restarts, faults, duplicate and out-of-order deliveries; then the invariants. Bounded:
// SOAK_SECONDS of rounds (default 120), never more than five minutes in all.
// SOAK_SEED replays the plans and chaos choices; SOAK_JOBS sizes the run.

const HARD_LIMIT_MS = 290_000;
const ROUND = 24;
const CONCURRENCY = 6;
const SLEEPERS = 8;
const CHAOS_GAP_MS = 8000;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  const n = raw ? Number(raw) : fallback;
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name}=${raw} is not a whole number`);
  return n;
}

const started = Date.now();
const seed = envInt('SOAK_SEED', randomBytes(4).readUInt32BE(0));
const jobCount = envInt('SOAK_JOBS', 400);
const budgetMs = Math.min(envInt('SOAK_SECONDS', 120) * 1000, HARD_LIMIT_MS - 60_000);
const work = mkdtempSync(join(tmpdir(), 'home-repair-soak-'));
const dataDir = join(work, 'data');
const elapsed = () => Number(((Date.now() - started) / 1000).toFixed(1));
const events: string[] = [];
const log = (text: string) => {
  events.push(`${elapsed()}s ${text}`);
  console.log(`[${elapsed()}s] ${text}`);
};
let server: Server | undefined;

async function main(): Promise<number> {
  mkdirSync(dataDir);
  const secret = `whsec_${randomBytes(24).toString('base64')}`;
  const env = { TECH_WEBHOOK_SECRET: secret, CLOCK_SPEED: '1', POWERTOOLS_LOG_LEVEL: 'ERROR' };
  server = new Server(await freePort(), dataDir, env, join(work, 'server.log'));
  log(`seed ${seed}, ${jobCount} jobs, rounds for up to ${budgetMs / 1000} s; work folder ${work}`);
  await server.start();
  const rng = new Rng(seed);
  const stats = new Stats();
  const http = new Http(server, secret, stats);
  const staff = {
    agent: await http.token('a-soak', 'agent'),
    manager: await http.token('m-soak', 'manager'),
  };
  await http.advanceTo(nextMondayMorning(await http.now()));
  const d = new Driver(http, seed, staff, elapsed);
  const cd = new ComplaintDriver(d, seed);
  const chaos = new Chaos(server, new Rng(seed ^ 0x5eed), log);
  const jobs: JobRecord[] = [];
  const newJob = async (fate?: JobRecord['plan']['fate']): Promise<JobRecord> => {
    const n = jobs.length;
    const plan = { ...makePlan(rng), ...(fate && { fate, priority: 'urgent' as const }) };
    const job: JobRecord = {
      n,
      resident: `r-soak-${n}`,
      token: '',
      plan,
      jobId: '',
      technician: `t-${n % 9}`,
      arrivalDueAt: 0,
      accepted: [],
      steps: [],
      lastAckAt: 0,
      complaints: [],
    };
    job.token = await http.token(job.resident, 'resident');
    jobs.push(job);
    return job;
  };
  const book = async (batch: JobRecord[]) => {
    const now = await http.now();
    await pool(batch, CONCURRENCY, (j) => d.book(j, bookingBody(j, now)).then(() => undefined));
  };

  chaos.start(CHAOS_GAP_MS);
  let rounds = 0;
  while (jobs.length < jobCount && Date.now() - started < budgetMs) {
    const batch: JobRecord[] = [];
    const size = Math.min(ROUND, jobCount - jobs.length);
    for (let i = 0; i < size; i++) batch.push(await newJob());
    await book(batch);
    await pool(batch, CONCURRENCY, (j) => beforeDeadline(d, j));
    await http.advanceTo(Math.max(...batch.map((j) => j.arrivalDueAt)) + 60_000);
    await pool(batch, CONCURRENCY, async (j) => {
      await afterDeadline(d, j);
      await complaintsOf(cd, j, true);
    });
    rounds++;
    log(`round ${rounds}: ${jobs.length} jobs, ${stats.attempts} requests`);
  }
  await chaos.stop();

  // Timers pending across a crash: jobs waiting for arrival, and every signed job waiting for its callback.
  const sleepers: JobRecord[] = [];
  for (let i = 0; i < SLEEPERS; i++) sleepers.push(await newJob(i % 2 ? 'no_show' : 'never_accepted'));
  await book(sleepers);
  await pool(sleepers, CONCURRENCY, (j) => beforeDeadline(d, j));
  await chaos.restart('sigkill');
  const t = await http.now();
  // Past every complaint's investigation deadline (the end of its business day in Asia/Shanghai,
  // the next one's for a complaint after closing, so at most two days away); their callbacks, 3 days after receipt, are still due. Some late steps
  // are sent while the clock jumps, so they land on either side of the deadline, or between the
  // deadline and its timer.
  const complaints = [...cd.all];
  const racers = new Set(complaints.filter(cd.racesInvestigation));
  const investigationsDue = Math.max(t, ...complaints.map((c) => c.investigationDueAt)) + MINUTE;
  await jumpRacing(http, d, investigationsDue, racers, (c) => cd.afterInvestigationDeadline(c));
  await settle(http);
  await pool(
    complaints.filter((c) => !racers.has(c)),
    CONCURRENCY,
    (c) => cd.afterInvestigationDeadline(c),
  );
  // Two steps, so the agents' reminder (a day before the callback deadline) has its moment; the
  // first also passes every complaint's callback deadline.
  const callbackRacers = new Set(complaints.filter(cd.racesCallback));
  await jumpRacing(http, d, t + 6 * DAY + HOUR, callbackRacers, (c) => cd.afterCallbackDeadline(c));
  await settle(http);
  await http.advanceTo((await http.now()) + DAY + HOUR);
  await settle(http);
  await pool(jobs, CONCURRENCY, (j) => afterCallbackDeadline(d, cd, j));
  await pool(
    complaints.filter((c) => !callbackRacers.has(c)),
    CONCURRENCY,
    (c) => cd.afterCallbackDeadline(c),
  );
  await http.advanceTo((await http.now()) + HOUR);
  await settle(http);
  const end = await http.now();
  log('checking the invariants');
  const { failures, tally } = await checkAll(d, cd, jobs, end);
  await chaos.restart('ctrl-c').catch(() => undefined);
  await server.stop('ctrl-c');
  const orphans = await server.orphans();
  if (orphans.length) chaos.counts.problems.push(`DynamoDB Local (pid ${orphans}) outlived the final Ctrl-C`);
  const base = { seed, elapsedSeconds: Math.round((Date.now() - started) / 1000), jobs: jobs.length, rounds };
  const r = results(base, stats, chaos.counts, d.counts, tally, d.anomalies, failures, events);
  const path = join(work, 'soak-results.json');
  write(r, path);
  print(r, path);
  // The database folder is only worth keeping when something needs looking into.
  if (r.passed) rmSync(dataDir, { recursive: true, force: true });
  return r.passed ? 0 : 1;
}

/** Moves the clock to `target` while `racers` take their next steps at the same time. */
async function jumpRacing(
  http: Http,
  d: Driver,
  target: number,
  racers: Set<ComplaintRecord>,
  step: (c: ComplaintRecord) => Promise<void>,
): Promise<void> {
  d.counts.racedDeadlines += racers.size;
  await Promise.all([http.advanceTo(target), pool([...racers], 12, step)]);
}

/** Waits until every execution is parked again (the clock route answers 200 once settled). */
async function settle(http: Http): Promise<void> {
  for (let i = 0; i < 10; i++) {
    const r = await http.send('POST /_local/clock', () => http.api.local.advanceClock(0));
    if (r.status === 200) return;
  }
  throw new Error('the local workflow did not settle');
}

const hardStop = setTimeout(() => {
  console.error(`soak: over ${HARD_LIMIT_MS / 1000} s, stopping (seed ${seed})`);
  server?.killNow();
  process.exit(2);
}, HARD_LIMIT_MS);
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    server?.killNow();
    process.exit(130);
  });

main()
  .then((code) => {
    clearTimeout(hardStop);
    process.exit(code);
  })
  .catch((e: Error) => {
    console.error(`soak: ${e.stack ?? e.message} (seed ${seed}, work folder ${work})`);
    server?.killNow();
    process.exit(1);
  });
