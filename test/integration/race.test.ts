import { drive, ON_SITE_STEPS, urgentBooking } from '../support/client';
import { testStack } from '../support/stack';

// Its own file: a local stack is one per process (it installs the process's ports), and
// these tests each start their own, with a seam to hold or break a function.

test('an arrival reported before the machine parks its token still moves the machine on (early-event race)', async () => {
  // Hold the arrival wait's function until the technician's events have landed.
  let release: () => void = () => {};
  const held = new Promise<void>((r) => {
    release = r;
  });
  let holding = false;
  const race = await testStack({
    beforeInvoke: async (fn, payload) => {
      if (
        fn === 'await-milestone' &&
        (payload as { milestone: string }).milestone === 'arrival' &&
        !holding
      ) {
        holding = true;
        await held;
      }
    },
  });
  try {
    const token = await race.client.token('r-2', 'resident');
    const jobId = (await race.client.book(token, urgentBooking())).body.jobId;
    await drive(race.client, jobId, ['job.accepted', 'job.arrived']);
    expect(holding).toBe(true);
    release();
    await race.stack.workflow.settle();
    await race.client.advance(20 * 60);

    const staff = await race.client.token('m-2', 'manager');
    const history = (await race.client.request('GET', `/jobs/${jobId}/history`, { token: staff })).body.items;
    expect(history.map((h: { type: string }) => h.type)).toEqual([
      'job.booked',
      'job.accepted',
      'job.arrived',
    ]);
    expect(await race.client.notifications(jobId, 'alerts')).toHaveLength(0);
    // The machine went on to wait for the end of the visit: signing resumes it to the callback wait.
    await drive(race.client, jobId, ON_SITE_STEPS);
    await race.stack.workflow.settle();
    expect(race.stack.workflow.running).toBe(1);
    // One jump past the due time: the missed callback is alerted, the moot reminder is not.
    await race.client.advance(8 * 24 * 3600);
    expect((await race.client.notifications(jobId, 'alerts')).map((a) => a.attributes.type)).toEqual([
      'sla.callback_missed',
    ]);
  } finally {
    release();
    await race.stack.stop();
  }
});

test('a task that keeps failing alerts the managers once and ends the execution; the job stays intact', async () => {
  const broken = await testStack({
    beforeInvoke: async (fn, payload) => {
      if (fn === 'workflow-step' && (payload as { action: string }).action === 'timer')
        throw new Error('boom');
    },
  });
  try {
    const token = await broken.client.token('r-3', 'resident');
    const jobId = (await broken.client.book(token, urgentBooking())).body.jobId;
    await broken.stack.workflow.settle();
    await broken.client.advance(11 * 60);
    // TimerFired is retried 3 times (1 + 2 + 4 s, real time) before the catch.
    const deadline = Date.now() + 20_000;
    while (broken.stack.workflow.running > 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));

    const alerts = await broken.client.notifications(jobId, 'alerts');
    expect(alerts.map((a) => [a.attributes.type, a.attributes.severity])).toEqual([
      ['workflow.stalled', 'critical'],
    ]);
    expect(alerts[0]?.message).toContain('Error');
    expect(broken.stack.workflow.running).toBe(0);
    const staff = await broken.client.token('m-3', 'manager');
    expect((await broken.client.request('GET', `/jobs/${jobId}`, { token: staff })).body.status).toBe(
      'booked',
    );
  } finally {
    await broken.stack.stop();
  }
});

test('an SNS publish that fails is retried by the state machine, and the alert arrives exactly once', async () => {
  let failures = 0;
  const flaky = await testStack({
    beforePublish: () => {
      if (failures < 2) {
        failures++;
        throw Object.assign(new Error('SNS is having a moment'), { name: 'SNS.InternalErrorException' });
      }
    },
  });
  try {
    const token = await flaky.client.token('r-4', 'resident');
    const jobId = (await flaky.client.book(token, urgentBooking())).body.jobId;
    await flaky.stack.workflow.settle();
    await flaky.client.advance(11 * 60);
    const deadline = Date.now() + 15_000;
    while ((await flaky.client.notifications(jobId, 'alerts')).length === 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    await flaky.stack.workflow.settle();
    await flaky.client.advance(3600);

    expect(failures).toBe(2);
    const alerts = await flaky.client.notifications(jobId, 'alerts');
    expect(alerts.map((a) => a.attributes.type)).toEqual(['sla.arrival_missed']);
  } finally {
    await flaky.stack.stop();
  }
});
