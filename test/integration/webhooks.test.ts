import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { expectStatus } from '../../client/api-client';
import { enqueueEvent } from '../../functions/domain/webhook-cases';
import type { DeliveryView } from '../../functions/domain/webhooks';
import type { LocalStack } from '../../local/stack';
import { type Client, drive, ON_SITE_STEPS, urgentBooking } from '../support/client';
import { testStack } from '../support/stack';

// Outbound webhooks on the local stack: real HTTP receivers on 127.0.0.1 verify every delivery
// with the Standard Webhooks reference library; the events come from the table's stream through
// the outbox-stream follower, the deliverer runs on the virtual clock's timers.

interface Received {
  id: string;
  type: string;
  jobId: string;
  verified: boolean;
  status: number;
}

/** A receiver that verifies each request with its secret and answers the next of `answers` (then 200). */
class Receiver {
  readonly received: Received[] = [];
  secret = '';
  answers: number[] = [];
  /** How long it takes to answer (a slow receiver keeps a delivery in flight). */
  delayMs = 0;
  private server: Server | undefined;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const payload = this.verify(body, req.headers);
        const status = this.answers.shift() ?? 200;
        const parsed = JSON.parse(body) as { type: string; data: { jobId: string } };
        this.received.push({
          id: String(req.headers['webhook-id']),
          type: parsed.type,
          jobId: parsed.data.jobId,
          verified: payload !== null,
          status,
        });
        setTimeout(() => res.writeHead(status).end(), this.delayMs);
      });
    });
    await new Promise<void>((ok) => this.server?.listen(0, '127.0.0.1', () => ok()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
    return this;
  }

  private verify(body: string, headers: IncomingHttpHeaders): unknown {
    try {
      return new Webhook(this.secret).verify(body, headers as Record<string, string>);
    } catch {
      return null;
    }
  }

  /** What was answered 2xx, by job: the events the receiver has. */
  delivered(jobId: string) {
    return this.received.filter((r) => r.jobId === jobId && r.status < 300);
  }

  stop(): Promise<void> {
    return new Promise((ok) => {
      this.server?.close(() => ok());
      this.server?.closeAllConnections();
    });
  }
}

let stack: LocalStack;
let client: Client;
let manager: string;
let resident: string;

async function settle(): Promise<void> {
  await stack.streams.settle();
  await stack.deliveries.idle();
}

