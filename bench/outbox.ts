import type { FunctionName } from '../functions/names';
import { startStack } from '../local/stack';
import { urgentBooking } from '../test/support/client';
import { benchApi } from './api';
import { BENCH_SECRET, BenchClient } from './http';
import { progress } from './progress';
import { percentile, round } from './stats';

// What follows a booking's commit now that the request does only the transaction: the delay
// until its execution's first state acts (the first task, "Wait for the technician to arrive",
// invokes await-milestone; the Choice before it takes no time) and until the resident's message
// leaves the outbox (the SNS publish of the outbox consumer). Measured from the client receiving
// the 201, which follows the commit by the answer's way back over loopback (well under 1 ms):
// so a floor of commit → event, not a ceiling. Locally the stream is polled (DynamoDB Local's
// Streams API; the poller waits 200 ms when idle), so these are the local stack's figures.
//
// `npx tsx bench/outbox.ts` runs this part alone (with the booking latencies of bench/api.ts in
// the same stack); `npm run bench` runs it within the whole bench.

export type OutboxResult = Awaited<ReturnType<typeof benchOutbox>>;

/** Per job, when its first task ran and when its resident's message went out (performance.now()). */
export class OutboxTimes {
  private readonly firstTask = new Map<string, number>();
  private readonly residentOut = new Map<string, number>();
  private readonly waiters = new Map<string, () => void>();

  readonly onInvoke = (fn: FunctionName, payload: unknown): void => {
    if (fn !== 'await-milestone') return;
    const id = String((payload as { id?: unknown } | null)?.id ?? '');
    if (!this.firstTask.has(id)) this.firstTask.set(id, performance.now());
    this.waiters.get(id)?.();
  };

  readonly onNotify = (about: { jobId?: string }, notice: { topic: string }): void => {
    const id = about.jobId ?? '';
    if (notice.topic !== 'residents' || this.residentOut.has(id)) return;
    this.residentOut.set(id, performance.now());
    this.waiters.get(id)?.();
  };

  /** Resolves once both happened for the job. */
  both(jobId: string, timeoutMs = 10_000): Promise<{ firstTask: number; residentOut: number }> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`job ${jobId}: no start or no message`)), timeoutMs);
      const check = () => {
        const firstTask = this.firstTask.get(jobId);
        const residentOut = this.residentOut.get(jobId);
        if (firstTask === undefined || residentOut === undefined) return;
        clearTimeout(timer);
        this.waiters.delete(jobId);
        resolve({ firstTask, residentOut });
      };
      this.waiters.set(jobId, check);
      check();
    });
  }
}

const latency = (ms: number[]) => ({
  p50Ms: round(percentile(ms, 50)),
  p99Ms: round(percentile(ms, 99)),
  count: ms.length,
});

/** Sequential bookings, the stack settled before each: each one's delays to its start and its message. */
export async function benchOutbox(client: BenchClient, times: OutboxTimes, opts: { bookings: number }) {
  const { stack } = client;
  progress.phase(`outbox: ${opts.bookings} bookings, commit → first state and → resident message`);
  const toStart: number[] = [];
  const toMessage: number[] = [];
  for (let i = 0; i < opts.bookings; i++) {
    await stack.workflow.settle(60_000);
    const r = await client.book(client.freshResident(), urgentBooking());
    const answered = performance.now();
    if (r.status !== 201) throw new Error(`booking answered ${r.status}`);
    const at = await times.both(r.body.jobId);
    toStart.push(at.firstTask - answered);
    toMessage.push(at.residentOut - answered);
  }
  return {
    /** 201 received → the execution's first task invoked (await-milestone parks the arrival wait). */
    commitToFirstState: latency(toStart),
    /** 201 received → the resident's job.booked notice published by the outbox consumer. */
    commitToResidentMessage: latency(toMessage),
  };
}

/** This part alone, with the booking latencies beside it (BENCH_QUICK=1 for small counts). */
async function main() {
  const quick = process.env.BENCH_QUICK === '1';
  const times = new OutboxTimes();
  const stack = await startStack({
    webhookSecret: BENCH_SECRET,
    print: () => {},
    beforeInvoke: async (fn, payload) => times.onInvoke(fn, payload),
    beforeNotify: times.onNotify,
  });
  try {
    const client = new BenchClient(stack);
    const api = await benchApi(
      client,
      quick
        ? { bookings: 50, warmup: 5, settled: 10, clients: 32, seconds: 3 }
        : { bookings: 500, warmup: 20, settled: 100, clients: 32, seconds: 10 },
    );
    const outbox = await benchOutbox(client, times, { bookings: quick ? 20 : 100 });
    const { booking, rawPutItem, rawTransactWrite, settledBooking, bookingUnderLoad, throughput } = api;
    process.stdout.write(
      `${JSON.stringify(
        {
          booking,
          rawPutItem,
          rawTransactWrite,
          settledBooking,
          bookingUnderLoad,
          throughput: { ...throughput, perSecond: api.bookPerSecond },
          bookP50OverPutItemP50: round(booking.p50Ms / rawPutItem.p50Ms, 2),
          ...outbox,
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    await stack.stop();
  }
}

if (require.main === module)
  main().catch((e: Error) => {
    process.stderr.write(`bench failed: ${e.stack ?? e.message}\n`);
    process.exit(1);
  });
