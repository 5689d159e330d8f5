import { drive, ON_SITE_STEPS, urgentBooking } from '../support/client';
import { testStack } from '../support/stack';

// The early-event race: the technician's events land before the workflow has parked its
// task token. The test starts its own stack, with a seam that holds the function back.

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
