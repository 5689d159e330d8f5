import {
  expectStatus,
  type LocalNotification,
  type Reply,
  type RequestOptions,
  type WebhookEvent,
  type WebhookOptions,
} from '../../client/api-client';
import { SigningClient } from '../../client/signing-client';
import { defaultCalendar, nextBusinessWindow, nextOpening } from '../../functions/domain/business-calendar';

// The tests' client: the shared typed client (client/api-client.ts) with the shortcuts the
// tests and bench/ use, loosely typed (`any` bodies) so a test can read a problem or a job
// alike; and the test data every integration test books and drives jobs with.

export type { Reply };

export class Client extends SigningClient {
  constructor(url: string, webhookSecret: string) {
    super(url, { webhookSecret });
  }

  override request<T = any>(method: string, path: string, opts: RequestOptions = {}): Promise<Reply<T>> {
    return super.request<T>(method, path, opts);
  }

  /** A token of the local issuer; `properties` limits a staff member to those properties. */
  async token(sub: string, role: 'resident' | 'agent' | 'manager', properties?: string[]): Promise<string> {
    return expectStatus(
      await this.local.createToken({ sub, role, ...(properties && { properties }) }),
      201,
      'POST /_local/tokens',
    ).token;
  }

  /** POST /jobs with any body (valid or not) and any headers. */
  book(
    token: string,
    body: Record<string, unknown>,
    headers: Record<string, string> = {},
  ): Promise<Reply<any>> {
    return this.request('POST', '/jobs', { token, body, headers });
  }

  /**
   * A technician event signed with the stack's secret: technicianId t-7, occurredAt now and
   * empty data unless given; `opts.id` repeats a delivery, `opts.raw` sends another body.
   */
  hook(
    event: { type: string; jobId: string; technicianId?: string; data?: unknown },
    opts: WebhookOptions = {},
  ): Promise<Reply<any>> {
    const full = {
      type: event.type,
      jobId: event.jobId,
      technicianId: event.technicianId ?? 't-7',
      occurredAt: new Date().toISOString(),
      data: event.data ?? {},
    } as WebhookEvent;
    return this.postTechnicianEvent(full, opts);
  }

  // These three read the body whatever the status, as tests always have: a clock jump that
  // answers 500 (the workflow did not settle in time) lets the test's own expectations speak.

  async now(): Promise<string> {
    return ((await this.local.getClock()).body as { now: string }).now;
  }

  async advance(seconds: number): Promise<string> {
    return ((await this.local.advanceClock(seconds)).body as { now: string }).now;
  }

  /** Jumps the virtual clock to the next opening of a business day (09:00 on a weekday); answers it. */
  async toBusinessMorning(): Promise<Date> {
    const now = new Date(await this.now());
    const open = nextOpening(TEST_CALENDAR, now) as Date;
    return new Date(await this.advance(Math.ceil((open.getTime() - now.getTime()) / 1000)));
  }

  async notifications(jobId: string, topic?: LocalNotification['topic']): Promise<LocalNotification[]> {
    return ((await this.local.listNotifications({ jobId, topic })).body as { items: LocalNotification[] })
      .items;
  }
}

let units = 0;
/**
 * A unit of property B2 no other booking of this process used: a second booking of one unit and
 * fault within 30 days of a signature is a recall (issue #11), which a test must ask for by name.
 */
const freshUnit = () => `B2-${1000 + units++}`;

export const urgentBooking = (extra: Record<string, unknown> = {}) => ({
  unitId: freshUnit(),
  category: 'plumbing',
  description: 'Kitchen tap leaking',
  priority: 'urgent',
  contactPhone: '+8613800138000',
  ...extra,
});

/**
 * The calendar of every property the tests book for, which nobody configures: the defaults in the
 * local stack's zone, 09:00–18:00 Monday to Friday in Asia/Shanghai.
 */
export const TEST_CALENDAR = defaultCalendar('Asia/Shanghai');

/**
 * A regular appointment the property accepts: the first window of `lengthMs` within its
 * business hours starting at least `afterMs` after `now` (so at night, on Saturday, it is the
 * next business morning).
 */
export function appointmentAfter(now: Date, afterMs: number, lengthMs = 3600_000) {
  return nextBusinessWindow(TEST_CALENDAR, new Date(now.getTime() + afterMs), lengthMs) as {
    start: string;
    end: string;
  };
}

/** A regular booking whose one-hour window starts at least `startsInMs` after `now`, in business hours. */
export const regularBooking = (startsInMs: number, now: Date, extra: Record<string, unknown> = {}) => ({
  ...urgentBooking(extra),
  priority: 'regular',
  appointment: appointmentAfter(now, startsInMs),
});

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
