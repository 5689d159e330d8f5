import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Outbox } from '../../../local/outbox';

// The outbox outlives the process: a restarted stack lists what was published before, so
// "each missed SLA is alerted exactly once" can be checked across restarts (npm run soak).

const clock = { now: () => new Date('2026-11-23T08:00:00.000Z') };
const quiet = () => {};
const alert = {
  topic: 'alerts' as const,
  type: 'sla.arrival_missed',
  subject: 'Late',
  message: 'm',
  severity: 'critical' as const,
};
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'outbox-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('a new outbox on the same file lists what the one before it published, in order', async () => {
  const path = join(dir, 'notifications.jsonl');
  const before = new Outbox(path, clock, quiet);
  await before.publish({ jobId: 'job-1' }, alert);
  before.publishRequest({
    TopicArn: 'arn:aws:sns:local:000000000000:alerts',
    Subject: 'Callback missed',
    Message: 'm',
    MessageAttributes: { type: { StringValue: 'sla.callback_missed' }, jobId: { StringValue: 'job-2' } },
  });

  const after = new Outbox(path, clock, quiet);

  expect(after.list({}).map((i) => [i.attributes.jobId, i.attributes.type])).toEqual([
    ['job-1', 'sla.arrival_missed'],
    ['job-2', 'sla.callback_missed'],
  ]);
  expect(after.list({ jobId: 'job-2', topic: 'alerts' })).toHaveLength(1);
});

test('a torn last line from a crash mid-append is dropped, and the next publish starts on a line of its own', async () => {
  const path = join(dir, 'notifications.jsonl');
  await new Outbox(path, clock, quiet).publish({ jobId: 'job-1' }, alert);
  appendFileSync(path, '{"topic":"alerts","subj');

  const after = new Outbox(path, clock, quiet);
  await after.publish({ jobId: 'job-3' }, alert);

  expect(after.list({}).map((i) => i.attributes.jobId)).toEqual(['job-1', 'job-3']);
  expect(new Outbox(path, clock, quiet).list({}).map((i) => i.attributes.jobId)).toEqual(['job-1', 'job-3']);
  expect(readFileSync(path, 'utf8').split('\n').filter(Boolean)).toHaveLength(2);
});

test('a damaged line in the middle is not silently skipped', () => {
  const path = join(dir, 'notifications.jsonl');
  writeFileSync(
    path,
    '{"topic":"alerts"\n{"topic":"alerts","subject":"s","message":"m","attributes":{},"publishedAt":"x"}\n',
  );

  expect(() => new Outbox(path, clock, quiet)).toThrow();
});

test("lists a notice's own attributes beside type and jobId, as SNS would carry them", async () => {
  const outbox = new Outbox(join(dir, 'notifications.jsonl'), clock, quiet);

  await outbox.publish(
    { jobId: 'job-1' },
    {
      topic: 'technicians',
      type: 'job.booked',
      subject: 's',
      message: 'm',
      attributes: { technicianId: 't-1' },
    },
  );

  expect(outbox.list({ topic: 'technicians' }).map((i) => i.attributes)).toEqual([
    { type: 'job.booked', jobId: 'job-1', technicianId: 't-1' },
  ]);
});
