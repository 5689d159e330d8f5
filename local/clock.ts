import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Clock } from '../functions/domain/ports';

// The one clock of the local stack. Virtual time runs CLOCK_SPEED times faster than real
// time and can be jumped forward (POST /_local/clock); task timeouts are timers on it, so
// a test or demo crosses ten minutes or seven days in milliseconds, deterministically.

const MAX_REAL_DELAY_MS = 2 ** 31 - 1;

interface Timer {
  id: number;
  at: number;
  fire: () => void;
}

export class VirtualClock implements Clock {
  private anchorVirtual: number;
  private anchorReal = Date.now();
  private timers: Timer[] = [];
  private nextId = 1;
  private realTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly speed = 1,
    private readonly statePath?: string,
  ) {
    this.anchorVirtual = this.anchorReal;
    if (statePath && existsSync(statePath)) {
      // Downtime counts at real speed: a stopped stack does not stop the world.
      const saved = JSON.parse(readFileSync(statePath, 'utf8')) as { virtual: number; real: number };
      this.anchorVirtual = saved.virtual + Math.max(0, this.anchorReal - saved.real);
    }
  }

  now(): Date {
    return new Date(this.nowMs());
  }

  private nowMs(): number {
    return this.anchorVirtual + (Date.now() - this.anchorReal) * this.speed;
  }

  /** Calls `fire` once virtual time reaches `at` (ms); returns a cancel function. */
  at(at: number, fire: () => void): () => void {
    const timer = { id: this.nextId++, at, fire };
    this.timers.push(timer);
    this.timers.sort((a, b) => a.at - b.at);
    this.arm();
    return () => {
      this.timers = this.timers.filter((t) => t.id !== timer.id);
      this.arm();
    };
  }

  advance(seconds: number): Date {
    this.anchorVirtual += seconds * 1000;
    this.save();
    this.fireDue();
    return this.now();
  }

  save(): void {
    if (this.statePath)
      writeFileSync(this.statePath, JSON.stringify({ virtual: this.nowMs(), real: Date.now() }));
  }

  stop(): void {
    this.save();
    if (this.realTimer) clearTimeout(this.realTimer);
    this.timers = [];
  }

  private fireDue(): void {
    const now = this.nowMs();
    const due = this.timers.filter((t) => t.at <= now);
    this.timers = this.timers.filter((t) => t.at > now);
    for (const t of due) t.fire();
    this.arm();
  }

  private arm(): void {
    if (this.realTimer) clearTimeout(this.realTimer);
    this.realTimer = undefined;
    const first = this.timers[0];
    if (!first) return;
    const delay = Math.min(MAX_REAL_DELAY_MS, Math.max(0, Math.ceil((first.at - this.nowMs()) / this.speed)));
    this.realTimer = setTimeout(() => this.fireDue(), delay);
    this.realTimer.unref();
  }
}
