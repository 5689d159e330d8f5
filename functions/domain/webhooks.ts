import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { HistoryItem } from './types';
import type {
  Delivery,
  DeliveryAttempt,
  DeliveryView,
  EndpointView,
  Subject,
  SubjectKind,
  WebhookEndpoint,
} from './webhook-types';

// Outbound webhooks: the company's own systems follow jobs and complaints without polling. What an
// endpoint is, which events it gets, what a delivery carries and how it is signed (Standard
// Webhooks), when a failed one is tried again and when it is given up (parked), and when an
// endpoint that keeps failing is switched off. Pure: the use cases (webhook-cases.ts) hold the I/O.

export * from './webhook-types';

/** At most this many endpoints (they are read for every event). */
export const MAX_ENDPOINTS = 20;
/** Retries go on for 24 hours after an event, then the delivery is parked. */
export const RETRY_WINDOW_MS = 24 * 3600 * 1000;
/** Backoff: the n-th retry waits a random time in [base·2^(n-1), base·2^n), capped. */
export const BACKOFF = { baseMs: 30_000, capMs: 4 * 3600 * 1000 } as const;
/** A receiver has this long to answer; then the attempt counts as failed (`timeout`). */
export const DELIVERY_TIMEOUT_MS = 10_000;
/** An old secret keeps signing this long after a rotation. */
export const ROTATION_OVERLAP_MS = 24 * 3600 * 1000;
/**
 * The rule for switching an endpoint off: every attempt failed for this long (nothing delivered
 * since `failingSince`) and at least DISABLE_AFTER.attempts attempts failed. Then it is disabled,
 * the managers are alerted, and its deliveries are parked as they come up, until a manager
 * retries one (which turns it on again).
 */
export const DISABLE_AFTER = { ms: 24 * 3600 * 1000, attempts: 10 } as const;

export function matchesFilter(filters: readonly string[], type: string): boolean {
  return filters.some(
    (f) => f === '*' || f === type || (f.endsWith('.*') && type.startsWith(f.slice(0, -1))),
  );
}

/** A job's or a complaint's event reaches an endpoint whose scope covers its property and whose filters match. */
export const endpointWants = (e: WebhookEndpoint, type: string, property: string) =>
  matchesFilter(e.events, type) && (e.properties === null || e.properties.includes(property));

/** `whsec_` and 32 random bytes, base64 (the Standard Webhooks secret format). */
export const newSecret = () => `whsec_${randomBytes(32).toString('base64')}`;
export const newEndpointId = () => `ep_${randomBytes(12).toString('base64url')}`;

const digest = (text: string, length: number) =>
  createHash('sha256').update(text).digest('base64url').slice(0, length);

/** One event's id, whichever endpoint gets it: derived from where it sits in its subject's history. */
export const eventIdOf = (subject: Subject, position: string) =>
  `evt_${digest(`${subject.kind}#${subject.id}#${position}`, 22)}`;

const KIND_LETTER: Record<SubjectKind, string> = { job: 'j', complaint: 'c' };

/**
 * A delivery's id: deterministic from endpoint, subject and position (a redelivered stream record
 * puts the same item, which its condition refuses), and it names its subject, so the one queue it
 * belongs to is found from the id alone.
 */
export const deliveryIdOf = (endpointId: string, subject: Subject, position: string) =>
  `${KIND_LETTER[subject.kind]}.${subject.id}.${digest(`${endpointId}#${position}`, 12)}`;

export function subjectOfDeliveryId(deliveryId: string): Subject | null {
  const m = /^([jc])\.([A-Za-z0-9-]{1,40})\.[A-Za-z0-9_-]{12}$/.exec(deliveryId);
  if (!m?.[1] || !m[2]) return null;
  return { kind: m[1] === 'j' ? 'job' : 'complaint', id: m[2] };
}

/** The fields of an item's data a receiver is not sent: the signature image (large; GET /jobs/{id}/form has it). */
const WITHHELD = new Set(['signature']);

/**
 * The body: `{type, timestamp, data: {jobId|complaintId, property, status?, actor, …the item's data}}`.
 * `timestamp` is when it happened (the item's `at`), not when it was sent.
 */
export function payloadOf(
  subject: Subject,
  item: HistoryItem,
  context: { property: string; status?: string },
): string {
  const details = Object.fromEntries(Object.entries(item.data).filter(([k]) => !WITHHELD.has(k)));
  const data = {
    ...details,
    [subject.kind === 'job' ? 'jobId' : 'complaintId']: subject.id,
    property: context.property,
    ...(context.status !== undefined && { status: context.status }),
    actor: item.actor,
  };
  return JSON.stringify({ type: item.type, timestamp: item.at, data });
}

