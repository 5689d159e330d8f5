import { randomUUID } from 'node:crypto';
import { signedHeaders } from '../functions/http/webhook-signature';
import type { Server } from './soak-server';
import { sleep } from './soak-server';

// The soak's only way in: HTTP as a real client does it. A 503 is retried after its
// Retry-After; a refused or dropped connection (the server is restarting) waits for the
// server and tries again; anything else is the answer.

export interface Reply<T = Partial<JobBody>> {
  status: number;
  body: T;
}

/** What the soak reads from a job (or a webhook's answer); problem bodies leave most of it out. */
export interface JobBody {
  jobId: string;
  status: string;
  sla: {
    arrivalDueAt: string;
    arrivalMet: boolean | null;
    callbackDueAt: string;
    callbackMet: boolean | null;
  };
}

export class Stats {
  readonly byStatus: Record<string, number> = {};
  attempts = 0;
  retried503 = 0;
  networkErrors = 0;

  count(key: string | number): void {
    this.attempts++;
    this.byStatus[key] = (this.byStatus[key] ?? 0) + 1;
  }
}

interface Options {
  token?: string;
  body?: unknown;
  headers?: Record<string, string> | (() => Record<string, string>);
  /** Resend after a dropped connection; false when the caller must first find out what happened. */
  resend?: boolean;
}

/** A request whose outcome is unknown: the connection dropped and the caller chose not to resend. */
export class Dropped extends Error {}

const TIMEOUT_MS = 30_000;
const MAX_TRIES = 60;

export class Http {
  constructor(
    readonly server: Server,
    readonly secret: string,
    readonly stats: Stats,
  ) {}

  async request<T = Partial<JobBody>>(method: string, path: string, opts: Options = {}): Promise<Reply<T>> {
    for (let tries = 1; ; tries++) {
      if (tries > MAX_TRIES) throw new Error(`${method} ${path}: no answer after ${MAX_TRIES} tries`);
      await this.server.whenUp();
      const headers = typeof opts.headers === 'function' ? opts.headers() : { ...opts.headers };
      if (opts.token) headers.authorization = `Bearer ${opts.token}`;
      let raw: string | undefined;
      if (opts.body !== undefined) {
        raw = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
        headers['content-type'] = 'application/json';
      }
      let res: Response;
      let text: string;
      try {
        res = await fetch(this.server.url + path, {
          method,
          headers,
          body: raw,
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
        text = await res.text();
      } catch {
        this.stats.networkErrors++;
        this.stats.count('network');
        if (opts.resend === false) throw new Dropped(`${method} ${path}`);
        await sleep(100);
        continue;
      }
      this.stats.count(res.status);
      if (res.status === 503) {
        this.stats.retried503++;
        const after = Number(res.headers.get('retry-after') ?? '1');
        await sleep(Math.min(5, Number.isFinite(after) ? after : 1) * 1000);
        continue;
      }
      return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
    }
  }

  /**
   * A technician event, signed per Standard Webhooks. The same `id` on every attempt: a
   * resend is a redelivery, so it is safe whatever happened to the attempt before.
   */
  webhook(event: Record<string, unknown>, id = `msg_${randomUUID()}`): Promise<Reply> {
    const raw = JSON.stringify({ occurredAt: new Date().toISOString(), data: {}, ...event });
    const headers = () => signedHeaders(this.secret, id, Math.floor(Date.now() / 1000), raw);
    return this.request('POST', '/webhooks/technician', { body: raw, headers });
  }

  /** The server's simulated clock, in ms. */
  async now(): Promise<number> {
    const r = await this.request<{ now: string }>('GET', '/_local/clock');
    return Date.parse(r.body.now);
  }

  /**
   * Moves the clock to at least `target` (ms). A dropped advance may or may not have
   * happened, so it is never resent blindly: the clock is read and only the rest is asked for.
   */
  async advanceTo(target: number): Promise<number> {
    for (;;) {
      const now = await this.now();
      if (now >= target) return now;
      const advanceSeconds = Math.ceil((target - now) / 1000);
      try {
        const r = await this.request('POST', '/_local/clock', { body: { advanceSeconds }, resend: false });
        // 500: the workflow did not settle in time (the database is stalled); read and go on.
        if (r.status !== 200 && r.status !== 500) throw new Error(`clock answered ${r.status}`);
      } catch (e) {
        if (!(e instanceof Dropped)) throw e;
      }
    }
  }

  async token(sub: string, role: 'resident' | 'agent' | 'manager'): Promise<string> {
    const r = await this.request('POST', '/_local/tokens', { body: { sub, role } });
    if (r.status !== 201) throw new Error(`token answered ${r.status}`);
    return (r.body as { token: string }).token;
  }
}
