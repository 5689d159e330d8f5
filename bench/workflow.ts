import type { FunctionName } from '../functions/names';
import { EVENT_DATA, ON_SITE_STEPS, type Reply, urgentBooking } from '../test/support/client';
import { costPerJob } from './cost';
import { DynamoMeter } from './dynamo-meter';
import type { BenchClient } from './http';
import { progress } from './progress';
import { mean, round, sleep } from './stats';

// One happy-path job counted end to end: book, the technician's webhooks, the agent's
// callback; the workflow settled after each step, every step in time so no SLA timer fires.

const HAPPY_PATH = ['job.accepted', 'job.en_route', 'job.arrived', ...ON_SITE_STEPS];

/** The workflow's Lambda invocations by job and function (the stack's beforeInvoke hook), and the stream's batches. */
export class InvocationCounter {
  readonly byJob = new Map<string, Record<string, number>>();

  readonly hook = async (fn: FunctionName, payload: unknown): Promise<void> => {
    const jobId = String((payload as { id?: unknown } | null)?.id ?? '');
    const counts = this.byJob.get(jobId) ?? {};
    counts[fn] = (counts[fn] ?? 0) + 1;
    this.byJob.set(jobId, counts);
  };

  /** report-stream's invocations: one per batch of the table's stream. */
  streamBatches = 0;
  readonly onStreamBatch = (): void => {
    this.streamBatches++;
  };
}

export type WorkflowResult = Awaited<ReturnType<typeof benchWorkflow>>;

const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);

/** One job from booking to closed: its id, the API calls it made by function, their round trips. */
async function lifecycle(client: BenchClient) {
  const { workflow } = client.stack;
  const apiCalls: Record<string, number> = {};
  const roundTrips: number[] = [];
  const call = async (fn: FunctionName, expect: number, send: () => Promise<Reply<{ jobId?: string }>>) => {
    const t = performance.now();
    const r = await send();
    roundTrips.push(performance.now() - t);
    apiCalls[fn] = (apiCalls[fn] ?? 0) + 1;
    if (r.status !== expect) throw new Error(`${fn} answered ${r.status}: ${JSON.stringify(r.body)}`);
    await workflow.settle(60_000);
    return r;
  };
  const booked = await call('create-job', 201, () => client.book(client.freshResident(), urgentBooking()));
  if (!booked.ok) throw new Error('create-job answered a problem');
  const jobId = String(booked.body.jobId);
  for (const type of HAPPY_PATH)
    await call('technician-webhook', 202, () => client.hook({ type, jobId, data: EVENT_DATA[type] }));
  const callback = { reached: true, satisfaction: 5, issueResolved: true };
  const token = client.staff('agent');
  await call('record-callback', 200, () =>
    client.request('POST', `/jobs/${jobId}/callback`, { token, body: callback }),
  );
  return { jobId, apiCalls, roundTrips };
}

export async function benchWorkflow(client: BenchClient, invocations: InvocationCounter) {
  const { stack } = client;
  const meter = new DynamoMeter();
  // One client serves the handlers' store and the engine (ConfirmAlert's dynamodb:updateItem).
  meter.attach(stack.dynamo.client);

  progress.phase('workflow: one happy-path job, counted');
  // The stream consumer first catches up with the bookings before (their report writes are
  // theirs); after the job, what it wrote for this job's changes is the job's.
  await stack.workflow.settle(120_000);
  await stack.streams.settle(120_000);
  const running = stack.workflow.running;
  const consumed = invocations.streamBatches;
  const before = meter.snapshot();
  const { jobId, apiCalls, roundTrips } = await lifecycle(client);
  while (stack.workflow.running > running) await sleep(5);
  await stack.streams.settle(120_000);
  const dynamo = DynamoMeter.diff(before, meter.snapshot());
  const streamCalls = { 'report-stream': invocations.streamBatches - consumed };
  const { body } = await client.request('GET', `/jobs/${jobId}`, { token: client.staff('manager') });
  if (body?.status !== 'closed') throw new Error(`the counted job ended ${body?.status}, not closed`);

  const transitions = stack.workflow.transitions.get(jobId) ?? 0;
  const workflowCalls = invocations.byJob.get(jobId) ?? {};
  const published = stack.outbox.list({ jobId }).length;
  const lambdaInvocations = sum(apiCalls) + sum(workflowCalls) + sum(streamCalls);
  const cost = costPerJob({
    transitions,
    lambdaInvocations,
    // Billed duration: the job's mean API round trip on the local stack, for every invocation.
    lambdaMs: Math.ceil(mean(roundTrips)),
    wru: dynamo.wru,
    rru: dynamo.rru,
    snsPublishes: published,
    apiRequests: sum(apiCalls),
  });
  progress.note(`${transitions} transitions, ${lambdaInvocations} invocations, ${dynamo.writes} writes`);
  return {
    transitionsPerJob: transitions,
    lambdaInvocationsPerJob: lambdaInvocations,
    dynamoWritesPerJob: dynamo.writes,
    snsPublishesPerJob: published,
    costPer1000JobsUsd: round(cost.per1000JobsUsd, 4),
    /** Lambda invocations by function: the API and webhook handlers, the state machine's, the stream's. */
    invocations: { api: apiCalls, workflow: workflowCalls, stream: streamCalls },
    dynamo,
    cost,
  };
}
