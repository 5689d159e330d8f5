import type { AsyncHook, HookCallbacks } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Notice } from '../functions/domain/notifications';
import { apiEvent } from '../local/server';
import { startStack, TABLE_NAME } from '../local/stack';
import { regularBooking } from '../test/support/client';
import { BENCH_SECRET } from './http';

// The memory benchmark's stack process (run with --expose-gc by bench/memory.ts): the
// local stack and nothing else, so its RSS is the stack's. The parent books the warm-up
// jobs over HTTP and asks, through IPC, for measurements after a full GC and for the
// open jobs themselves ('seed', see bench/memory.ts for why).

declare const gc: (() => void) | undefined;

type Request = { type: 'measure' } | { type: 'stop' } | { type: 'seed'; count: number; chunk: number };

/** The event the front door builds for POST /jobs once the JWT is verified. */
const bookingEvent = (sub: string, body: unknown) =>
  apiEvent({
    routeKey: 'POST /jobs',
    method: 'POST',
    url: new URL('http://localhost/jobs'),
    headers: { 'content-type': 'application/json', 'user-agent': 'bench' },
    body: JSON.stringify(body),
    sourceIp: '127.0.0.1',
    claims: { sub, 'custom:role': 'resident' },
  });

/** Every string in `value` with `from` replaced by `to` (a booked job's items, under a new jobId). */
function rename<T>(value: T, from: string, to: string): T {
  if (typeof value === 'string') return value.split(from).join(to) as T;
  if (Array.isArray(value)) return value.map((v) => rename(v, from, to)) as T;
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rename(v, from, to)])) as T;
  return value;
}

/**
 * What-if (argv 'no-xray-hook'): the Powertools tracer imports aws-xray-sdk-core, whose
 * cls-hooked namespace enables an async hook with init and destroy callbacks at load, even
 * with POWERTOOLS_TRACE_ENABLED=false. Here cls-hooked gets a hook that never enables, to
 * measure what that hook costs per open job. Never used for the numbers of record.
 */
function withoutXrayHook(): void {
  // The module object itself (cls-hooked looks createHook up on it when it creates its namespace).
  const asyncHooks: { createHook: (callbacks: HookCallbacks) => AsyncHook } = require('node:async_hooks');
  const createHook = asyncHooks.createHook;
  asyncHooks.createHook = (callbacks) => {
    if (!new Error().stack?.includes('cls-hooked')) return createHook(callbacks);
    const inert = { enable: () => inert, disable: () => inert };
    return inert as unknown as AsyncHook;
  };
}

async function main() {
  const dataDir = process.argv[2];
  if (process.argv[3] === 'no-xray-hook') withoutXrayHook();
  if (!dataDir || !process.send) throw new Error('usage: memory-child <dataDir> (with an IPC channel)');
  const stack = await startStack({ dataDir, webhookSecret: BENCH_SECRET, print: () => {} });
  const send = (m: unknown) => process.send?.(m);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await stack.stop();
    process.exit(0);
  };
  process.on('disconnect', stop);
  process.on('SIGTERM', stop);

  /**
   * One real booking through the create-job handler, recording what it wrote (the items of
   * its TransactWriteItems, seen by a middleware on the store's client) and published.
   */
  async function template() {
    const store = stack.ports.store as unknown as { doc: DynamoDBDocumentClient };
    let items: Array<Record<string, unknown>> = [];
    const name = 'benchCaptureBooking';
    store.doc.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { TransactItems?: Array<{ Put?: { Item: Record<string, unknown> } }> };
        const command = (context as { commandName?: string }).commandName ?? '';
        if (command.startsWith('TransactWrite') && !items.length)
          items = (input.TransactItems ?? []).flatMap((t) => (t.Put ? [structuredClone(t.Put.Item)] : []));
        return next(args);
      },
      { step: 'initialize', name },
    );
    const notices: Notice[] = [];
    const publish = stack.outbox.publish.bind(stack.outbox);
    stack.outbox.publish = (jobId: string, notice: Notice) => {
      notices.push(structuredClone(notice));
      return publish(jobId, notice);
    };
    try {
      const body = regularBooking(2 * 24 * 3600_000, stack.clock.now());
      const out = (await stack.invoke('create-job', bookingEvent('r-mem-template', body))) as {
        statusCode: number;
        body: string;
      };
      if (out.statusCode !== 201) throw new Error(`template booking answered ${out.statusCode}`);
      const jobId = (JSON.parse(out.body) as { jobId: string }).jobId;
      // The job and its history; the quota counter is per resident and hour, not per job.
      const jobItems = items.filter((i) => String(i.pk) === `JOB#${jobId}`);
      if (!jobItems.length) throw new Error('the booking transaction was not seen');
      return { jobId, items: jobItems, notices };
    } finally {
      store.doc.middlewareStack.remove(name);
      stack.outbox.publish = publish;
    }
  }

  /**
   * `count` more open jobs: what create-job writes (its job and history items, copied from
   * a real booking under a new jobId, 12 jobs per BatchWriteItem), then what it does after
   * the write: workflow.start(jobId) and the same notices into the outbox. The executions
   * are the real ones: LoadJob (workflow-step), AwaitArrival (await-milestone) parks.
   */
  async function seed(count: number, chunk: number) {
    const t = await template();
    const doc = DynamoDBDocumentClient.from(stack.dynamo.client);
    let done = 1;
    while (done < count) {
      const ids = Array.from({ length: Math.min(chunk, count - done) }, () => randomUUID());
      const puts = ids.flatMap((id) =>
        rename(t.items, t.jobId, id).map((Item) => ({ PutRequest: { Item } })),
      );
      for (let i = 0; i < puts.length; i += 24) {
        let RequestItems: Record<string, typeof puts> | undefined = { [TABLE_NAME]: puts.slice(i, i + 24) };
        while (RequestItems && Object.keys(RequestItems).length) {
          const out = await doc.send(new BatchWriteCommand({ RequestItems }));
          RequestItems = out.UnprocessedItems as typeof RequestItems;
        }
      }
      for (const id of ids) {
        await stack.workflow.start(id);
        for (const n of t.notices) await stack.outbox.publish(id, rename(n, t.jobId, id));
      }
      await stack.workflow.settle(600_000);
      done += ids.length;
      send({ type: 'progress', done });
    }
    return done;
  }

  process.on('message', async (m: Request) => {
    try {
      if (m.type === 'stop') return await stop();
      if (m.type === 'seed') return send({ type: 'seeded', done: await seed(m.count, m.chunk) });
      await stack.workflow.settle(600_000);
      if (typeof gc !== 'function') throw new Error('run with --expose-gc');
      for (let i = 0; i < 4; i++) {
        gc();
        await new Promise((r) => setTimeout(r, 50));
      }
      const mem = process.memoryUsage();
      send({
        type: 'measured',
        rss: mem.rss,
        heapUsed: mem.heapUsed,
        heapTotal: mem.heapTotal,
        external: mem.external,
        arrayBuffers: mem.arrayBuffers,
        running: stack.workflow.running,
        idle: stack.workflow.isIdle(),
        outbox: stack.outbox.list({}).length,
      });
    } catch (e) {
      send({ type: 'error', message: (e as Error).message });
    }
  });
  send({ type: 'ready', url: stack.url, pid: process.pid });
}

main().catch((e: Error) => {
  process.send?.({ type: 'error', message: e.message });
  process.exit(1);
});