/** Polls until `done()` holds, letting the stream and the deliverer catch up between looks. */
async function until(
  done: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 15_000,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    await settle();
    if (await done()) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function register(receiver: Receiver, events: string[], token = manager) {
  const created = expectStatus(
    await client.createWebhookEndpoint(token, { url: receiver.url, events }),
    201,
    'POST /integrations/webhooks',
  );
  receiver.secret = created.secret;
  return created.endpointId;
}

async function deliveriesOf(endpointId: string, status?: DeliveryView['status']): Promise<DeliveryView[]> {
  return expectStatus(
    await client.listWebhookDeliveries(manager, endpointId, { ...(status && { status }), limit: 100 }),
    200,
    'GET deliveries',
  ).items;
}

async function bookJob(): Promise<string> {
  const job = expectStatus(await client.bookJob(resident, urgentBooking() as never), 201, 'POST /jobs');
  return job.jobId;
}

/** The job's history types an endpoint of `job.*` gets, in order. */
async function jobEventTypes(jobId: string): Promise<string[]> {
  const history = expectStatus(await client.getJobHistory(manager, jobId), 200, 'GET history') as unknown as {
    items: { type: string }[];
  };
  return history.items.map((h) => h.type).filter((t) => t.startsWith('job.'));
}

/** Advances the virtual clock to the head delivery's next attempt (and a second past it). */
async function toNextAttempt(endpointId: string): Promise<void> {
  const [pending] = await deliveriesOf(endpointId, 'pending');
  if (!pending?.nextAttemptAt) return;
  const now = Date.parse(await client.now());
  await client.advance(Math.max(1, Math.ceil((Date.parse(pending.nextAttemptAt) - now) / 1000) + 1));
  await settle();
}

const receivers: Receiver[] = [];
const receiver = async () => {
  const r = await new Receiver().start();
  receivers.push(r);
  return r;
};

beforeAll(async () => {
  ({ stack, client } = await testStack());
  manager = await client.token('m-hooks', 'manager');
  resident = await client.token('r-hooks', 'resident');
}, 60_000);

afterAll(async () => {
  await stack?.stop();
  for (const r of receivers) await r.stop();
});

describe('outbound webhooks on the local stack', () => {
  it('a receiver gets every event of a job once, in order, each signed; an endpoint of another property gets none', async () => {
    const all = await receiver();
    const elsewhere = await receiver();
    const endpointId = await register(all, ['job.*']);
    await register(elsewhere, ['*'], await client.token('m-a1', 'manager', ['A1']));

    const jobId = await bookJob();
    await drive(client, jobId, ['job.accepted', 'job.en_route', 'job.arrived', ...ON_SITE_STEPS]);
    const expected = await jobEventTypes(jobId);
    await until(() => all.delivered(jobId).length >= expected.length, 'every event delivered');
    await settle();

    const got = all.received.filter((r) => r.jobId === jobId);
    expect(got.map((r) => r.type)).toEqual(expected);
    expect(got.every((r) => r.verified)).toBe(true);
    expect(new Set(got.map((r) => r.id)).size).toBe(got.length);
    expect(elsewhere.received).toEqual([]);
    const listed = (await deliveriesOf(endpointId)).filter((d) => d.subject.id === jobId);
    expect(listed.map((d) => d.status)).toEqual(expected.map(() => 'delivered'));

    // The stream delivers a record again: the follower writes nothing new and nothing is sent again.
    const first = listed[0] as DeliveryView;
    const payload = first.payload as { timestamp: string; data: { actor: string } };
    const again = await enqueueEvent(stack.ports, {
      subject: 'job',
      id: jobId,
      position: first.position,
      item: { type: first.type, at: payload.timestamp, actor: payload.data.actor, data: {} },
    });
    await settle();
    expect(again).toBe(0);
    expect(all.received.filter((r) => r.jobId === jobId)).toHaveLength(expected.length);
  });

  it('after three 500s it keeps getting them, in order; the gaps between attempts grow', async () => {
    const flaky = await receiver();
    const endpointId = await register(flaky, ['job.*']);
    flaky.answers = [500, 500, 500];

    const jobId = await bookJob();
    await drive(client, jobId, ['job.accepted', 'job.en_route']);
    await until(() => flaky.received.length >= 1, 'the first attempt');
    for (let i = 0; i < 3 && flaky.delivered(jobId).length === 0; i++) await toNextAttempt(endpointId);
    const expected = await jobEventTypes(jobId);
    await until(() => flaky.delivered(jobId).length >= expected.length, 'the rest delivered');

    expect(flaky.delivered(jobId).map((r) => r.type)).toEqual(expected);
    expect(flaky.received.slice(0, 4).map((r) => [r.type, r.status])).toEqual([
      ['job.booked', 500],
      ['job.booked', 500],
      ['job.booked', 500],
      ['job.booked', 200],
    ]);
    // The same webhook-id on every attempt: a receiver dedupes by it.
    expect(new Set(flaky.received.slice(0, 4).map((r) => r.id)).size).toBe(1);
    const booked = (await deliveriesOf(endpointId)).find(
      (d) => d.type === 'job.booked' && d.subject.id === jobId,
    );
    const times = (booked?.attempts ?? []).map((a) => Date.parse(a.at));
    const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
    expect(booked?.attempts.map((a) => a.status)).toEqual([500, 500, 500, 200]);
    expect(gaps).toHaveLength(3);
    expect(gaps[1]).toBeGreaterThan(gaps[0] as number);
    expect(gaps[2]).toBeGreaterThan(gaps[1] as number);
  });

  it('a delivery failing for 24 hours is parked and listed; a manual retry delivers it', async () => {
    const down = await receiver();
    const endpointId = await register(down, ['job.booked']);
    down.answers = Array.from({ length: 100 }, () => 503);

    const jobId = await bookJob();
    await until(() => down.received.length >= 1, 'the first attempt');
    for (let i = 0; i < 40 && (await deliveriesOf(endpointId, 'parked')).length === 0; i++)
      await toNextAttempt(endpointId);

    const [parked] = await deliveriesOf(endpointId, 'parked');
    expect(parked).toMatchObject({
      subject: { id: jobId },
      status: 'parked',
      parkedReason: 'retries_exhausted',
    });
    const attempts = parked?.attempts ?? [];
    const span = Date.parse(attempts.at(-1)?.at ?? '') - Date.parse(attempts[0]?.at ?? '');
    expect(span).toBeGreaterThan(20 * 3600_000);
    expect(span).toBeLessThanOrEqual(24 * 3600_000);
    expect(attempts.length).toBeGreaterThanOrEqual(8);

    down.answers = [];
    const retried = await client.retryWebhookDelivery(manager, endpointId, parked?.deliveryId ?? '');
    expect(retried.status).toBe(202);
    await until(() => down.delivered(jobId).length === 1, 'the retried delivery');
    expect((await deliveriesOf(endpointId)).find((d) => d.deliveryId === parked?.deliveryId)?.status).toBe(
      'delivered',
    );
  });

  it('a jump of the clock while a delivery is in flight sends nothing twice (the lease is on real time)', async () => {
    const slow = await receiver();
    await register(slow, ['job.*']);
    slow.delayMs = 2000;

    const jobId = await bookJob();
    // Not `until`: it would wait for the run to finish. The request has arrived; its answer has not.
    for (let i = 0; i < 200 && slow.received.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(slow.received).toHaveLength(1);
    // A day later, by the virtual clock, while the first is still being answered: a new event kicks the queue.
    await client.advance(24 * 3600);
    await drive(client, jobId, ['job.accepted']);
    await until(() => slow.delivered(jobId).length >= 2, 'both delivered');
    await new Promise((r) => setTimeout(r, 500));
    await settle();

    expect(slow.received.filter((r) => r.jobId === jobId).map((r) => r.type)).toEqual([
      'job.booked',
      'job.accepted',
    ]);
  });

  it('a rotated secret: both the new and the old one verify, for a day', async () => {
    const r = await receiver();
    const endpointId = await register(r, ['job.booked']);
    const old = r.secret;
    const rotated = expectStatus(await client.rotateWebhookSecret(manager, endpointId), 200, 'POST rotate');
    r.secret = rotated.secret;
    const jobId = await bookJob();
    await until(() => r.delivered(jobId).length === 1, 'the delivery after rotation');
    expect(r.delivered(jobId)[0]?.verified).toBe(true);
    // The old secret still verifies the same request: a receiver can switch over at its own pace.
    r.secret = old;
    const second = await bookJob();
    await until(() => r.delivered(second).length === 1, 'a delivery checked with the old secret');
    expect(r.delivered(second)[0]?.verified).toBe(true);
    const view = expectStatus(await client.getWebhookEndpoint(manager, endpointId), 200, 'GET endpoint');
    expect(view).not.toHaveProperty('secrets');
    expect(view.secretRotatedUntil).toBe(rotated.previousSecretValidUntil);
  });

  it('only managers register endpoints; a limited manager does not see a company endpoint', async () => {
    const agent = await client.token('a-hooks', 'agent');
    const refused = await client.createWebhookEndpoint(agent, { url: 'http://127.0.0.1:9/x', events: ['*'] });
    expect(refused.status).toBe(403);
    const r = await receiver();
    const endpointId = await register(r, ['complaint.*']);
    const limited = await client.token('m-b2', 'manager', ['B2']);
    expect((await client.getWebhookEndpoint(limited, endpointId)).status).toBe(404);
    expect((await client.deleteWebhookEndpoint(manager, endpointId)).status).toBe(204);
    expect((await client.getWebhookEndpoint(manager, endpointId)).status).toBe(404);
  });
});

describe('delivery targets as on AWS (webhookTargets: public)', () => {
  let aws: LocalStack;
  let awsClient: Client;
  let awsManager: string;

  beforeAll(async () => {
    ({ stack: aws, client: awsClient } = await testStack({ webhookTargets: 'public' }));
    awsManager = await awsClient.token('m-aws', 'manager');
  }, 60_000);
  afterAll(() => aws?.stop());

  it.each([
    ['http://127.0.0.1:8080/hooks', 'https'],
    ['https://127.0.0.1/hooks', 'private, loopback'],
    ['https://10.1.2.3/hooks', 'private, loopback'],
    ['https://169.254.169.254/latest/meta-data', 'link-local'],
    ['https://[::1]/hooks', 'private, loopback'],
    ['https://[fd00:ec2::254]/hooks', 'private, loopback'],
    ['https://[::ffff:10.0.0.1]/hooks', 'private, loopback'],
    ['https://localhost/hooks', 'private, loopback'],
  ])('%s is refused: 400 naming url', async (url, reason) => {
    const r = await awsClient.createWebhookEndpoint(awsManager, { url, events: ['job.*'] });

    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    expect(r.body).toMatchObject({ errors: [{ path: 'url', message: expect.stringContaining(reason) }] });
    expect((await awsClient.listWebhookEndpoints(awsManager)).body).toEqual({ items: [] });
  });
});
