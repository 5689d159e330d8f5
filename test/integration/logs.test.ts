import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { format } from 'node:util';
import type { LocalStack } from '../../local/stack';
import { type Client, drive, EVENT_DATA, ON_SITE_STEPS, urgentBooking } from '../support/client';
import { forgeToken, stackKey, validClaims } from '../support/jwt';
import { TEST_SECRET, testStack } from '../support/stack';

// Every line the functions and the local stack write during a realistic run, error paths
// included, at the most verbose settings an operator can turn on (DEBUG and every event
// logged): if nothing leaks here, nothing leaks at INFO. Powertools writes to
// process.stdout/stderr through its own Console, the stack through `print`; both are captured.

const PHONE = '+8613800138000';
const lines: string[] = [];
const restores: Array<() => void> = [];
const dataDir = mkdtempSync(join(tmpdir(), 'logs-test-'));
const tokens: string[] = [];
let stack: LocalStack;
let client: Client;
let sabotage: 'none' | 'function error' | 'database outage' = 'none';
let restarted: Promise<void> = Promise.resolve();

function capture(): void {
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write;
    stream.write = ((chunk: string | Uint8Array) => {
      lines.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    }) as typeof stream.write;
    restores.push(() => {
      stream.write = write;
    });
  }
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    const original = console[method];
    console[method] = (...args: unknown[]) => lines.push(format(...args));
    restores.push(() => {
      console[method] = original;
    });
  }
}

async function token(sub: string, role: 'resident' | 'manager' | 'agent'): Promise<string> {
  const r = await client.request('POST', '/_local/tokens', { body: { sub, role, phone: PHONE } });
  tokens.push(r.body.token);
  return r.body.token;
}

/** A token signed with the stack's own key (read from its data folder), valid but for what `claims` and `alg` break. */
function signed(claims: Record<string, unknown>, alg = 'HS256'): string {
  const t = forgeToken(stackKey(dataDir), validClaims(claims), { alg });
  tokens.push(t);
  return t;
}

beforeAll(async () => {
  capture();
  ({ stack, client } = await testStack({
    dataDir,
    logLevel: 'DEBUG',
    logEvent: true,
    print: (line) => lines.push(line),
    beforeInvoke: async (fn) => {
      if (fn !== 'await-milestone') return;
      if (sabotage === 'function error') {
        sabotage = 'none';
        throw Object.assign(
          new Error(
            `User: arn:aws:iam::123456789012:role/x is not authorized to perform: dynamodb:GetItem (${PHONE})`,
          ),
          { name: 'AccessDeniedException' },
        );
      }
      // The database goes away just as the task runs: the real handler fails, the ASL retries it.
      if (sabotage === 'database outage') {
        sabotage = 'none';
        await stack.dynamo.kill();
        restarted = new Promise((r) => setTimeout(r, 200)).then(() => stack.dynamo.restart());
      }
    },
  }));
});

afterAll(async () => {
  await stack?.stop();
  for (const restore of restores.reverse()) restore();
  rmSync(dataDir, { recursive: true, force: true });
});

