import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LocalStack } from '../../local/stack';
import { type Client, drive, ON_SITE_STEPS, urgentBooking } from '../support/client';
import { testStack } from '../support/stack';

// A late milestone that lands before the workflow's timer recorded the miss (issue #5): the
// real ASL, handlers and DynamoDB Local. The clock is frozen (speed 0): it moves only when a
// test jumps it, so "past the deadline, timer not fired yet" is a state a test can hold, with
// the seam that holds one of the machine's steps.
// The timer-first order is in workflow.test.ts; either way managers get exactly one alert.

let stack: LocalStack;
let client: Client;
let resident: string;
let agent: string;
let manager: string;

/** The next call of the machine's workflow-step function that `matches`, held until released. */
interface Hold {
  matches: (payload: { action?: string; id?: string }) => boolean;
  held: PromiseWithResolvers<void>;
  release: PromiseWithResolvers<void>;
}
let hold: Hold | null = null;
/** The next alert publish whose text includes `type`, held (after it went out) until released. */
let publishHold: {
  type: string;
  held: PromiseWithResolvers<void>;
  release: PromiseWithResolvers<void>;
} | null = null;

// Its own data folder, so one test can restart the stack on the same data.
const dataDir = mkdtempSync(join(tmpdir(), 'late-events-'));
const start = async () => {
  ({ stack, client } = await testStack({
    dataDir,
    clockSpeed: 0,
    beforeInvoke: async (fn, payload) => {
      const h = hold;
      if (fn !== 'workflow-step' || !h?.matches(payload as { action?: string; id?: string })) return;
      hold = null;
      h.held.resolve();
      await h.release.promise;
    },
    afterPublish: async (params) => {
      const h = publishHold;
      if (!h || !JSON.stringify(params).includes(h.type)) return;
      publishHold = null;
      h.held.resolve();
      await h.release.promise;
    },
  }));
};

beforeAll(async () => {
  await start();
  resident = await client.token('r-late', 'resident');
  agent = await client.token('a-late', 'agent');
  manager = await client.token('m-late', 'manager');
});
afterAll(async () => {
  hold?.release.resolve();
  publishHold?.release.resolve();
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

function holdNext(matches: Hold['matches']): Hold {
  hold = { matches, held: Promise.withResolvers<void>(), release: Promise.withResolvers<void>() };
  return hold;
}

/**
 * Jumps the clock without waiting for the workflow to settle, as POST /_local/clock does
 * (a held step never settles); due timers fire as they would on the route.
 */
const jump = (seconds: number) => stack.clock.advance(seconds);

async function reached(h: Pick<Hold, 'held'>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('the machine never reached the held step')), 10_000);
  });
  await Promise.race([h.held.promise, timeout]).finally(() => clearTimeout(timer));
}

const alertsOf = async (jobId: string, type: string) =>
  (await client.notifications(jobId, 'alerts')).filter((n) => n.attributes.type === type);
const jobOf = async (jobId: string) =>
  (await client.request('GET', `/jobs/${jobId}`, { token: manager })).body;
const historyOf = async (jobId: string): Promise<Array<{ type: string; actor: string }>> =>
  (await client.request('GET', `/jobs/${jobId}/history`, { token: manager })).body.items;

test('a technician arriving late, before the fired arrival timer is recorded, raises exactly one alert', async () => {
  const r = await client.book(resident, urgentBooking());
  const jobId = r.body.jobId as string;
  await stack.workflow.settle();
  await drive(client, jobId, ['job.accepted']);
  // The timer fires at the deadline; its TimerFired step is held until the late arrival is in.
  const timer = holdNext((p) => p.action === 'timer' && p.id === jobId);
  jump(11 * 60);
  await reached(timer);

  await drive(client, jobId, ['job.arrived']);
  timer.release.resolve();
  await stack.workflow.settle();
  await client.advance(3600);
  await stack.workflow.settle();

  const alerts = await alertsOf(jobId, 'sla.arrival_missed');
  expect(alerts).toHaveLength(1);
  expect(alerts[0]?.attributes).toEqual({
    type: 'sla.arrival_missed',
    jobId,
    severity: 'critical',
    alertId: `${jobId}:sla.arrival_missed`,
    property: 'B2',
  });
  expect(alerts[0]?.message).toContain('技术员迟到 1 分钟');
  const job = await jobOf(jobId);
  expect(job.status).toBe('arrived');
  expect(job.sla.arrivalMet).toBe(false);
  expect((await historyOf(jobId)).map((h) => [h.type, h.actor])).toEqual([
    ['job.booked', 'resident:r-late'],
    ['job.accepted', 'technician:t-7'],
    ['sla.arrival_missed', 'system'],
    ['job.arrived', 'technician:t-7'],
  ]);
});

