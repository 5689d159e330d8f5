import { randomUUID } from 'node:crypto';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { About, Notice } from '../functions/domain/notifications';
import { apiEvent } from '../local/server';
import { type LocalStack, startStack, TABLE_NAME } from '../local/stack';
import { regularBooking } from '../test/support/client';
import { stackStoreClient } from './dynamo-meter';
import { BENCH_SECRET } from './http';

// Run by bench/memory.ts with --expose-gc: argv <dataDir> <warmup> <jobs> <chunk>. Starts the
// local stack alone, makes `warmup` open jobs, measures, makes `jobs` more, measures again,
// and sends both measurements. Every job is a regular booking two days ahead: its execution
// parks in AwaitArrival with its timer on the virtual clock.
//
// Why the jobs are seeded rather than booked over HTTP: booking is bounded by DynamoDB Local,
// which serves one request at a time, so 10,000 bookings took 6–8 minutes on the shared
// machine. A seeded job is what create-job leaves behind, written faster: the items of one
// real booking copied under a new jobId, then what the handler does after its write
// (workflow.start and the same notices into the outbox). The executions are the real ones.

declare const gc: (() => void) | undefined;

export type MemoryRun = { before: Sample; after: Sample; seedSeconds: number };
type Sample = Awaited<ReturnType<typeof measure>>;
type Template = { jobId: string; items: Array<Record<string, unknown>>; notices: Notice[] };

/** `value` with every occurrence of `from` in its strings replaced by `to` (a job's items under a new jobId). */
const rename = <T>(value: T, from: string, to: string): T =>
  JSON.parse(JSON.stringify(value).split(from).join(to));

/** One real booking through create-job, recording the job's items it wrote and what it published. */
async function bookTemplate(stack: LocalStack): Promise<Template> {
  const store = stackStoreClient(stack);
  let items: Array<Record<string, unknown>> = [];
  const capture = 'benchCaptureBooking';
  store.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { TransactItems?: Array<{ Put?: { Item: Record<string, unknown> } }> };
      const command = (context as { commandName?: string }).commandName ?? '';
      if (command.startsWith('TransactWrite') && !items.length)
        items = (input.TransactItems ?? []).flatMap((t) => (t.Put ? [structuredClone(t.Put.Item)] : []));
      return next(args);
    },
    { step: 'initialize', name: capture },
  );
  const notices: Notice[] = [];
  const publish = stack.outbox.publish.bind(stack.outbox);
  stack.outbox.publish = (about: About, notice: Notice) => {
    notices.push(structuredClone(notice));
    return publish(about, notice);
  };
  try {
    const out = (await stack.invoke(
      'create-job',
      apiEvent({
        routeKey: 'POST /jobs',
        method: 'POST',
        url: new URL('http://localhost/jobs'),
        headers: { 'content-type': 'application/json', 'user-agent': 'bench' },
        body: JSON.stringify(regularBooking(2 * 24 * 3600_000, stack.clock.now())),
        sourceIp: '127.0.0.1',
        claims: { sub: 'r-mem-template', 'custom:role': 'resident' },
      }),
    )) as { statusCode: number; body: string };
    if (out.statusCode !== 201) throw new Error(`template booking answered ${out.statusCode}`);
    const jobId = (JSON.parse(out.body) as { jobId: string }).jobId;
    // The job and its history; the quota counter is per resident and hour, not per job.
    const jobItems = items.filter((i) => String(i.pk) === `JOB#${jobId}`);
    if (!jobItems.length) throw new Error('the booking transaction was not seen');
    return { jobId, items: jobItems, notices };
  } finally {
    store.middlewareStack.remove(capture);
    stack.outbox.publish = publish;
  }
}

/** `count` copies of the template's job, `chunk` between two settles of the workflow. */
async function seed(
  stack: LocalStack,
  t: Template,
  count: number,
  chunk: number,
  onChunk = (_done: number) => {},
) {
  const doc = DynamoDBDocumentClient.from(stack.dynamo.client);
  for (let done = 0; done < count; ) {
    const ids = Array.from({ length: Math.min(chunk, count - done) }, () => randomUUID());
    const puts = ids.flatMap((id) => rename(t.items, t.jobId, id).map((Item) => ({ PutRequest: { Item } })));
    // BatchWriteItem takes up to 25 requests: 12 jobs of 2 items each.
    for (let i = 0; i < puts.length; i += 24) {
      let RequestItems: Record<string, typeof puts> | undefined = { [TABLE_NAME]: puts.slice(i, i + 24) };
      while (RequestItems && Object.keys(RequestItems).length) {
        const out = await doc.send(new BatchWriteCommand({ RequestItems }));
        RequestItems = out.UnprocessedItems as typeof RequestItems;
      }
    }
    for (const id of ids) {
      await stack.workflow.start(id);
      for (const n of t.notices) await stack.outbox.publish({ jobId: id }, rename(n, t.jobId, id));
    }
    await stack.workflow.settle(600_000);
    done += ids.length;
    onChunk(done);
  }
}

/** Memory once every execution has parked, after four full GCs. */
async function measure(stack: LocalStack) {
  await stack.workflow.settle(600_000);
  if (typeof gc !== 'function') throw new Error('run with --expose-gc');
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 50));
  }
  const { rss, heapUsed, heapTotal } = process.memoryUsage();
  // running: executions alive in the engine; idle: every one of them parked.
  return { rss, heapUsed, heapTotal, running: stack.workflow.running, idle: stack.workflow.isIdle() };
}

async function main() {
  const [dataDir, warmup, jobs, chunk] = process.argv.slice(2);
  if (!dataDir || !process.send)
    throw new Error('usage: memory-child <dataDir> <warmup> <jobs> <chunk> (IPC)');
  const send = (m: unknown) => process.send?.(m);
  const stack = await startStack({ dataDir, webhookSecret: BENCH_SECRET, print: () => {} });
  try {
    // The warm-up: the first booking loads create-job, and the engine's first executions warm up.
    const template = await bookTemplate(stack);
    await seed(stack, template, Number(warmup) - 1, Number(chunk));
    const before = await measure(stack);
    const started = performance.now();
    await seed(stack, template, Number(jobs), Number(chunk), (done) => send({ type: 'progress', done }));
    const seedSeconds = (performance.now() - started) / 1000;
    const run: MemoryRun = { before, after: await measure(stack), seedSeconds };
    send({ type: 'result', run });
  } finally {
    await stack.stop();
  }
}

main().then(
  () => process.exit(0),
  (e: Error) => {
    process.send?.({ type: 'error', message: e.message });
    process.exit(1);
  },
);
