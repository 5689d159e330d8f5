import { randomUUID } from 'node:crypto';
import { authorize } from './access';
import { ConflictError, NotFoundError } from './errors';
import type { Notice } from './notifications';
import type { DeliveryQueue, Ports, WebhookPorts } from './ports';
import type { RecordedEvent } from './recorded-events';
import type { DeliveryListQuery, WebhookEndpointRequest } from './schemas';
import { type Caller, type Locale, propertyOf } from './types';
import { checkTarget } from './webhook-target';
import {
  afterAttempt,
  DELIVERY_TIMEOUT_MS,
  type Delivery,
  type DeliveryAttempt,
  deliveryView,
  endpointWants,
  matchesFilter,
  newDelivery,
  newEndpointId,
  newSecret,
  parked,
  payloadOf,
  ROTATION_OVERLAP_MS,
  retried,
  type Subject,
  type SubjectKind,
  shouldDisable,
  signedHeaders,
  signingSecrets,
  viewOf,
  type WebhookEndpoint,
} from './webhooks';

// Outbound webhooks' use cases: managers register endpoints; the stream's follower queues every
// job and complaint event for the endpoints that want it; the deliverer drains one (endpoint,
// subject) queue at a time, in order, under a lease.

export type WebhookUseCasePorts = Pick<
  Ports,
  'clock' | 'logger' | 'metrics' | 'notifier' | 'store' | 'complaints' | 'settings'
> &
  WebhookPorts;

/**
 * A limited manager sees the endpoints registered for properties they all cover; a company
 * manager sees every one. Anyone else is told it does not exist.
 */
function visibleTo(caller: Caller, e: WebhookEndpoint): boolean {
  const scope = caller.properties;
  if (!scope) return true;
  return e.properties?.every((p) => scope.includes(p)) ?? false;
}

async function ownEndpoint(p: WebhookUseCasePorts, caller: Caller, endpointId: string) {
  authorize(caller, 'manage_webhooks');
  const endpoint = await p.webhooks.endpoint(endpointId);
  if (!endpoint || !visibleTo(caller, endpoint)) throw new NotFoundError('No such webhook endpoint');
  return endpoint;
}

export async function registerEndpoint(p: WebhookUseCasePorts, caller: Caller, body: WebhookEndpointRequest) {
  authorize(caller, 'manage_webhooks');
  await checkTarget(body.url, p.webhookTargets, p.resolve);
  const secret = newSecret();
  const endpoint: WebhookEndpoint = {
    endpointId: newEndpointId(),
    url: body.url,
    events: [...new Set(body.events)],
    description: body.description ?? null,
    properties: caller.properties ? [...caller.properties] : null,
    createdBy: caller.sub,
    createdAt: p.clock.now().toISOString(),
    status: 'enabled',
    disabledAt: null,
    secrets: [{ secret, until: null }],
    failingSince: null,
    failures: 0,
    version: 1,
  };
  await p.webhooks.createEndpoint(endpoint);
  return { endpointId: endpoint.endpointId, secret, endpoint: viewOf(endpoint, p.clock.now()) };
}

export async function listEndpoints(p: WebhookUseCasePorts, caller: Caller) {
  authorize(caller, 'manage_webhooks');
  const now = p.clock.now();
  return {
    items: (await p.webhooks.endpoints()).filter((e) => visibleTo(caller, e)).map((e) => viewOf(e, now)),
  };
}

export async function getEndpoint(p: WebhookUseCasePorts, caller: Caller, endpointId: string) {
  return viewOf(await ownEndpoint(p, caller, endpointId), p.clock.now());
}

/** Its deliveries stay listed until they expire; those still pending are parked as they come up. */
export async function deleteEndpoint(p: WebhookUseCasePorts, caller: Caller, endpointId: string) {
  await ownEndpoint(p, caller, endpointId);
  await p.webhooks.deleteEndpoint(endpointId);
}

