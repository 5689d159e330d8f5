import type { DeliveryQueue, DeliveryScheduler, Logger } from '../functions/domain/ports';
import type { VirtualClock } from './clock';

// The local twin of the deliverer's two triggers on AWS (functions/adapters/delivery-scheduler.ts):
// an asynchronous invoke becomes a run started at once, off the caller's path; an EventBridge
// Scheduler one-time schedule becomes a timer on the virtual clock, so a test that advances the
// clock sees the retries come. Timers do not survive a restart: the stack re-arms every queue with
// a pending delivery at start (rearmPending). `idle()` waits for the runs under way.

export class LocalDeliveryScheduler implements DeliveryScheduler {
  private readonly running = new Set<Promise<unknown>>();
  private readonly timers = new Set<() => void>();
  private stopped = false;
  /** Runs started, and runs that threw (the function's errors, as the Errors alarm counts them). */
  readonly stats = { runs: 0, failed: 0 };

  constructor(
    private readonly clock: VirtualClock,
    private readonly run: (queue: DeliveryQueue) => Promise<unknown>,
    private readonly logger: Logger,
  ) {}

  async kick(queue: DeliveryQueue): Promise<void> {
    if (this.stopped) return;
    // As an async invoke: queued, not awaited.
    setImmediate(() => this.start(queue));
  }

  async at(queue: DeliveryQueue, when: Date): Promise<void> {
    if (this.stopped) return;
    const cancel = this.clock.at(when.getTime(), () => {
      this.timers.delete(cancel);
      this.start(queue);
    });
    this.timers.add(cancel);
  }

  /** Resolves once no run is under way (runs started meanwhile included). */
  async idle(): Promise<void> {
    // One turn first: a kick's run starts on the next turn of the event loop.
    await new Promise((r) => setImmediate(r));
    while (this.running.size) {
      await Promise.allSettled([...this.running]);
      await new Promise((r) => setImmediate(r));
    }
  }

  /** No new runs; waits for those under way (before DynamoDB Local stops). */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const cancel of this.timers) cancel();
    this.timers.clear();
    await Promise.allSettled([...this.running]);
  }

  private start(queue: DeliveryQueue): void {
    if (this.stopped) return;
    this.stats.runs++;
    const run = this.run(queue)
      .catch((e) => {
        this.stats.failed++;
        this.logger.error('deliverer run failed', { errorName: (e as Error)?.name ?? 'Error' });
      })
      .finally(() => this.running.delete(run));
    this.running.add(run);
  }
}