test('a realistic run, error paths included, leaves nothing sensitive in any log line', async () => {
  const resident = await token('r-logs', 'resident');
  const agent = await token('a-logs', 'agent');

  // A job from booking to closed, then one whose technician is late.
  const jobId = (await client.book(resident, urgentBooking({ contactPhone: PHONE }))).body.jobId;
  await drive(client, jobId, ['job.accepted', 'job.arrived', ...ON_SITE_STEPS]);
  const closed = await client.request('POST', `/jobs/${jobId}/callback`, {
    token: agent,
    body: { reached: true, satisfaction: 5, issueResolved: true },
  });
  expect(closed.body.status).toBe('closed');
  const late = (await client.book(resident, urgentBooking())).body.jobId;
  await client.advance(11 * 60);

  // Requests that are refused.
  const refused = [
    await client.book(resident, urgentBooking({ category: 'roof', status: 'closed' })),
    await client.request('POST', '/jobs', {
      token: resident,
      raw: JSON.stringify(urgentBooking({ description: 'x'.repeat(300_000) })),
      headers: { 'content-type': 'application/json' },
    }),
    await client.request('GET', '/jobs', { token: 'not-a-jwt' }),
    await client.request('GET', '/jobs', {
      token: signed({ sub: 'r-logs', 'custom:role': 'resident' }, 'none'),
    }),
    await client.request('GET', '/jobs', {
      token: signed({ sub: 'r-logs', 'custom:role': 'resident', exp: Math.floor(Date.now() / 1000) - 60 }),
    }),
    await client.hook(
      { type: 'job.accepted', jobId: late, data: EVENT_DATA['job.accepted'] },
      { secret: 'whsec_d3Jvbmc=' },
    ),
    await client.hook(
      { type: 'job.accepted', jobId: late, data: EVENT_DATA['job.accepted'] },
      { timestamp: Math.floor(Date.now() / 1000) - 600 },
    ),
    await client.hook({ type: 'job.completed', jobId: late, data: EVENT_DATA['job.completed'] }),
    await client.request('GET', `/jobs/${jobId}`, { token: await token('r-other', 'resident') }),
  ];
  expect(refused.map((r) => r.status)).toEqual([400, 413, 401, 401, 401, 401, 401, 409, 404]);
  const redelivered = { type: 'job.accepted', jobId: late, data: EVENT_DATA['job.accepted'] };
  await client.hook(redelivered, { id: 'msg_logs_1' });
  expect((await client.hook(redelivered, { id: 'msg_logs_1' })).status).toBe(200);

  // The database down for a request, then for a workflow task; a task failing for good.
  await stack.dynamo.kill();
  expect((await client.book(resident, urgentBooking())).status).toBe(503);
  await stack.dynamo.restart();
  sabotage = 'database outage';
  expect((await client.book(resident, urgentBooking())).status).toBe(201);
  await restarted;
  await stack.workflow.settle(20_000);
  sabotage = 'function error';
  const stalled = (await client.book(resident, urgentBooking())).body.jobId;
  await stack.workflow.settle();
  expect((await client.notifications(stalled, 'alerts')).map((a) => a.attributes.type)).toEqual([
    'workflow.stalled',
  ]);
  await stack.stop();

  // Nothing sensitive, in any line.
  const has = (text: string) => lines.some((l) => l.includes(text));
  expect(offending(/\bat \S+ \(?\S+:\d+:\d+\)?|\.[jt]s:\d+:\d+/)).toEqual([]);
  expect(
    offending(/not authorized|arn:aws:iam|ECONNREFUSED|\$metadata|SDK error|@smithy|socket hang up/),
  ).toEqual([]);
  expect(offending(new RegExp(`whsec_(?!\\[redacted\\])|${TEST_SECRET.slice(6, 30)}`))).toEqual([]);
  expect(offending(/eyJ[\w-]+\.[\w-]+/)).toEqual([]);
  expect(tokens.filter((t) => has(t.split('.')[2] || t))).toEqual([]);
  expect(offending(/bearer\s+(?!\[redacted\])|"authorization":"(?!\[redacted\])/i)).toEqual([]);
  expect(offending(/v1,[A-Za-z0-9+/=]{16,}|"taskToken":"(?!\[redacted\])/)).toEqual([]);
  expect(offending(/\+[1-9]\d{6,14}(?!\d)|(?<![\w+])1[3-9]\d{9}(?!\d)/)).toEqual([]);
  // The capture works and redaction happened (not merely: nothing was logged).
  expect(has('ALERT [critical] Workflow stalled')).toBe(true);
  expect(has('"message":"task failed"') && has('"errorName":"UnavailableError"')).toBe(true);
  expect(has('"authorization":"[redacted]"')).toBe(true);
  expect(has('"contactPhone\\":\\"+86*******8000')).toBe(true);
  expect(has('"phone_number":"+86*******8000"')).toBe(true);
});

/** Each line matching the pattern, cut to the neighbourhood of the match (whole lines are huge). */
function offending(pattern: RegExp): string[] {
  return lines.flatMap((line) => {
    const m = pattern.exec(line);
    return m ? [line.slice(Math.max(0, m.index - 80), m.index + 80)] : [];
  });
}