test('a callback reached late, while the callback timer has not fired, raises exactly one alert and closes the job', async () => {
  const r = await client.book(resident, urgentBooking());
  const jobId = r.body.jobId as string;
  await stack.workflow.settle();
  await drive(client, jobId, ['job.accepted', 'job.arrived', ...ON_SITE_STEPS]);
  await stack.workflow.settle();
  // The reminder's publish is held past the deadline. The step after it (carried with the alert)
  // was timed when the reminder was due, so its callback timer starts late and the frozen clock
  // never reaches it: the machine waits for the callback with its timer unfired.
  const published = {
    type: 'callback.reminder',
    held: Promise.withResolvers<void>(),
    release: Promise.withResolvers<void>(),
  };
  publishHold = published;
  jump(6 * 24 * 3600 + 60);
  await reached(published);
  jump(24 * 3600 + 3 * 3600);
  published.release.resolve();
  await stack.workflow.settle();
  expect(await alertsOf(jobId, 'sla.callback_missed')).toHaveLength(0);

  const running = stack.workflow.running;
  const done = await client.request('POST', `/jobs/${jobId}/callback`, {
    token: agent,
    body: { reached: true, satisfaction: 4, issueResolved: true },
  });
  expect(done.status).toBe(200);
  expect(done.body).toMatchObject({ status: 'closed', sla: { callbackMet: false } });
  await stack.workflow.settle();
  await client.advance(24 * 3600);
  await stack.workflow.settle();

  const alerts = await alertsOf(jobId, 'sla.callback_missed');
  expect(alerts).toHaveLength(1);
  expect(alerts[0]?.attributes.severity).toBe('warning');
  expect(alerts[0]?.message).toContain('超时 3 小时');
  expect(await alertsOf(jobId, 'callback.reminder')).toHaveLength(1);
  expect((await historyOf(jobId)).slice(-2).map((h) => [h.type, h.actor])).toEqual([
    ['sla.callback_missed', 'system'],
    ['callback.completed', 'agent:a-late'],
  ]);
  expect(stack.workflow.running).toBe(running - 1);
});

test('a technician arriving late while the machine waits, its arrival timer not fired, raises exactly one alert', async () => {
  const r = await client.book(resident, urgentBooking());
  const jobId = r.body.jobId as string;
  await stack.workflow.settle();
  await drive(client, jobId, ['job.accepted']);
  // A restart re-reads where each open job is. This job's first step runs late, past the
  // deadline, so it arms a 1 s timer that the frozen clock never reaches: the machine waits for
  // the arrival with its timer unfired, and the late arrival is what resumes it.
  await stack.stop();
  const load = holdNext((p) => p.action === 'load' && p.id === jobId);
  await start();
  await reached(load);
  jump(11 * 60);
  load.release.resolve();
  await stack.workflow.settle();
  expect(await alertsOf(jobId, 'sla.arrival_missed')).toHaveLength(0);

  await drive(client, jobId, ['job.arrived']);
  await stack.workflow.settle();
  await client.advance(3600);

  const alerts = await alertsOf(jobId, 'sla.arrival_missed');
  expect(alerts).toHaveLength(1);
  // The restart's downtime counts too, so "1 minute" or a little more.
  expect(alerts[0]?.message).toMatch(/技术员迟到 \d+ 分钟/);
  expect((await jobOf(jobId)).sla.arrivalMet).toBe(false);
  expect((await historyOf(jobId)).map((h) => h.type)).toEqual([
    'job.booked',
    'job.accepted',
    'sla.arrival_missed',
    'job.arrived',
  ]);
});