/** A new secret, shown once; the old one keeps signing beside it for ROTATION_OVERLAP_MS. */
export async function rotateSecret(p: WebhookUseCasePorts, caller: Caller, endpointId: string) {
  const endpoint = await ownEndpoint(p, caller, endpointId);
  const now = p.clock.now();
  const until = new Date(now.getTime() + ROTATION_OVERLAP_MS).toISOString();
  const secret = newSecret();
  const [current] = signingSecrets(endpoint, now);
  // Only the one signing now keeps signing: a secret rotated out before does not come back.
  const secrets = [{ secret, until: null }, ...(current ? [{ secret: current.secret, until }] : [])];
  if (
    !(await p.webhooks.saveEndpoint(
      { ...endpoint, secrets, version: endpoint.version + 1 },
      endpoint.version,
    ))
  )
    throw new ConflictError('The endpoint changed meanwhile; rotate again');
  return { endpointId, secret, previousSecretValidUntil: until };
}

export async function listDeliveries(
  p: WebhookUseCasePorts,
  caller: Caller,
  endpointId: string,
  query: DeliveryListQuery,
) {
  await ownEndpoint(p, caller, endpointId);
  const page = await p.webhooks.deliveries(endpointId, query);
  return { ...page, items: page.items.map(deliveryView) };
}

/**
 * A manual retry: the delivery is due now with a fresh 24-hour window. A delivered one is sent
 * again (the receiver dedupes by webhook-id). Retrying on a disabled endpoint turns it on again:
 * the manager says it is fixed.
 */
export async function retryDelivery(
  p: WebhookUseCasePorts,
  caller: Caller,
  endpointId: string,
  deliveryId: string,
) {
  const endpoint = await ownEndpoint(p, caller, endpointId);
  const delivery = await p.webhooks.delivery(endpointId, deliveryId);
  if (!delivery) throw new NotFoundError('No such delivery');
  if (endpoint.status === 'disabled') {
    const on = { ...endpoint, status: 'enabled' as const, disabledAt: null, failingSince: null, failures: 0 };
    await p.webhooks.saveEndpoint({ ...on, version: endpoint.version + 1 }, endpoint.version);
  }
  const next = retried(delivery, p.clock.now());
  if (!(await p.webhooks.saveDelivery(next, delivery.version)))
    throw new ConflictError('The delivery is being sent now; look again in a moment');
  await p.scheduler.kick({ endpointId, subject: delivery.subject });
  return deliveryView(next);
}

/**
 * The stream's follower: one recorded event queued for every endpoint that wants it (its type, its
 * property), idempotently (the delivery id is derived from endpoint and event), then the queue is
 * kicked. A redelivered event writes nothing new and kicks again, which is harmless.
 */
export async function enqueueEvent(p: WebhookUseCasePorts, event: RecordedEvent): Promise<number> {
  const wanting = (await p.webhooks.endpoints()).filter((e) => matchesFilter(e.events, event.item.type));
  // No endpoint wants this type: the subject is not even read.
  if (!wanting.length) return 0;
  const context = await contextOf(p, event.subject, event.id);
  if (!context) return 0;
  const subject: Subject = { kind: event.subject, id: event.id };
  const body = payloadOf(subject, event.item, context);
  const now = p.clock.now();
  let queued = 0;
  for (const endpoint of wanting.filter((e) => endpointWants(e, event.item.type, context.property))) {
    const delivery = newDelivery(endpoint, subject, event.position, event.item.type, body, now);
    if (await p.webhooks.enqueue(delivery)) queued++;
    await p.scheduler.kick({ endpointId: endpoint.endpointId, subject });
  }
  return queued;
}

/** The subject's property and status now (the payload's `property` and `status`). */
async function contextOf(p: WebhookUseCasePorts, kind: SubjectKind, id: string) {
  const aggregate = kind === 'job' ? await p.store.get(id) : await p.complaints.get(id);
  return aggregate ? { property: propertyOf(aggregate.unitId), status: aggregate.status } : null;
}

