import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, drive, ON_SITE_STEPS, urgentBooking } from '../support/client';
import { dynamoProcesses, type Running, startProcess, waitFor } from '../support/process';
import { TEST_SECRET } from '../support/stack';

// `npm start` as a real process: serves the contract, stops cleanly, continues open jobs
// after a restart on the same DATA_DIR, and never leaves a DynamoDB Local behind.

const dataDir = mkdtempSync(join(tmpdir(), 'home-repair-e2e-'));
const env = { TECH_WEBHOOK_SECRET: TEST_SECRET };
let running: Running | undefined;

afterEach(async () => {
  if (running?.child.exitCode === null) {
    running.child.kill('SIGTERM');
    await running.exited;
  }
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

test('a job driven over HTTP alone reaches closed, its history listing every step once', async () => {
  running = await startProcess(dataDir, env);
  const client = new Client(running.url, TEST_SECRET);
  const resident = await client.token('r-e2e', 'resident');
  const jobId = (await client.book(resident, urgentBooking({ locale: 'en' }))).body.jobId;
  await drive(client, jobId, ['job.accepted', 'job.en_route', 'job.arrived', ...ON_SITE_STEPS]);
  const agent = await client.token('a-e2e', 'agent');
  const closed = await client.request('POST', `/jobs/${jobId}/callback`, {
    token: agent,
    body: { reached: true, satisfaction: 5, issueResolved: true },
  });

  expect(closed.body.status).toBe('closed');
  const history = (await client.request('GET', `/jobs/${jobId}/history`, { token: resident })).body.items;
  expect(history.map((h: { type: string }) => h.type)).toEqual([
    'job.booked',
    'job.accepted',
    'job.en_route',
    'job.arrived',
    ...ON_SITE_STEPS,
    'callback.completed',
  ]);
});

test('Ctrl-C stops the stack and its DynamoDB Local; a restart continues the open job', async () => {
  running = await startProcess(dataDir, env);
  let client = new Client(running.url, TEST_SECRET);
  const resident = await client.token('r-restart', 'resident');
  const jobId = (await client.book(resident, urgentBooking())).body.jobId;
  await drive(client, jobId, ['job.accepted']);

  running.child.kill('SIGINT');
  expect(await running.exited).toBe(0);
  expect(await waitFor(() => dynamoProcesses(dataDir).length === 0, 5000)).toBe(true);

  running = await startProcess(dataDir, env);
  expect(running.output()).toMatch(/open jobs resumed: 1/);
  client = new Client(running.url, TEST_SECRET);
  const token = await client.token('r-restart', 'resident');
  expect((await client.request('GET', `/jobs/${jobId}`, { token })).body.status).toBe('accepted');
  await client.advance(11 * 60);
  const alerts = await client.notifications(jobId, 'alerts');
  expect(alerts.map((a) => a.attributes.type)).toEqual(['sla.arrival_missed']);
});

test('killed with SIGKILL mid-flow: DynamoDB Local goes too, and a restart loses nothing and alerts once', async () => {
  running = await startProcess(dataDir, env);
  let client = new Client(running.url, TEST_SECRET);
  const resident = await client.token('r-kill', 'resident');
  const jobId = (await client.book(resident, urgentBooking())).body.jobId;
  await drive(client, jobId, ['job.accepted']);
  expect(dynamoProcesses(dataDir).length).toBe(1);

  running.child.kill('SIGKILL');
  await running.exited;
  expect(await waitFor(() => dynamoProcesses(dataDir).length === 0, 5000)).toBe(true);

  running = await startProcess(dataDir, env);
  client = new Client(running.url, TEST_SECRET);
  const token = await client.token('r-kill', 'resident');
  const history = (await client.request('GET', `/jobs/${jobId}/history`, { token })).body.items;
  expect(history.map((h: { type: string }) => h.type)).toEqual(['job.booked', 'job.accepted']);
  await client.advance(11 * 60);
  await client.advance(60 * 60);
  expect((await client.notifications(jobId, 'alerts')).map((a) => a.attributes.type)).toEqual([
    'sla.arrival_missed',
  ]);
});
