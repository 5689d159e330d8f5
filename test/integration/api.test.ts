import { ROUTES } from '../../functions/http/routes';
import type { LocalStack } from '../../local/stack';
import { type Client, drive, EVENT_DATA, urgentBooking } from '../support/client';
import { testStack } from '../support/stack';

// The contract's outside: status codes, problem+json naming the field, and "changes nothing".

let stack: LocalStack;
let client: Client;
let alice: string;
let bob: string;
let agent: string;
let manager: string;
let jobId: string;

beforeAll(async () => {
  ({ stack, client } = await testStack({ settings: { bookingsPerHour: 5 } }));
  alice = await client.token('r-alice', 'resident');
  bob = await client.token('r-bob', 'resident');
  agent = await client.token('a-1', 'agent');
  manager = await client.token('m-1', 'manager');
  jobId = (await client.book(alice, urgentBooking())).body.jobId;
  await stack.workflow.settle();
});
afterAll(async () => {
  await stack?.stop();
});

test('the front door serves every route of the table, each behind the JWT check unless open', async () => {
  for (const r of ROUTES) {
    const path = r.path.replace('{jobId}', jobId);
    const reply = await client.request(r.method, path, r.method === 'POST' ? { raw: '' } : {});

    if (r.open) expect([200, 400, 401]).toContain(reply.status);
    else expect(reply.status).toBe(401);
  }
});

/** The job and its history, to prove a rejected request changed nothing. */
const snapshot = async (id = jobId) => ({
  job: (await client.request('GET', `/jobs/${id}`, { token: manager })).body,
  history: (await client.request('GET', `/jobs/${id}/history`, { token: manager })).body,
});

function expectProblem(r: { status: number; body: any; headers: Headers }, status: number, path?: string) {
  expect(r.status).toBe(status);
  expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(r.body).toMatchObject({ status, title: expect.any(String), detail: expect.any(String) });
  expect(JSON.stringify(r.body)).not.toMatch(/at .*\.ts:\d+|stack|Exception/);
  if (path) expect(r.body.errors.map((e: { path: string }) => e.path)).toContain(path);
}

describe('booking', () => {
  test('rejects bad bodies with 400 naming the field, and creates nothing', async () => {
    const before = (await client.request('GET', '/jobs', { token: alice })).body.items.length;
    expectProblem(await client.book(alice, urgentBooking({ status: 'closed' })), 400);
    expectProblem(await client.book(alice, urgentBooking({ category: 'roof' })), 400, 'category');
    expectProblem(await client.book(alice, urgentBooking({ contactPhone: 12345 })), 400, 'contactPhone');
    expectProblem(await client.book(alice, urgentBooking({ description: '' })), 400, 'description');
    expectProblem(
      await client.book(
        alice,
        urgentBooking({ appointment: { start: new Date().toISOString(), end: new Date().toISOString() } }),
      ),
      400,
      'appointment',
    );
    expectProblem(await client.book(alice, urgentBooking({ priority: 'regular' })), 400, 'appointment');
    expectProblem(
      await client.request('POST', '/jobs', {
        token: alice,
        raw: '{"unitId":',
        headers: { 'content-type': 'application/json' },
      }),
      400,
      '(body)',
    );
    expectProblem(
      await client.request('POST', '/jobs', {
        token: alice,
        raw: 'unitId=B2',
        headers: { 'content-type': 'text/plain' },
      }),
      415,
    );
    expectProblem(
      await client.request('POST', '/jobs', {
        token: alice,
        raw: JSON.stringify(urgentBooking({ description: 'x'.repeat(300_000) })),
        headers: { 'content-type': 'application/json' },
      }),
      413,
    );
    expect((await client.request('GET', '/jobs', { token: alice })).body.items).toHaveLength(before);
  });

  test('needs a valid token (401), and an agent names the resident (400 naming residentId)', async () => {
    expectProblem(await client.book('', urgentBooking()), 401);
    expectProblem(await client.book(`${alice}x`, urgentBooking()), 401);
    expectProblem(await client.book(agent, urgentBooking()), 400, 'residentId');
  });

  test('a manager does not book (403)', async () => {
    expectProblem(await client.book(manager, urgentBooking({ residentId: 'r-anyone' })), 403);
  });

  test('phone intake: an agent books for a resident, who sees it in their list; their quota counts it', async () => {
    const caller = await client.token('r-phone-caller', 'resident');
    const booked = await client.book(
      agent,
      urgentBooking({ residentId: 'r-phone-caller', channel: 'phone' }),
    );

    expect(booked.status).toBe(201);
    expect(booked.body).toMatchObject({ residentId: 'r-phone-caller', channel: 'phone' });
    const mine = (await client.request('GET', '/jobs', { token: caller })).body.items;
    expect(mine.map((j: { jobId: string }) => j.jobId)).toEqual([booked.body.jobId]);
    const history = (await client.request('GET', `/jobs/${booked.body.jobId}/history`, { token: caller }))
      .body;
    expect(history.items[0]).toMatchObject({ type: 'job.booked', actor: 'agent:a-1' });
    // The stack allows 5 an hour: the agent's booking was the first.
    for (let i = 1; i < 5; i++) expect((await client.book(caller, urgentBooking())).status).toBe(201);
    expectProblem(await client.book(caller, urgentBooking()), 429);
  });

  test('the same Idempotency-Key returns the first job; with another body it is 422', async () => {
    const headers = { 'Idempotency-Key': 'book-123' };
    const body = urgentBooking();
    const first = await client.book(bob, body, headers);
    const again = await client.book(bob, body, headers);
    expect(again.status).toBe(201);
    expect(again.body.jobId).toBe(first.body.jobId);
    expectProblem(await client.book(bob, { ...body, description: 'Something else' }, headers), 422);
    const mine = (await client.request('GET', '/jobs', { token: bob })).body.items;
    expect(mine.filter((j: { jobId: string }) => j.jobId === first.body.jobId)).toHaveLength(1);
    expect(mine).toHaveLength(1);
  });
});