/** How long a run holds a queue: longer than the deliverer's timeout, so a lease never runs out mid-send. */
export const LEASE_MS = 6 * 60 * 1000;
/** Sends per run; then the run hands the queue to a fresh one (the function's time is bounded). */
export const MAX_SENDS_PER_RUN = 20;

export type DrainOutcome = 'empty' | 'scheduled' | 'busy' | 'handed_on';

/**
 * The deliverer: sends the queue's pending deliveries in order, one at a time, until it is empty,
 * the head is not due yet (then a run is scheduled for it), or the run's share is used up. A queue
 * held by another run is left to it, with a check scheduled for when its lease runs out (the other
 * run may have died). After letting go, a delivery queued meanwhile (its kick found the lease
 * taken) is picked up by going round once more.
 */
export async function drainQueue(p: WebhookUseCasePorts, queue: DeliveryQueue): Promise<DrainOutcome> {
  const holder = randomUUID();
  for (;;) {
    // The lease bounds real running time, so it is on the wall clock: a jump of the local stack's
    // virtual clock must not expire a lease whose run is still sending.
    const wall = p.wallClock.now();
    if (!(await p.webhooks.lease(queue, holder, new Date(wall.getTime() + LEASE_MS), wall))) {
      await p.scheduler.at(queue, new Date(p.clock.now().getTime() + LEASE_MS));
      return 'busy';
    }
    let outcome: DrainOutcome;
    try {
      outcome = await drainHeld(p, queue);
    } finally {
      await p.webhooks.release(queue, holder);
    }
    if (outcome !== 'empty') return outcome;
    const head = (await p.webhooks.queue(queue)).find((d) => d.status === 'pending');
    if (!head) return 'empty';
  }
}

async function drainHeld(p: WebhookUseCasePorts, queue: DeliveryQueue): Promise<DrainOutcome> {
  for (let sent = 0; ; ) {
    const head = (await p.webhooks.queue(queue)).find((d) => d.status === 'pending');
    if (!head) return 'empty';
    const endpoint = await p.webhooks.endpoint(queue.endpointId);
    if (!endpoint || endpoint.status === 'disabled') {
      // Parked, not dropped: listed, and a manager's retry sends it once the endpoint is back.
      if (await p.webhooks.saveDelivery(parked(head, 'endpoint_disabled'), head.version))
        p.metrics.record({ name: 'WebhookParked', value: 1 });
      continue;
    }
    const now = p.clock.now();
    if (head.nextAttemptAt && Date.parse(head.nextAttemptAt) > now.getTime()) {
      await p.scheduler.at(queue, new Date(head.nextAttemptAt));
      return 'scheduled';
    }
    if (sent++ >= MAX_SENDS_PER_RUN) {
      await p.scheduler.kick(queue);
      return 'handed_on';
    }
    const attempt = await attemptOnce(p, endpoint, head);
    const next = afterAttempt(head, attempt, p.clock.now());
    // A manual retry changed it meanwhile: read the queue again.
    if (!(await p.webhooks.saveDelivery(next, head.version))) continue;
    await recordOutcome(p, endpoint, next, attempt);
    if (next.status === 'pending' && next.nextAttemptAt) {
      await p.scheduler.at(queue, new Date(next.nextAttemptAt));
      return 'scheduled';
    }
  }
}

