import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { MonthlyReport } from '../client/api-client';
import { TABLE_NAME } from '../local/stack';
import type { BenchClient } from './http';
import { progress } from './progress';
import { percentile, round, timed } from './stats';

// The monthly report of a month with 10,000 jobs by 100 technicians, against a single GetItem
// of a job, interleaved on the same DynamoDB Local. The counters are written through the same
// port the stream consumer uses, as if 10,000 bookings had been counted: the read costs what
// the month's partition holds (one item per technician and the totals), never the job count.

const MONTH = '2031-06';
const PROPERTY = 'B2';
export const REPORT_JOBS = 10_000;
export const REPORT_TECHNICIANS = 100;

async function seed(client: BenchClient) {
  const { reports } = client.stack.ports;
  await reports.apply('bench-totals', [
    { month: MONTH, property: PROPERTY, technician: null, counter: 'booked', by: REPORT_JOBS },
    { month: MONTH, property: PROPERTY, technician: null, counter: 'category:plumbing', by: REPORT_JOBS },
    { month: MONTH, property: PROPERTY, technician: null, counter: 'closed', by: REPORT_JOBS },
  ]);
  const each = REPORT_JOBS / REPORT_TECHNICIANS;
  for (let i = 0; i < REPORT_TECHNICIANS; i++) {
    const technician = { id: `t-bench-${String(i).padStart(3, '0')}`, name: `Technician ${i}` };
    await reports.apply(`bench-technician-${i}`, [
      { month: MONTH, property: PROPERTY, technician, counter: 'jobs', by: each },
      { month: MONTH, property: PROPERTY, technician, counter: 'arrival:met', by: each - 5 },
      { month: MONTH, property: PROPERTY, technician, counter: 'satisfaction:count', by: each - 20 },
      { month: MONTH, property: PROPERTY, technician, counter: 'satisfaction:sum', by: 4 * (each - 20) },
    ]);
  }
}

export async function benchReports(client: BenchClient, plan: { rounds: number; warmup: number }) {
  progress.phase(`reports: a month of ${REPORT_JOBS.toLocaleString('en')} jobs, against a GetItem`);
  await seed(client);
  const { stack } = client;
  const manager = client.staff('manager');
  const listed = await client.listJobs(manager, { limit: 1 });
  const jobId = 'items' in listed.body ? listed.body.items[0]?.jobId : undefined;
  if (!jobId) throw new Error('no job to GetItem: run the api bench first');
  const getItem = () =>
    stack.dynamo.client.send(
      new GetItemCommand({ TableName: TABLE_NAME, Key: { pk: { S: `JOB#${jobId}` }, sk: { S: 'JOB' } } }),
    );
  const request = async () => {
    const r = await client.getMonthlyReport(manager, { month: MONTH });
    if (r.status !== 200) throw new Error(`report answered ${r.status}`);
    const report = r.body as MonthlyReport;
    if (report.technicians.length !== REPORT_TECHNICIANS || report.jobs.booked !== REPORT_JOBS)
      throw new Error('the report does not hold the seeded month');
  };
  const read = () => stack.ports.reports.read(MONTH, null);

  // Interleaved, so all three see the same load; the first rounds warm connections and are dropped.
  const gets: number[] = [];
  const requests: number[] = [];
  const reads: number[] = [];
  for (let i = 0; i < plan.warmup + plan.rounds; i++) {
    const get = await timed(getItem);
    const req = await timed(request);
    const rd = await timed(read);
    if (i < plan.warmup) continue;
    gets.push(get);
    requests.push(req);
    reads.push(rd);
  }
  const p50 = (ms: number[]) => round(percentile(ms, 50));
  return {
    jobs: REPORT_JOBS,
    technicians: REPORT_TECHNICIANS,
    rounds: plan.rounds,
    getItemP50Ms: p50(gets),
    /** GET /reports/monthly over HTTP: auth, the handler, the Query and the JSON. */
    requestP50Ms: p50(requests),
    requestP99Ms: round(percentile(requests, 99)),
    /** The store's read alone (one Query of the month's partition). */
    storeReadP50Ms: p50(reads),
  };
}
