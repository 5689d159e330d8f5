import type { Rng } from './soak-rng';
import { type Server, type StopKind, sleep } from './soak-server';

// Restarts and faults at random moments while the jobs run: Ctrl-C or SIGKILL of the whole
// process group, then a start on the same DATA_DIR; DynamoDB Local paused (SIGSTOP, then
// SIGCONT) or killed on its own (its watchdog does not bring it back, so a restart follows).

type Action = StopKind | 'pause' | 'kill-dynamo';

export interface ChaosCounts {
  restarts: Record<StopKind, number>;
  faults: { dynamoPaused: number; dynamoKilled: number };
  orphans: number;
  problems: string[];
}

export class Chaos {
  readonly counts: ChaosCounts = {
    restarts: { 'ctrl-c': 0, sigkill: 0 },
    faults: { dynamoPaused: 0, dynamoKilled: 0 },
    orphans: 0,
    problems: [],
  };
  private stopped = false;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly server: Server,
    private readonly rng: Rng,
    private readonly log: (line: string) => void,
  ) {}

  start(meanGapMs: number): void {
    this.running = this.loop(meanGapMs);
  }

  /** Ends the loop after the action in progress, so the stack is up when this resolves. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  private async loop(meanGapMs: number): Promise<void> {
    // Every kind once, in a seeded order, before the random draws: each run sees them all.
    const first: Action[] = ['ctrl-c', 'sigkill', 'pause', 'kill-dynamo'].sort(
      () => this.rng.next() - 0.5,
    ) as Action[];
    while (!this.stopped) {
      await sleep(this.rng.int(meanGapMs / 2, (meanGapMs * 3) / 2));
      if (this.stopped) return;
      const action =
        first.shift() ?? this.rng.weighted<Action>({ 'ctrl-c': 3, sigkill: 3, pause: 2, 'kill-dynamo': 2 });
      if (action === 'pause') await this.pauseDynamo(this.rng.int(1000, 4000));
      else if (action === 'kill-dynamo') {
        if (!this.server.signalDynamo('SIGKILL')) continue;
        this.counts.faults.dynamoKilled++;
        this.log('fault: DynamoDB Local killed');
        await sleep(this.rng.int(1500, 4000));
        await this.restart(this.rng.chance(0.5) ? 'ctrl-c' : 'sigkill');
      } else await this.restart(action);
    }
  }

  private async pauseDynamo(ms: number): Promise<void> {
    if (!this.server.signalDynamo('SIGSTOP')) return;
    this.counts.faults.dynamoPaused++;
    this.log(`fault: DynamoDB Local paused for ${ms} ms`);
    await sleep(ms);
    this.server.signalDynamo('SIGCONT');
  }

  async restart(kind: StopKind): Promise<void> {
    const code = await this.server.stop(kind);
    this.counts.restarts[kind]++;
    if (kind === 'ctrl-c' && code !== 0) this.counts.problems.push(`npm start exited ${code} after Ctrl-C`);
    const orphans = await this.server.orphans();
    if (orphans.length) {
      this.counts.orphans += orphans.length;
      this.counts.problems.push(`DynamoDB Local (pid ${orphans}) outlived npm start after ${kind}`);
    }
    this.log(`restart: ${kind}`);
    await this.server.start();
  }
}