test('a resident over the hourly booking quota gets 429 with Retry-After, and no job', async () => {
  const token = await client.token('r-busy', 'resident');
  for (let i = 0; i < 5; i++) expect((await client.book(token, urgentBooking())).status).toBe(201);

  const over = await client.book(token, urgentBooking());

  expectProblem(over, 429);
  expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
  expect((await client.request('GET', '/jobs', { token })).body.items).toHaveLength(5);
});

describe('reading jobs', () => {
  test("a resident never sees another resident's job", async () => {
    expectProblem(await client.request('GET', `/jobs/${jobId}`, { token: bob }), 404);
    expectProblem(await client.request('GET', `/jobs/${jobId}/history`, { token: bob }), 404);
    expectProblem(await client.request('POST', `/jobs/${jobId}/cancel`, { token: bob, body: {} }), 404);
    const bobs = (await client.request('GET', '/jobs', { token: bob })).body.items;
    expect(bobs.every((j: { residentId: string }) => j.residentId === 'r-bob')).toBe(true);
  });

  test('staff list all jobs, by status, page by page', async () => {
    const page1 = await client.request('GET', '/jobs?status=booked&limit=1', { token: agent });
    expect(page1.status).toBe(200);
    expect(page1.body.items).toHaveLength(1);
    const page2 = await client.request(
      'GET',
      `/jobs?status=booked&limit=1&nextToken=${page1.body.nextToken}`,
      { token: agent },
    );
    expect(page2.body.items[0].jobId).not.toBe(page1.body.items[0].jobId);
    expectProblem(await client.request('GET', '/jobs?limit=1000', { token: agent }), 400, 'limit');
    expectProblem(
      await client.request('GET', `/jobs?nextToken=${page1.body.nextToken}`, { token: alice }),
      400,
      'nextToken',
    );
  });

  test('the S1 waiver flag is shown to staff, never to the resident', async () => {
    expect((await client.request('GET', `/jobs/${jobId}`, { token: alice })).body).not.toHaveProperty(
      'laborWaived',
    );
    expect((await client.request('GET', `/jobs/${jobId}`, { token: agent })).body.laborWaived).toBe(false);
  });

  test('GET /openapi.json documents every route from the zod schemas', async () => {
    const r = await client.request('GET', '/openapi.json');
    expect(r.body.openapi).toBe('3.1.0');
    expect(Object.keys(r.body.paths)).toEqual(
      expect.arrayContaining([
        '/jobs',
        '/jobs/{jobId}',
        '/jobs/{jobId}/history',
        '/jobs/{jobId}/cancel',
        '/jobs/{jobId}/callback',
        '/webhooks/technician',
      ]),
    );
    const booking = r.body.paths['/jobs'].post.requestBody.content['application/json'].schema;
    expect(booking.additionalProperties).toBe(false);
    expect(booking.properties.category.enum).toContain('plumbing');
  });
});

