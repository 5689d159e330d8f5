import { urgentBooking } from '../support/client';
import { testStack } from '../support/stack';

// Workflow tasks that fail: one that keeps failing ends its execution with one workflow.stalled
// alert, an SNS publish that fails is retried. Each test starts its own stack, with a seam
// that breaks a function or a publish.

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
    // "Record what the timer found" is retried 3 times (1 + 2 + 4 s, real time) before the catch.
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
