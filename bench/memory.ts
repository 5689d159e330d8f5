import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalIssuer } from '../local/jwt';
import { Client, regularBooking } from '../test/support/client';
import { BENCH_SECRET } from './http';
import { bar, progress } from './progress';
import { round } from './stats';

/** Why 'seed' is the default (RESULTS.md quotes it with this run's rates). */
export function seedWhy(bookPerSecond: number, warmupPerSecond: number, seededPerSecond: number): string {
  const minutes = (rate: number) => (10_000 / rate / 60).toFixed(1);
  return (
    'Booking every open job over HTTP is bounded by DynamoDB Local, which answers one request at a time (its JVM ' +
    'keeps about one of the two cores busy however many clients wait): a booking costs it two TransactWriteItems and ' +
    'two GetItems (the booking, then LoadJob and AwaitArrival storing the task token), and calling the create-job ' +
    'handler in-process instead of over HTTP measured no faster, since the handler is not the bottleneck. ' +
    `This run booked ${bookPerSecond}/s with 32 clients (their executions still catching up afterwards) and its ` +
    `memory warm-up ${warmupPerSecond}/s, i.e. ${minutes(bookPerSecond)}–${minutes(warmupPerSecond)} minutes for 10,000; ` +
    "with other engineers' tests on the machine, development runs managed 20–28/s (6–8 minutes), which does not " +
    'fit the 10-minute budget next to the other phases. So each open job is what create-job leaves behind, written ' +
    'faster: the job and history items of a real booking (captured from its TransactWriteItems) copied under a new ' +
    'jobId with BatchWriteItem, then what create-job does after its write: workflow.start(jobId) and the same two ' +
    `notices into the outbox (${seededPerSecond}/s here). The executions are the real ones (LoadJob, Route, AwaitArrival ` +
    'storing its token and parking with its timer on the virtual clock). The warm-up jobs are booked over HTTP.'
  );
}

// How many jobs can wait at once, and what each costs in memory: a child process runs the
// local stack (--expose-gc); this process books over HTTP, so the client's memory is not
// in the child's RSS. Jobs are regular bookings two days ahead: each execution parks in
// AwaitArrival with its SLA timer on the virtual clock. DynamoDB Local's JVM is another
// process and is not counted.

interface Measured {
  type: 'measured';
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  running: number;
  idle: boolean;
  outbox: number;
}

export interface MemoryResult {
  openJobs: number;
  rssBytesPerOpenJob: number;
  details: {
    mode: 'http' | 'seed';
    warmupJobs: number;
    concurrency: number;
    /** The warm-up's rate over HTTP: what booking every open job this way would run at. */
    warmupBookingsPerSecond: number;
    bookingSeconds: number;
    bookingsPerSecond: number;
    before: Omit<Measured, 'type'>;
    after: Omit<Measured, 'type'>;
    heapBytesPerOpenJob: number;
    outboxItemsPerJob: number;
  };
}

function request(child: ChildProcess, message: unknown): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: { type: string; message?: string }) => {
      child.off('message', onMessage);
      if (m.type === 'measured') resolve(m as Measured);
      else reject(new Error(`memory child: ${m.message}`));
    };
    child.on('message', onMessage);
    child.send(message as object);
  });
}

