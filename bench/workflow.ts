import type { FunctionName } from '../functions/names';
import { EVENT_DATA, ON_SITE_STEPS, urgentBooking } from '../test/support/client';
import { type CostBreakdown, costPerJob } from './cost';
import { DynamoMeter, type MeterSnapshot } from './dynamo-meter';
import type { BenchClient } from './http';
import { bar, progress } from './progress';
import { mean, round, sleep } from './stats';

// One happy-path job, counted: book, accept, en_route, arrive, diagnose, start, complete,
// clean, sign, callback. Then many of them at once, for throughput.

export const HAPPY_PATH = ['job.accepted', 'job.en_route', 'job.arrived', ...ON_SITE_STEPS];

/** The workflow's Lambda invocations, seen by the stack's beforeInvoke hook. */
export class InvocationCounter {
  private readonly byJob = new Map<string, Map<FunctionName, number>>();
  total = 0;

  readonly hook = async (fn: FunctionName, payload: unknown): Promise<void> => {
    this.total++;
    const jobId = String((payload as { jobId?: unknown } | null)?.jobId ?? '');
    const counts = this.byJob.get(jobId) ?? new Map<FunctionName, number>();
    counts.set(fn, (counts.get(fn) ?? 0) + 1);
    this.byJob.set(jobId, counts);
  };

  of(jobId: string): Record<string, number> {
    return Object.fromEntries(this.byJob.get(jobId) ?? []);
  }
}

export interface WorkflowResult {
  transitionsPerJob: number;
  lambdaInvocationsPerJob: number;
  dynamoWritesPerJob: number;
  snsPublishesPerJob: number;
  costPer1000JobsUsd: number;
  jobsPerSecond: number;
  details: {
    apiRequestsPerJob: number;
    invocations: { api: Record<string, number>; workflow: Record<string, number> };
    dynamo: MeterSnapshot;
    sns: Record<string, number>;
    /** Mean HTTP round trip of the job's API calls on the local stack: the billed duration assumed per invocation. */
    meanApiRoundTripMs: number;
    cost: CostBreakdown;
    concurrent: {
      jobs: number;
      inFlight: number;
      seconds: number;
      closed: number;
      transitionsPerJob: number[];
      invocationsPerJob: number;
      dynamoWritesPerJob: number;
      snsPublishesPerJob: number;
    };
  };
}

/** One job from booking to closed; returns the API calls it made (each one Lambda invocation). */
async function lifecycle(
  client: BenchClient,
  agent: string,
  settle: () => Promise<void>,
  times?: number[],
): Promise<{ jobId: string; apiCalls: Record<string, number> }> {
  const apiCalls: Record<string, number> = {};
  const timed = async <T extends { status: number }>(fn: FunctionName, call: () => Promise<T>) => {
    const t = performance.now();
    const r = await call();
    times?.push(performance.now() - t);
    apiCalls[fn] = (apiCalls[fn] ?? 0) + 1;
    return r;
  };
  const booked = await timed('create-job', () => client.book(client.freshResident(), urgentBooking()));
  if (booked.status !== 201) throw new Error(`booking answered ${booked.status}`);
  const jobId = booked.body.jobId as string;
  await settle();
  for (const type of HAPPY_PATH) {
    const r = await timed('technician-webhook', () => client.hook({ type, jobId, data: EVENT_DATA[type] }));
    if (r.status !== 202) throw new Error(`${type} answered ${r.status}: ${JSON.stringify(r.body)}`);
    await settle();
  }
  const cb = await timed('record-callback', () =>
    client.request('POST', `/jobs/${jobId}/callback`, {
      token: agent,
      body: { reached: true, satisfaction: 5, issueResolved: true },
    }),
  );
  if (cb.status !== 200) throw new Error(`callback answered ${cb.status}: ${JSON.stringify(cb.body)}`);
  await settle();
  return { jobId, apiCalls };
}

const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);

