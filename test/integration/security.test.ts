import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signedHeaders } from '../../functions/http/webhook-signature';
import type { LocalStack } from '../../local/stack';
import { type Client, drive, EVENT_DATA, type Reply, urgentBooking } from '../support/client';
import { type ForgeOptions, forgeToken, stackKey, validClaims, withClaims } from '../support/jwt';
import { TEST_SECRET, testStack } from '../support/stack';

// OWASP API Top 10 (2023) over real HTTP, beyond what api.test.ts and
// concurrent-requests.test.ts already cover: every refusal is problem+json and leaves the job
// and its history exactly as they were.

const dataDir = mkdtempSync(join(tmpdir(), 'security-test-'));
let stack: LocalStack;
let client: Client;
let alice: string;
let bob: string;
let agent: string;
let manager: string;

beforeAll(async () => {
  ({ stack, client } = await testStack({ dataDir }));
  [alice, bob, agent, manager] = await Promise.all([
    client.token('r-sec-alice', 'resident'),
    client.token('r-sec-bob', 'resident'),
    client.token('a-sec', 'agent'),
    client.token('m-sec', 'manager'),
  ]);
});
afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The job and its history once the workflow is idle (it writes too, e.g. when it parks a token). */
async function snapshot(jobId: string) {
  await stack.workflow.settle();
  return {
    job: (await client.request('GET', `/jobs/${jobId}`, { token: manager })).body,
    history: (await client.request('GET', `/jobs/${jobId}/history`, { token: manager })).body,
  };
}
const idsOf = (r: Reply<any>) => (r.body.items as Array<{ jobId: string }>).map((j) => j.jobId);

function expectProblem(r: Reply<any>, status: number, path?: string) {
  expect(r.status).toBe(status);
  expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(r.body).toMatchObject({ status, title: expect.any(String), detail: expect.any(String) });
  if (path) expect(r.body.errors).toContainEqual({ path, message: expect.any(String) });
}

test("API1: a resident cannot cancel, list or page through another resident's jobs; they stay as they were", async () => {
  const bobs = [
    (await client.book(bob, urgentBooking())).body.jobId,
    (await client.book(bob, urgentBooking())).body.jobId,
  ];
  await stack.workflow.settle();
  const before = await Promise.all(bobs.map(snapshot));
  const bobsPage = await client.request('GET', '/jobs?limit=1', { token: bob });
  expect(bobsPage.body.nextToken).toEqual(expect.any(String));

  for (const id of bobs) {
    expectProblem(
      await client.request('POST', `/jobs/${id}/cancel`, { token: alice, body: { reason: 'mine now' } }),
      404,
    );
  }
  expectProblem(
    await client.request('GET', `/jobs?limit=1&nextToken=${encodeURIComponent(bobsPage.body.nextToken)}`, {
      token: alice,
    }),
    400,
    'nextToken',
  );
  expectProblem(
    await client.request('GET', '/jobs?residentId=r-sec-bob', { token: alice }),
    400,
    'residentId',
  );
  for (const query of ['', '?status=booked', '?status=booked&limit=100'])
    expect(idsOf(await client.request('GET', `/jobs${query}`, { token: alice }))).toEqual([]);

  expect(await Promise.all(bobs.map(snapshot))).toEqual(before);
});

test('API1: a technician cannot move a job another technician accepted, at any step (403, nothing written)', async () => {
  const jobId = (await client.book(alice, urgentBooking())).body.jobId;
  const stranger = (type: string) =>
    client.hook({ type, jobId, technicianId: 't-stranger', data: EVENT_DATA[type] });
  const steps: Array<[string, string[]]> = [
    ['job.accepted', ['job.en_route', 'job.arrived', 'job.unable_to_fix']],
    ['job.arrived', ['job.diagnosed', 'job.unable_to_fix']],
    ['job.diagnosed', ['job.work_started', 'job.quote_declined']],
  ];

  for (const [step, attempts] of steps) {
    await drive(client, jobId, [step], 't-owner');
    const before = await snapshot(jobId);
    for (const type of attempts) expectProblem(await stranger(type), 403);
    expect(await snapshot(jobId)).toEqual(before);
  }
});

test('API3: fields the server owns cannot be set through a body (400 naming the field, nothing created or changed)', async () => {
  const mine = async () => idsOf(await client.request('GET', '/jobs', { token: alice }));
  const jobsBefore = await mine();
  const owned = {
    status: 'closed',
    jobId: 'job-chosen',
    residentId: 'r-sec-bob',
    technicianId: 't-1',
    technician: { id: 't-1', name: 'Me' },
    sla: { arrivalDueAt: '2030-01-01T00:00:00.000Z' },
    arrivalMet: true,
    laborWaived: true,
    quote: { labor: 0, parts: 0, currency: 'CNY' },
    version: 99,
    createdAt: '2020-01-01T00:00:00.000Z',
  };
  for (const [field, value] of Object.entries(owned))
    expectProblem(await client.book(alice, urgentBooking({ [field]: value })), 400, field);
  expect(await mine()).toEqual(jobsBefore);

  const jobId = (await client.book(alice, urgentBooking())).body.jobId;
  await drive(client, jobId, ['job.accepted']);
  const before = await snapshot(jobId);
  expectProblem(
    await client.request('POST', `/jobs/${jobId}/cancel`, { token: alice, body: { status: 'closed' } }),
    400,
    'status',
  );
  expectProblem(
    await client.request('POST', `/jobs/${jobId}/callback`, {
      token: agent,
      body: { reached: false, callbackMet: true },
    }),
    400,
    'callbackMet',
  );
  expectProblem(
    await client.hook({
      type: 'job.arrived',
      jobId,
      data: { ...(EVENT_DATA['job.arrived'] as object), arrivalMet: true },
    }),
    400,
    'data.arrivalMet',
  );
  const withStatus = JSON.stringify({
    type: 'job.en_route',
    jobId,
    technicianId: 't-7',
    occurredAt: new Date().toISOString(),
    data: {},
    status: 'closed',
  });
  expectProblem(await client.hook({ type: 'job.en_route', jobId }, { raw: withStatus }), 400, 'status');
  expect(await snapshot(jobId)).toEqual(before);
});

