import { randomUUID } from 'node:crypto';
import type { JobView } from '../functions/domain/views';
import { signedHeaders } from '../functions/http/webhook-signature';

// The demo's only way into the product: real HTTP against the local stack, signed
// technician webhooks (Standard Webhooks) and the /_local/* routes for time and outbox.

export type { JobView };

export interface Reply<T> {
  status: number;
  body: T;
}

export interface Notification {
  topic: 'alerts' | 'residents' | 'technicians';
  subject: string;
  message: string;
  attributes: Record<string, string>;
  publishedAt: string;
}

export interface HistoryItem {
  type: string;
  at: string;
  actor: string;
  data: Record<string, unknown>;
}

interface RequestOptions {
  body?: unknown;
  token?: string;
  headers?: Record<string, string>;
  raw?: string;
}

export class Api {
  constructor(
    readonly baseUrl: string,
    private readonly webhookSecret: string,
  ) {}

  async request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<Reply<T>> {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    const raw = opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
    if (raw !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(this.baseUrl + path, { method, headers, body: raw });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  }

  /** A request that must answer `status`; anything else stops the demo with the server's problem details. */
  async expect<T>(status: number, method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const reply = await this.request<T>(method, path, opts);
    if (reply.status !== status)
      throw new Error(
        `${method} ${path} answered ${reply.status}, expected ${status}: ${JSON.stringify(reply.body)}`,
      );
    return reply.body;
  }

  async token(sub: string, role: 'resident' | 'agent' | 'manager', name: string): Promise<string> {
    const out = await this.expect<{ token: string }>(201, 'POST', '/_local/tokens', {
      body: { sub, role, name },
    });
    return out.token;
  }

  /** The stack's simulated time. */
  async now(): Promise<string> {
    return (await this.expect<{ now: string }>(200, 'GET', '/_local/clock')).now;
  }

  /** Jumps the simulated clock; the server fires due timers and waits until the workflow settles. */
  async advance(seconds: number): Promise<string> {
    const body = { advanceSeconds: seconds };
    return (await this.expect<{ now: string }>(200, 'POST', '/_local/clock', { body })).now;
  }

  async notifications(jobId: string): Promise<Notification[]> {
    const path = `/_local/notifications?jobId=${encodeURIComponent(jobId)}`;
    return (await this.expect<{ items: Notification[] }>(200, 'GET', path)).items;
  }

  job(jobId: string, token: string): Promise<JobView> {
    return this.expect<JobView>(200, 'GET', `/jobs/${jobId}`, { token });
  }

  async history(jobId: string, token: string): Promise<HistoryItem[]> {
    return (await this.expect<{ items: HistoryItem[] }>(200, 'GET', `/jobs/${jobId}/history`, { token }))
      .items;
  }

  /** Sends one technician event, signed as the Standard Webhooks spec says, on the real wall clock. */
  async webhook(event: object, webhookId = `msg_${randomUUID()}`) {
    const raw = JSON.stringify(event);
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = signedHeaders(this.webhookSecret, webhookId, timestamp, raw);
    const reply = await this.request<{ jobId: string; status: string }>('POST', '/webhooks/technician', {
      raw,
      headers,
    });
    return { ...reply, webhookId };
  }
}