export async function benchWorkflow(
  client: BenchClient,
  invocations: InvocationCounter,
  opts: { jobs: number; inFlight: number },
): Promise<WorkflowResult> {
  const { stack } = client;
  const meter = new DynamoMeter();
  // The handlers' store client (its DocumentClient shares the middleware stack) and the
  // engine's client (ConfirmAlert's dynamodb:updateItem).
  meter.attach((stack.ports.store as unknown as { doc: Parameters<DynamoMeter['attach']>[0] }).doc);
  meter.attach(stack.dynamo.client);
  const agent = client.staff('agent');

  progress.phase('workflow: one happy-path job, counted');
  await stack.workflow.settle(120_000);
  const running = stack.workflow.running;
  const before = meter.snapshot();
  const times: number[] = [];
  const { jobId, apiCalls } = await lifecycle(client, agent, () => stack.workflow.settle(60_000), times);
  while (stack.workflow.running > running) await sleep(5);
  const dynamo = DynamoMeter.diff(before, meter.snapshot());
  const transitions = stack.workflow.transitions.get(jobId) ?? 0;
  const workflowCalls = invocations.of(jobId);
  const published = stack.outbox.list({ jobId });
  const sns: Record<string, number> = {};
  for (const item of published) sns[item.topic] = (sns[item.topic] ?? 0) + 1;
  const apiRequests = sum(apiCalls);
  const lambdaInvocations = apiRequests + sum(workflowCalls);
  const meanApiRoundTripMs = mean(times);
  const cost = costPerJob({
    transitions,
    lambdaInvocations,
    lambdaMs: Math.ceil(meanApiRoundTripMs),
    wru: dynamo.wru,
    rru: dynamo.rru,
    snsPublishes: published.length,
    apiRequests,
  });
  progress.note(
    `${transitions} transitions, ${lambdaInvocations} invocations, ${dynamo.writes} DynamoDB writes, ${published.length} SNS publishes, $${cost.per1000Jobs.toFixed(4)} per 1000 jobs`,
  );

  progress.phase(`workflow: ${opts.jobs} full lifecycles, ${opts.inFlight} in flight`);
  await stack.workflow.settle(120_000);
  const runningBefore = stack.workflow.running;
  const meterBefore = meter.snapshot();
  const invocationsBefore = invocations.total;
  const outboxBefore = stack.outbox.list({}).length;
  const ids: string[] = [];
  let apiTotal = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: opts.inFlight }, async () => {
      while (next < opts.jobs) {
        next++;
        // No settling between steps: each job's events come as fast as the API answers.
        const r = await lifecycle(client, agent, async () => {});
        ids.push(r.jobId);
        apiTotal += sum(r.apiCalls);
        progress.update(bar(ids.length, opts.jobs));
      }
    }),
  );
  progress.update('waiting for the last executions to end');
  while (stack.workflow.running > runningBefore) await sleep(2);
  const seconds = (performance.now() - started) / 1000;
  const concurrentDynamo = DynamoMeter.diff(meterBefore, meter.snapshot());
  let closed = 0;
  const manager = client.staff('manager');
  for (const id of ids) {
    const r = await client.request('GET', `/jobs/${id}`, { token: manager });
    if (r.body?.status === 'closed') closed++;
  }
  const transitionCounts = [...new Set(ids.map((id) => stack.workflow.transitions.get(id) ?? 0))].sort(
    (a, b) => a - b,
  );
  const result: WorkflowResult = {
    transitionsPerJob: transitions,
    lambdaInvocationsPerJob: lambdaInvocations,
    dynamoWritesPerJob: dynamo.writes,
    snsPublishesPerJob: published.length,
    costPer1000JobsUsd: round(cost.per1000Jobs, 4),
    jobsPerSecond: round(ids.length / seconds, 2),
    details: {
      apiRequestsPerJob: apiRequests,
      invocations: { api: apiCalls, workflow: workflowCalls },
      dynamo,
      sns,
      meanApiRoundTripMs: round(meanApiRoundTripMs),
      cost,
      concurrent: {
        jobs: ids.length,
        inFlight: opts.inFlight,
        seconds: round(seconds, 1),
        closed,
        transitionsPerJob: transitionCounts,
        invocationsPerJob: round((apiTotal + invocations.total - invocationsBefore) / ids.length, 2),
        dynamoWritesPerJob: round(concurrentDynamo.writes / ids.length, 2),
        snsPublishesPerJob: round((stack.outbox.list({}).length - outboxBefore) / ids.length, 2),
      },
    },
  };
  progress.note(`${result.jobsPerSecond} full lifecycles/s (${ids.length} jobs, ${opts.inFlight} in flight)`);
  return result;
}
