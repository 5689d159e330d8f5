import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { drive, urgentBooking } from '../support/client';
import { testStack } from '../support/stack';

// A job can end (needs_follow_up, or closed/cancelled late) with its alert still queued: the
// stack stopping before PublishAlert succeeds must not lose it. Found by `npm run soak`.

const dataDir = mkdtempSync(join(tmpdir(), 'restart-alerts-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

test('an alert queued on a job that has already ended is published once after a restart', async () => {
  let refused = 0;
  const first = await testStack({
    dataDir,
    beforePublish: (params) => {
      if (JSON.stringify(params).includes('job.unable_to_fix')) {
        refused++;
        throw Object.assign(new Error('SNS is away'), { name: 'SNS.InternalErrorException' });
      }
    },
  });
  let jobId = '';
  try {
    const resident = await first.client.token('r-restart-alert', 'resident');
    jobId = (await first.client.book(resident, urgentBooking())).body.jobId;
    await drive(first.client, jobId, ['job.accepted', 'job.arrived', 'job.unable_to_fix']);
    const deadline = Date.now() + 10_000;
    while (refused === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(refused).toBeGreaterThan(0);
  } finally {
    await first.stack.stop(); // while PublishAlert waits to retry
  }

  const second = await testStack({ dataDir });
  try {
    await second.stack.workflow.settle();
    const manager = await second.client.token('m-restart-alert', 'manager');
    expect((await second.client.request('GET', `/jobs/${jobId}`, { token: manager })).body.status).toBe(
      'needs_follow_up',
    );
    const alerts = await second.client.notifications(jobId, 'alerts');
    expect(alerts.map((a) => a.attributes.type)).toEqual(['job.unable_to_fix']);
  } finally {
    await second.stack.stop();
  }
});

test('an alert published just before the stack died is not published again after the restart', async () => {
  let published = false;
  const first = await testStack({
    dataDir,
    // The stack dies between PublishAlert and ConfirmAlert: the task never answers.
    afterPublish: (params) =>
      JSON.stringify(params).includes('job.unable_to_fix')
        ? new Promise(() => {
            published = true;
          })
        : Promise.resolve(),
  });
  let jobId = '';
  try {
    const resident = await first.client.token('r-restart-published', 'resident');
    jobId = (await first.client.book(resident, urgentBooking())).body.jobId;
    await drive(first.client, jobId, ['job.accepted', 'job.arrived', 'job.unable_to_fix']);
    const deadline = Date.now() + 10_000;
    while (!published && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(published).toBe(true);
  } finally {
    await first.stack.stop();
  }

  const second = await testStack({ dataDir });
  try {
    await second.stack.workflow.settle();
    const alerts = await second.client.notifications(jobId, 'alerts');
    expect(alerts.map((a) => [a.attributes.type, a.attributes.alertId])).toEqual([
      ['job.unable_to_fix', `${jobId}:job.unable_to_fix`],
    ]);
    // The resumed execution confirmed it and ended: nothing is left for a third start.
    const job = await second.stack.ports.store.get(jobId);
    expect(job?.alerts['job.unable_to_fix']?.sent).toBe(true);
  } finally {
    await second.stack.stop();
  }
});
