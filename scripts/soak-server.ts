import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';

// `npm start` as the soak runs it: a child in its own process group (so a SIGKILL of the
// group takes its DynamoDB Local with it), on one port and one DATA_DIR for every restart.

export type StopKind = 'ctrl-c' | 'sigkill';

export class Server {
  private child: ChildProcess | undefined;
  private exited: Promise<number | null> = Promise.resolve(null);
  private upWaiters: Array<() => void> = [];
  up = false;
  starts = 0;
  /** When DynamoDB Local was SIGKILLed (alone or with the group), real ms. */
  readonly kills: number[] = [];

  constructor(
    readonly port: number,
    readonly dataDir: string,
    private readonly env: Record<string, string>,
    private readonly logPath: string,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.starts++;
    const child = spawn(process.execPath, ['--import', 'tsx', 'local/main.ts'], {
      cwd: join(__dirname, '..'),
      env: { ...process.env, ...this.env, PORT: String(this.port), DATA_DIR: this.dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    this.child = child;
    let out = '';
    const log = (d: Buffer) => {
      out = (out + d).slice(-8000);
      appendFileSync(this.logPath, d);
    };
    child.stdout?.on('data', log);
    child.stderr?.on('data', log);
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    appendFileSync(this.logPath, `\n--- start #${this.starts} (pid ${child.pid}) ---\n`);
    const deadline = Date.now() + 60_000;
    while (!/ready http/.test(out)) {
      if (child.exitCode !== null || Date.now() > deadline)
        throw new Error(`npm start did not become ready:\n${out}`);
      await sleep(50);
    }
    this.up = true;
    for (const w of this.upWaiters.splice(0)) w();
  }

  /** Resolves once the server serves requests (at once when it does). */
  whenUp(): Promise<void> {
    return this.up ? Promise.resolve() : new Promise((r) => this.upWaiters.push(r));
  }

  /**
   * Ctrl-C sends SIGINT to the whole foreground group, as a terminal does; SIGKILL of the
   * group is a crash. Returns the exit code (null when killed).
   */
  async stop(kind: StopKind): Promise<number | null> {
    this.up = false;
    const pid = this.child?.pid;
    if (pid === undefined || this.child?.exitCode !== null) return this.exited;
    if (kind === 'sigkill') this.kills.push(Date.now());
    process.kill(-pid, kind === 'ctrl-c' ? 'SIGINT' : 'SIGKILL');
    const code = await Promise.race([this.exited, sleep(30_000).then(() => 'hung' as const)]);
    if (code === 'hung') {
      process.kill(-pid, 'SIGKILL');
      throw new Error(`npm start did not stop within 30 s of ${kind}`);
    }
    return code;
  }

  /** DynamoDB Local processes serving this DATA_DIR (pids). */
  dynamoPids(): number[] {
    try {
      return execFileSync('pgrep', ['-f', `^java .*DynamoDBLocal.jar.*${this.dataDir}`], { encoding: 'utf8' })
        .trim()
        .split('\n')
        .filter(Boolean)
        .map(Number);
    } catch {
      return [];
    }
  }

  /** Waits for this DATA_DIR's DynamoDB Local to be gone; kills and reports any that stays. */
  async orphans(timeoutMs = 5000): Promise<number[]> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.dynamoPids().length === 0) return [];
      await sleep(100);
    }
    const left = this.dynamoPids();
    for (const pid of left) process.kill(pid, 'SIGKILL');
    return left;
  }

  /** Sends a signal to this stack's DynamoDB Local java process only; false when there is none. */
  signalDynamo(signal: NodeJS.Signals): boolean {
    const pids = this.dynamoPids();
    if (signal === 'SIGKILL' && pids.length) this.kills.push(Date.now());
    for (const pid of pids) process.kill(pid, signal);
    return pids.length > 0;
  }

  /**
   * DynamoDB Local can answer a write and still lose it when it is SIGKILLed within a few
   * milliseconds (seen with plain TransactWriteItems, no product code involved). An answer
   * that close to a kill is one the soak cannot count on.
   */
  killedNear(ms: number, windowMs = 250): boolean {
    return this.kills.some((k) => Math.abs(k - ms) <= windowMs);
  }

  /** Last resort on the soak's own exit: nothing of ours may outlive it. */
  killNow(): void {
    const pid = this.child?.pid;
    if (pid !== undefined && this.child?.exitCode === null) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {}
    }
    for (const p of this.dynamoPids()) {
      try {
        process.kill(p, 'SIGKILL');
      } catch {}
    }
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