async function attemptOnce(
  p: WebhookUseCasePorts,
  endpoint: WebhookEndpoint,
  d: Delivery,
): Promise<DeliveryAttempt> {
  const at = p.clock.now();
  const base = { at: at.toISOString(), status: null, error: null, ms: 0 };
  let target: Awaited<ReturnType<typeof checkTarget>>;
  try {
    // Checked again at every attempt: the host's addresses may have changed since registration.
    target = await checkTarget(endpoint.url, p.webhookTargets, p.resolve);
  } catch {
    return { ...base, error: 'target' };
  }
  const timestamp = Math.floor(p.wallClock.now().getTime() / 1000);
  const secrets = signingSecrets(endpoint, at).map((s) => s.secret);
  const headers = {
    ...signedHeaders(secrets, d.eventId, timestamp, d.body),
    'content-type': 'application/json',
    'user-agent': 'home-repair-webhooks/1',
  };
  const started = performance.now();
  const answer = await p.sender.post(target, headers, d.body, DELIVERY_TIMEOUT_MS);
  const ms = Math.round(performance.now() - started);
  return 'status' in answer ? { ...base, status: answer.status, ms } : { ...base, error: answer.error, ms };
}

/** Metrics, and the endpoint's failure count: one that keeps failing is disabled, and the managers told. */
async function recordOutcome(
  p: WebhookUseCasePorts,
  endpoint: WebhookEndpoint,
  d: Delivery,
  attempt: DeliveryAttempt,
) {
  if (d.status === 'delivered') {
    p.metrics.record({ name: 'WebhookDelivered', value: 1 });
    if (endpoint.failingSince !== null) await p.webhooks.endpointDelivered(endpoint.endpointId);
    return;
  }
  p.metrics.record({ name: 'WebhookAttemptFailed', value: 1 });
  if (d.status === 'parked') p.metrics.record({ name: 'WebhookParked', value: 1 });
  const now = p.clock.now();
  const failing = await p.webhooks.endpointFailed(endpoint.endpointId, now);
  if (!failing || !shouldDisable(failing, now)) return;
  const off = {
    ...failing,
    status: 'disabled' as const,
    disabledAt: now.toISOString(),
    version: failing.version + 1,
  };
  if (!(await p.webhooks.saveEndpoint(off, failing.version))) return;
  p.logger.warn('webhook endpoint disabled', {
    endpointId: endpoint.endpointId,
    failures: failing.failures,
    attempt: attempt.status ?? attempt.error,
  });
  try {
    // Raised while delivering this subject's event: the alert names it, as every alert names one.
    const about = d.subject.kind === 'job' ? { jobId: d.subject.id } : { complaintId: d.subject.id };
    await p.notifier.publish(about, disabledAlert(off, p.settings.staffLocale));
  } catch (e) {
    // The endpoint is off either way and its listing says so; the alert is the managers' nudge.
    p.logger.error('webhook disabled alert not sent', { errorName: (e as Error)?.name ?? 'Error' });
  }
}

const DISABLED_WORDS: Record<Locale, (e: WebhookEndpoint) => { subject: string; message: string }> = {
  'zh-CN': (e) => ({
    subject: 'Webhook 端点已停用',
    message: `Webhook 端点 ${e.endpointId}(${e.url})自 ${e.failingSince} 起投递一直失败,已停用。修复接收方后,请重试一条已搁置的投递以重新启用。`,
  }),
  en: (e) => ({
    subject: 'Webhook endpoint disabled',
    message: `Webhook endpoint ${e.endpointId} (${e.url}) has failed every delivery since ${e.failingSince} and was disabled. Fix the receiver, then retry a parked delivery to turn it on again.`,
  }),
};

function disabledAlert(e: WebhookEndpoint, locale: Locale): Notice {
  const property = e.properties?.length === 1 ? e.properties[0] : undefined;
  return {
    topic: 'alerts',
    type: 'webhook.endpoint_disabled',
    severity: 'warning',
    ...DISABLED_WORDS[locale](e),
    attributes: { alertId: `${e.endpointId}:disabled:${e.disabledAt}`, ...(property && { property }) },
  };
}

/** At a start: every queue with a pending delivery gets a run (the local stack's timers did not survive). */
export async function rearmPending(p: WebhookUseCasePorts): Promise<number> {
  const queues = await p.webhooks.pendingQueues();
  for (const q of queues) await p.scheduler.kick(q);
  return queues.length;
}