export async function benchMemory(opts: {
  jobs: number;
  warmup: number;
  concurrency: number;
  /** 'http': every job booked with POST /jobs; 'seed': see SEED_WHY. */
  mode: 'http' | 'seed';
  /** Jobs started between two settles in 'seed' mode. */
  chunk: number;
  /** What-if: cls-hooked (aws-xray-sdk-core, via the Powertools tracer) gets an inert async hook. */
  noXrayHook?: boolean;
}): Promise<MemoryResult> {
  progress.phase(
    `memory: starting a stack in a child process${opts.noXrayHook ? ' (what-if: no X-Ray async hook)' : ''}`,
  );
  const dataDir = mkdtempSync(join(tmpdir(), 'home-repair-bench-mem-'));
  const child = spawn(
    process.execPath,
    [
      '--expose-gc',
      '--import',
      'tsx',
      join(__dirname, 'memory-child.ts'),
      dataDir,
      ...(opts.noXrayHook ? ['no-xray-hook'] : []),
    ],
    { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], env: { ...process.env, NODE_OPTIONS: '' } },
  );
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr = (stderr + d).slice(-4000);
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  try {
    const ready = await new Promise<{ url: string }>((resolve, reject) => {
      child.once('message', (m: { type: string; url?: string; message?: string }) =>
        m.type === 'ready' ? resolve(m as { url: string }) : reject(new Error(m.message)),
      );
      child.once('exit', (code) => reject(new Error(`memory child exited ${code}: ${stderr}`)));
    });
    const issuer = new LocalIssuer(join(dataDir, 'jwt.key'));
    const client = new Client(ready.url, BENCH_SECRET);
    const now = new Date((await client.request('GET', '/_local/clock')).body.now);
    let n = 0;
    const report = (done: number, count: number, label: string, started: number) => {
      const rate = done / ((performance.now() - started) / 1000);
      progress.update(
        bar(done, count, `${label}, ${rate.toFixed(0)}/s, ~${((count - done) / rate).toFixed(0)} s left`),
      );
    };
    const overHttp = async (count: number, label: string, started: number) => {
      let done = 0;
      let next = 0;
      await Promise.all(
        Array.from({ length: opts.concurrency }, async () => {
          while (next < count) {
            next++;
            const token = issuer.issue({ sub: `r-mem-${++n}`, 'custom:role': 'resident' });
            const r = await client.book(token, regularBooking(2 * 24 * 3600_000, now));
            if (r.status !== 201) throw new Error(`booking answered ${r.status}: ${JSON.stringify(r.body)}`);
            if (++done % 50 === 0) report(done, count, label, started);
          }
        }),
      );
    };
    const seeded = (count: number, label: string, started: number) =>
      new Promise<void>((resolve, reject) => {
        const onMessage = (m: { type: string; done?: number; message?: string }) => {
          if (m.type === 'progress') return report(m.done ?? 0, count, label, started);
          child.off('message', onMessage);
          if (m.type === 'seeded') resolve();
          else reject(new Error(`memory child: ${m.message}`));
        };
        child.on('message', onMessage);
        child.send({ type: 'seed', count, chunk: opts.chunk });
      });
    const bookMany = async (count: number, label: string) => {
      const started = performance.now();
      await (opts.mode === 'http' ? overHttp : seeded)(count, label, started);
      return (performance.now() - started) / 1000;
    };
    progress.phase(`memory: ${opts.warmup} warm-up jobs booked over HTTP`);
    const warm = performance.now();
    await overHttp(opts.warmup, 'warm-up', warm);
    const warmupSeconds = (performance.now() - warm) / 1000;
    const { type: _b, ...before } = await request(child, { type: 'measure' });
    progress.phase(
      `memory: ${opts.jobs} open jobs (${opts.mode === 'http' ? 'booked over HTTP' : 'seeded, real executions'})`,
    );
    const seconds = await bookMany(opts.jobs, 'open jobs');
    progress.update('settling and collecting garbage');
    const { type: _a, ...after } = await request(child, { type: 'measure' });
    const openJobs = after.running - before.running;
    if (!after.idle) throw new Error('the workflow did not park every execution');
    const result: MemoryResult = {
      openJobs,
      rssBytesPerOpenJob: Math.round((after.rss - before.rss) / openJobs),
      details: {
        mode: opts.mode,
        warmupJobs: opts.warmup,
        concurrency: opts.concurrency,
        warmupBookingsPerSecond: round(opts.warmup / warmupSeconds, 1),
        bookingSeconds: round(seconds, 1),
        bookingsPerSecond: round(opts.jobs / seconds, 1),
        before,
        after,
        heapBytesPerOpenJob: Math.round((after.heapUsed - before.heapUsed) / openJobs),
        outboxItemsPerJob: round((after.outbox - before.outbox) / openJobs, 2),
      },
    };
    progress.note(
      `${openJobs} jobs waiting for arrival at once (${after.running} executions in all): ${(result.rssBytesPerOpenJob / 1024).toFixed(1)} KB RSS per open job`,
    );
    return result;
  } finally {
    if (child.connected) child.send({ type: 'stop' });
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
    rmSync(dataDir, { recursive: true, force: true });
  }
}