export function newDelivery(
  endpoint: WebhookEndpoint,
  subject: Subject,
  position: string,
  type: string,
  body: string,
  now: Date,
): Delivery {
  return {
    deliveryId: deliveryIdOf(endpoint.endpointId, subject, position),
    endpointId: endpoint.endpointId,
    eventId: eventIdOf(subject, position),
    type,
    subject,
    position,
    body,
    createdAt: now.toISOString(),
    status: 'pending',
    attempts: [],
    nextAttemptAt: now.toISOString(),
    retryUntil: new Date(now.getTime() + RETRY_WINDOW_MS).toISOString(),
    parkedReason: null,
    version: 1,
  };
}

/**
 * How long to wait after the `failed`-th failed attempt (1, 2, …): doubling from BACKOFF.baseMs, with
 * jitter in the upper half of each step ("equal jitter"), so that receivers failing together do not
 * come back together, and still each gap is at least as long as the one before (until the cap).
 */
export function backoffMs(failed: number, random: () => number = Math.random): number {
  const step = Math.min(BACKOFF.capMs, BACKOFF.baseMs * 2 ** Math.max(0, failed - 1));
  return Math.round(step / 2 + (random() * step) / 2);
}

/** The secrets that sign now: the newest, and an older one until its `until`. */
export const signingSecrets = (e: WebhookEndpoint, now: Date) =>
  e.secrets.filter((s, i) => i === 0 || (s.until !== null && Date.parse(s.until) > now.getTime()));

const keyOf = (secret: string) => Buffer.from(secret.replace(/^whsec_/, ''), 'base64');

/** Standard Webhooks: `v1,<base64 HMAC-SHA256(key, "{id}.{timestamp}.{body}")>`. */
export function sign(secret: string, id: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', keyOf(secret)).update(`${id}.${timestamp}.${body}`).digest('base64');
  return `v1,${mac}`;
}

/** The three headers, one signature per secret that signs now (space-separated, as the spec allows). */
export function signedHeaders(secrets: readonly string[], id: string, timestamp: number, body: string) {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': secrets.map((s) => sign(s, id, timestamp, body)).join(' '),
  };
}

/** A receiver's answer: any 2xx delivers; anything else (and no answer) is tried again. */
export const delivered = (attempt: DeliveryAttempt) =>
  attempt.status !== null && attempt.status >= 200 && attempt.status < 300;

/**
 * A delivery after one attempt: delivered; or pending again after the backoff; or parked, when the
 * next attempt would fall after its retry window.
 */
export function afterAttempt(
  d: Delivery,
  attempt: DeliveryAttempt,
  now: Date,
  random?: () => number,
): Delivery {
  const attempts = [...d.attempts, attempt];
  if (delivered(attempt))
    return { ...d, attempts, status: 'delivered', nextAttemptAt: null, version: d.version + 1 };
  // The backoff counts the failures of this window only: a manual retry starts it over.
  const windowStart = Date.parse(d.retryUntil) - RETRY_WINDOW_MS;
  const failedInWindow = attempts.filter((a) => !delivered(a) && Date.parse(a.at) >= windowStart).length;
  const next = now.getTime() + backoffMs(failedInWindow, random);
  if (next > Date.parse(d.retryUntil))
    return {
      ...d,
      attempts,
      status: 'parked',
      nextAttemptAt: null,
      parkedReason: 'retries_exhausted',
      version: d.version + 1,
    };
  return { ...d, attempts, nextAttemptAt: new Date(next).toISOString(), version: d.version + 1 };
}

export const parked = (d: Delivery, reason: NonNullable<Delivery['parkedReason']>): Delivery => ({
  ...d,
  status: 'parked',
  nextAttemptAt: null,
  parkedReason: reason,
  version: d.version + 1,
});

/** A manual retry: due now, with a fresh 24-hour window (a parked delivery; a pending one is just due now). */
export const retried = (d: Delivery, now: Date): Delivery => ({
  ...d,
  status: 'pending',
  nextAttemptAt: now.toISOString(),
  retryUntil: new Date(now.getTime() + RETRY_WINDOW_MS).toISOString(),
  parkedReason: null,
  version: d.version + 1,
});

/** The disable rule (DISABLE_AFTER) on the endpoint as its last failed attempt left it. */
export const shouldDisable = (e: WebhookEndpoint, now: Date) =>
  e.status === 'enabled' &&
  e.failingSince !== null &&
  now.getTime() - Date.parse(e.failingSince) >= DISABLE_AFTER.ms &&
  e.failures >= DISABLE_AFTER.attempts;

export function viewOf(e: WebhookEndpoint, now: Date): EndpointView {
  const { secrets, version, ...rest } = e;
  const older = secrets.slice(1).filter((s) => s.until !== null && Date.parse(s.until) > now.getTime());
  return { ...rest, secretRotatedUntil: older[0]?.until ?? null };
}

export function deliveryView(d: Delivery): DeliveryView {
  const { body, version, ...rest } = d;
  return { ...rest, payload: JSON.parse(body) as unknown };
}