/** A token signed with the stack's own key, so each case breaks exactly one rule. */
function token(claims: Record<string, unknown>, opts: ForgeOptions = {}): string {
  const base = validClaims({ sub: 'r-sec-alice', 'custom:role': 'resident', ...claims });
  return forgeToken(stackKey(dataDir), base, opts);
}

describe('API2: the JWT check refuses, over HTTP, a token', () => {
  const now = () => Math.floor(Date.now() / 1000);
  test.each<[string, () => string]>([
    ['from another issuer', () => token({ iss: 'https://evil.example' })],
    ['for another audience', () => token({ aud: 'someone-else' })],
    ['that has expired', () => token({ exp: now() - 1 })],
    ['without an expiry', () => token({ exp: undefined })],
    ['not valid yet', () => token({ nbf: now() + 600 })],
    ['whose header names another algorithm', () => token({}, { alg: 'HS512' })],
    ['with alg none and no signature', () => token({}, { alg: 'none' })],
    [
      'signed with another key',
      () => forgeToken('not-the-key', validClaims({ sub: 'r-sec-alice', 'custom:role': 'resident' })),
    ],
    [
      'whose claims were changed after signing',
      () => withClaims(token({}), validClaims({ sub: 'm-sec', 'custom:role': 'manager' })),
    ],
  ])('%s (401)', async (_, make) => {
    expectProblem(await client.request('GET', '/jobs', { token: make() }), 401);
  });

  test('a valid token carries no role of this service (403)', async () => {
    expectProblem(await client.request('GET', '/jobs', { token: token({ 'custom:role': 'admin' }) }), 403);
  });
});

describe('the technician webhook', () => {
  let jobId: string;
  beforeAll(async () => {
    jobId = (await client.book(alice, urgentBooking())).body.jobId;
    await drive(client, jobId, ['job.accepted']);
  });

  test('refuses a body changed after signing, and a delivery without signature headers (401, nothing written)', async () => {
    const before = await snapshot(jobId);
    const id = `msg_${randomUUID()}`;
    const timestamp = Math.floor(Date.now() / 1000);
    const signed = JSON.stringify({
      type: 'job.en_route',
      jobId,
      technicianId: 't-7',
      occurredAt: new Date().toISOString(),
      data: {},
    });
    const tampered = signed
      .replace('job.en_route', 'job.arrived')
      .replace('"data":{}', `"data":${JSON.stringify(EVENT_DATA['job.arrived'])}`);
    const post = (raw: string, headers: Record<string, string>) =>
      client.request('POST', '/webhooks/technician', {
        raw,
        headers: { 'content-type': 'application/json', ...headers },
      });

    expectProblem(await post(tampered, signedHeaders(TEST_SECRET, id, timestamp, signed)), 401);
    expectProblem(await post(signed, {}), 401);
    expect(await snapshot(jobId)).toEqual(before);
  });

  test('answers a repeated webhook-id 200 with the first outcome, even with another body, and changes nothing', async () => {
    const id = `msg_${randomUUID()}`;
    const first = await client.hook(
      { type: 'job.en_route', jobId, data: EVENT_DATA['job.en_route'] },
      { id },
    );
    const before = await snapshot(jobId);

    const again = await client.hook({ type: 'job.arrived', jobId, data: EVENT_DATA['job.arrived'] }, { id });

    expect(first.status).toBe(202);
    expect(again).toMatchObject({ status: 200, body: first.body });
    expect(await snapshot(jobId)).toEqual(before);
  });

  test('answers a body over 256 KiB with 413 and writes nothing; over 1 MiB the front door stops reading', async () => {
    const before = await snapshot(jobId);
    const huge = { ...(EVENT_DATA['job.form_signed'] as object), signature: 'A'.repeat(300 * 1024) };

    expectProblem(await client.hook({ type: 'job.form_signed', jobId, data: huge }), 413);
    expectProblem(
      await client.request('POST', '/jobs', {
        token: alice,
        raw: JSON.stringify(urgentBooking({ description: 'x'.repeat(1100 * 1024) })),
        headers: { 'content-type': 'application/json' },
      }),
      413,
    );
    expect(await snapshot(jobId)).toEqual(before);
  });
});

test('API3: no view or history carries the task token or other workflow internals', async () => {
  const jobId = (await client.book(alice, urgentBooking())).body.jobId;
  await stack.workflow.settle();
  const seen = [
    (await client.request('GET', `/jobs/${jobId}`, { token: alice })).body,
    (await client.request('GET', `/jobs/${jobId}`, { token: manager })).body,
    (await client.request('GET', `/jobs/${jobId}/history`, { token: manager })).body,
    (await client.request('GET', '/jobs?status=booked', { token: agent })).body,
  ];
  for (const body of seen) expect(JSON.stringify(body)).not.toMatch(/"(wait|token|taskToken)"/i);
  // Staff see each queued alert by type, severity and sent; the resident sees no alerts at all.
  expect(seen[0]).not.toHaveProperty('alerts');
  expect(seen[1].alerts).toEqual([]);
});
