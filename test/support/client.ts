import { randomUUID } from 'node:crypto';
import { signedHeaders } from '../../functions/http/webhook-signature';

// A small HTTP client for the local stack's contract: real requests, real signatures.

export interface Reply<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export class Client {
  constructor(
    readonly url: string,
    readonly webhookSecret: string,
  ) {}

  async request<T = any>(
    method: string,
    path: string,
    opts: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
  ): Promise<Reply<T>> {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let payload: string | undefined = opts.raw;
    if (opts.body !== undefined) {
      payload = JSON.stringify(opts.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(`${this.url}${path}`, { method, headers, body: payload });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  }

  async token(sub: string, role: 'resident' | 'agent' | 'manager'): Promise<string> {
    const r = await this.request('POST', '/_local/tokens', { body: { sub, role } });
    return r.body.token;
  }

  book(token: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
    return this.request('POST', '/jobs', { token, body, headers });
  }

  /** Sends a technician event signed with the stack's secret; `id` repeats a delivery. */
  hook(
    event: { type: string; jobId: string; technicianId?: string; data?: unknown },
    opts: { id?: string; secret?: string; timestamp?: number; raw?: string } = {},
  ) {
    const body =
      opts.raw ??
      JSON.stringify({
        type: event.type,
        jobId: event.jobId,
        technicianId: event.technicianId ?? 't-7',
        occurredAt: new Date().toISOString(),
        data: event.data ?? {},
      });
    const id = opts.id ?? `msg_${randomUUID()}`;
    const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
    return this.request('POST', '/webhooks/technician', {
      raw: body,
      headers: {
        'content-type': 'application/json',
        ...signedHeaders(opts.secret ?? this.webhookSecret, id, timestamp, body),
      },
    });
  }

  async now(): Promise<string> {
    return (await this.request('GET', '/_local/clock')).body.now;
  }

  async advance(seconds: number): Promise<string> {
    const r = await this.request('POST', '/_local/clock', { body: { advanceSeconds: seconds } });
    return r.body.now;
  }

  async notifications(
    jobId: string,
    topic?: string,
  ): Promise<Array<{ topic: string; subject: string; message: string; attributes: Record<string, string> }>> {
    const q = new URLSearchParams({ jobId, ...(topic && { topic }) });
    return (await this.request('GET', `/_local/notifications?${q}`)).body.items;
  }
}

export const urgentBooking = (extra: Record<string, unknown> = {}) => ({
  unitId: 'B2-1203',
  category: 'plumbing',
  description: 'Kitchen tap leaking',
  priority: 'urgent',
  contactPhone: '+8613800138000',
  ...extra,
});

export const regularBooking = (startsInMs: number, now: Date, extra: Record<string, unknown> = {}) => {
  const start = new Date(now.getTime() + startsInMs);
  return {
    ...urgentBooking(extra),
    priority: 'regular',
    appointment: { start: start.toISOString(), end: new Date(start.getTime() + 3600_000).toISOString() },
  };
};

/** The data each technician event needs, valid per the contract. */
export const EVENT_DATA: Record<string, unknown> = {
  'job.accepted': { technicianName: 'Wang Wei' },
  'job.en_route': { etaMinutes: 5 },
  'job.arrived': { kit: { tools: true, floorMat: true, cloth: true, shoeCovers: true } },
  'job.diagnosed': {
    fault: 'Worn washer',
    covered: false,
    quote: { labor: 50, parts: 10, currency: 'CNY' },
    residentAcknowledged: true,
  },
  'job.quote_declined': { reason: 'too expensive' },
  'job.work_started': {},
  'job.completed': {
    testedWithResident: true,
    explanation: { cause: 'worn washer', fix: 'replaced the washer', advice: 'do not overtighten' },
  },
  'job.unable_to_fix': { reason: 'needs a spare part', takeAway: { consent: true, receiptNo: 'R-001' } },
  'job.site_cleaned': { siteClean: true, belongingsRestored: true },
  'job.form_signed': {
    signerName: 'Li Na',
    signature:
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  },
};

export const ON_SITE_STEPS = [
  'job.diagnosed',
  'job.work_started',
  'job.completed',
  'job.site_cleaned',
  'job.form_signed',
];

export async function drive(
  client: Client,
  jobId: string,
  types: string[],
  technicianId = 't-7',
): Promise<void> {
  for (const type of types) {
    const r = await client.hook({ type, jobId, technicianId, data: EVENT_DATA[type] });
    if (r.status !== 202) throw new Error(`${type} answered ${r.status}: ${JSON.stringify(r.body)}`);
  }
}