describe('technician webhook', () => {
  test('rejects bad signatures with 401 and changes nothing', async () => {
    const before = await snapshot();
    const accepted = { type: 'job.accepted', jobId, data: EVENT_DATA['job.accepted'] };
    expectProblem(await client.hook(accepted, { secret: 'whsec_d3Jvbmc=' }), 401);
    expectProblem(await client.hook(accepted, { timestamp: Math.floor(Date.now() / 1000) - 301 }), 401);
    expectProblem(await client.hook(accepted, { timestamp: Math.floor(Date.now() / 1000) + 301 }), 401);
    expect(await snapshot()).toEqual(before);
  });

  test('events out of order get 409 naming the status; a stranger technician gets 403; nothing changes', async () => {
    await drive(client, jobId, ['job.accepted']);
    const before = await snapshot();
    const early = await client.hook({ type: 'job.completed', jobId, data: EVENT_DATA['job.completed'] });
    expectProblem(early, 409);
    expect(early.body.detail).toContain('accepted');
    const second = await client.hook({
      type: 'job.accepted',
      jobId,
      technicianId: 't-99',
      data: EVENT_DATA['job.accepted'],
    });
    expectProblem(second, 409);
    expectProblem(
      await client.hook({
        type: 'job.arrived',
        jobId,
        technicianId: 't-99',
        data: EVENT_DATA['job.arrived'],
      }),
      403,
    );
    expectProblem(
      await client.hook({ type: 'job.arrived', jobId, data: { kit: { tools: 'yes' } } }),
      400,
      'data.kit.tools',
    );
    expectProblem(
      await client.hook({
        type: 'job.diagnosed',
        jobId,
        data: { ...(EVENT_DATA['job.diagnosed'] as object), residentAcknowledged: false },
      }),
      400,
    );
    expectProblem(
      await client.hook({ type: 'job.arrived', jobId: 'no-such-job', data: EVENT_DATA['job.arrived'] }),
      404,
    );
    expect(await snapshot()).toEqual(before);
  });

  test('a redelivered webhook-id is answered 200 again and recorded once', async () => {
    const id = 'msg_redelivery_1';
    const event = { type: 'job.en_route', jobId, data: EVENT_DATA['job.en_route'] };
    const first = await client.hook(event, { id });
    const again = await client.hook(event, { id });
    expect(first.status).toBe(202);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    const types = (await snapshot()).history.items.map((i: { type: string }) => i.type);
    expect(types.filter((t: string) => t === 'job.en_route')).toHaveLength(1);
  });
});

describe('cancel and callback rules', () => {
  test('agents cannot cancel, residents cannot record callbacks, callbacks need a signed job', async () => {
    const before = await snapshot();
    expectProblem(await client.request('POST', `/jobs/${jobId}/cancel`, { token: agent, body: {} }), 403);
    expectProblem(
      await client.request('POST', `/jobs/${jobId}/callback`, { token: alice, body: { reached: false } }),
      403,
    );
    const early = await client.request('POST', `/jobs/${jobId}/callback`, {
      token: agent,
      body: { reached: false },
    });
    expectProblem(early, 409);
    expectProblem(
      await client.request('POST', `/jobs/${jobId}/callback`, { token: agent, body: { reached: true } }),
      400,
      'satisfaction',
    );
    expect(await snapshot()).toEqual(before);
  });

  test('a resident cannot cancel after arrival; a manager can', async () => {
    const id = (await client.book(alice, urgentBooking())).body.jobId;
    await drive(client, id, ['job.accepted', 'job.arrived']);
    expectProblem(await client.request('POST', `/jobs/${id}/cancel`, { token: alice, body: {} }), 409);
    const r = await client.request('POST', `/jobs/${id}/cancel`, { token: manager });
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('cancelled');
  });
});
