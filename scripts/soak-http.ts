import { randomUUID } from 'node:crypto';
import type { Reply, WebhookAnswer, WebhookEvent } from '../client/api-client';
import { SigningClient } from '../client/signing-client';
import type { Server } from './soak-server';
import { sleep } from './soak-server';

// The soak's only way in: the shared typed client (client/api-client.ts) over HTTP, as a real
// client uses it. A 503 is retried after its Retry-After; a refused or dropped connection (the
// server is restarting) waits for the server and tries again; anything else is the answer.

export type { Reply };

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

/** A request whose outcome is unknown: the connection dropped and the caller chose not to resend. */
export class Dropped extends Error {}

const TIMEOUT_MS = 30_000;
const MAX_TRIES = 60;

export class Http {
  /** The shared client; each attempt is sent with a 30 s timeout. */
  readonly api: SigningClient;

  constructor(
    readonly server: Server,
    secret: string,
    readonly stats: Stats,
  ) {
    this.api = new SigningClient(server.url, {
      webhookSecret: secret,
      fetch: (url, init) => fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) }),
    });
  }

  /**
   * Sends `attempt` until it has an answer that is not 503. Each try calls `attempt` afresh, so
   * a webhook is signed again with the time of that try. `resend: false` throws Dropped after
   * a dropped connection instead: the caller must first find out whether it landed.
   */
  async send<T>(what: string, attempt: () => Promise<Reply<T>>, resend = true): Promise<Reply<T>> {
    for (let tries = 1; ; tries++) {
      if (tries > MAX_TRIES) throw new Error(`${what}: no answer after ${MAX_TRIES} tries`);
      await this.server.whenUp();
      let reply: Reply<T>;
      try {
        reply = await attempt();
      } catch {
        this.stats.networkErrors++;
        this.stats.count('network');
        if (!resend) throw new Dropped(what);
        await sleep(100);
        continue;
      }
      this.stats.count(reply.status);
      if (reply.status === 503) {
        this.stats.retried503++;
        const after = Number(reply.headers.get('retry-after') ?? '1');
        await sleep(Math.min(5, Number.isFinite(after) ? after : 1) * 1000);
        continue;
      }
      return reply;
    }
  }

  /**
   * A technician event, signed per Standard Webhooks. The same `id` on every attempt: a
   * resend is a redelivery, so it is safe whatever happened to the attempt before.
   */
  webhook(
    event: { type: string; jobId: string; technicianId: string; data?: unknown },
    id = `msg_${randomUUID()}`,
  ): Promise<Reply<WebhookAnswer>> {
    // The soak pairs each type with its data (EVENT_DATA); the schema's union cannot see that.
    const full = { occurredAt: new Date().toISOString(), data: {}, ...event } as WebhookEvent;
    return this.send(`${event.type} ${id}`, () => this.api.postTechnicianEvent(full, { id }));
  }

  /** The server's simulated clock, in ms. */
  async now(): Promise<number> {
    const r = await this.send('GET /_local/clock', () => this.api.local.getClock());
    if (!r.ok) throw new Error(`clock answered ${r.status}`);
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
        const r = await this.send(
          'POST /_local/clock',
          () => this.api.local.advanceClock(advanceSeconds),
          false,
        );
        // 500: the workflow did not settle in time (the database is stalled); read and go on.
        if (r.status !== 200 && r.status !== 500) throw new Error(`clock answered ${r.status}`);
      } catch (e) {
        if (!(e instanceof Dropped)) throw e;
      }
    }
  }

  async token(sub: string, role: 'resident' | 'agent' | 'manager'): Promise<string> {
    const r = await this.send('POST /_local/tokens', () => this.api.local.createToken({ sub, role }));
    if (!r.ok || r.status !== 201) throw new Error(`token answered ${r.status}`);
    return r.body.token;
  }
}
