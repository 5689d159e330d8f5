import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { urgentBooking } from '../support/client';
import { testStack } from '../support/stack';

// The escalation ladder on the local stack, across a restart: each step is sent once, whether
// the stack stops between two steps or between publishing a warning and marking it sent. One
// restart serves both jobs (two stack starts, not four: each start is DynamoDB Local's).

const dataDir = mkdtempSync(join(tmpdir(), 'escalation-restart-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const LADDER = ['sla.acceptance_warning', 'sla.arrival_at_risk', 'sla.arrival_missed'];

test('urgent jobs nobody accepts warn once at 2 minutes, are at risk once, then missed once, across a restart', async () => {
  let published = false;
  let dying = '';
  const first = await testStack({
    dataDir,
    // For one job the stack dies between "Alert the managers" and "Mark the alert sent".
    afterPublish: (params) =>
      dying && JSON.stringify(params).includes(`${dying}:sla.acceptance_warning`)
        ? new Promise(() => {
            published = true;
          })
        : Promise.resolve(),
  });
  let quiet = '';
  try {
    const resident = await first.client.token('r-ladder', 'resident');
    quiet = (await first.client.book(resident, urgentBooking())).body.jobId;
    dying = (await first.client.book(resident, urgentBooking())).body.jobId;
    await first.stack.workflow.settle();
    await first.client.advance(60);
    expect(await first.client.notifications(quiet, 'alerts')).toHaveLength(0);
    // Not settled: the dying job's execution never leaves "Alert the managers".
    first.stack.clock.advance(61);
    const deadline = Date.now() + 10_000;
    while (!published && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(published).toBe(true);
    // The quiet job's execution goes on meanwhile (settle() would wait for the dying one).
    const warned = () => first.client.notifications(quiet, 'alerts');
    while ((await warned()).length === 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    expect((await warned()).map((a) => a.attributes)).toEqual([
      {
        type: 'sla.acceptance_warning',
        jobId: quiet,
        severity: 'warning',
        alertId: `${quiet}:sla.acceptance_warning`,
        property: 'B2',
      },
    ]);
  } finally {
    await first.stack.stop();
  }

  const second = await testStack({ dataDir });
  try {
    await second.stack.workflow.settle();
    // The resumed executions asked where their jobs stand: no warning again, a timer for at-risk.
    for (const jobId of [quiet, dying])
      expect((await second.client.notifications(jobId, 'alerts')).map((a) => a.attributes.type)).toEqual([
        'sla.acceptance_warning',
      ]);
    expect((await second.stack.ports.store.get(dying))?.alerts['sla.acceptance_warning']?.sent).toBe(true);
    await second.client.advance(6 * 60);
    await second.client.advance(2 * 60);
    await second.client.advance(10 * 60);

    const manager = await second.client.token('m-ladder', 'manager');
    for (const jobId of [quiet, dying]) {
      const alerts = await second.client.notifications(jobId, 'alerts');
      expect(alerts.map((a) => [a.attributes.type, a.attributes.severity, a.attributes.property])).toEqual([
        ['sla.acceptance_warning', 'warning', 'B2'],
        ['sla.arrival_at_risk', 'warning', 'B2'],
        ['sla.arrival_missed', 'critical', 'B2'],
      ]);
      const history = (await second.client.request('GET', `/jobs/${jobId}/history`, { token: manager })).body
        .items as { type: string }[];
      expect(history.map((h) => h.type)).toEqual(['job.booked', ...LADDER]);
      const job = (await second.client.request('GET', `/jobs/${jobId}`, { token: manager })).body;
      const queued = (job.alerts as { type: string; sent: boolean }[]).map((a) => `${a.type} sent=${a.sent}`);
      expect(queued.sort()).toEqual(LADDER.map((type) => `${type} sent=true`).sort());
    }
  } finally {
    await second.stack.stop();
  }
  // Two stack starts and 20 simulated minutes: more than the default minute on a loaded machine.
}, 120_000);
