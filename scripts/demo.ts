import { randomBytes } from 'node:crypto';
import { type LocalStack, startStack } from '../local/stack';
import type { Ctx } from './demo-cast';
import { Api } from './demo-client';
import { unhappyResident, verifyComplaintStory } from './demo-complaint';
import { verifyEvidence } from './demo-evidence';
import { regularJob, urgentJob } from './demo-story';
import { Checks, Timeline } from './demo-timeline';
import { verify } from './demo-verify';
import { DemoReceiver, verifyWebhooks } from './demo-webhooks';

// `npm run demo`: a narrated run of three repair stories on a fresh, temporary local stack,
// driven only over HTTP. Exits 0 when every expected thing happened, 1 otherwise; the
// stack (and its DynamoDB Local) is stopped on every path, Ctrl-C included.

let stackStarting: Promise<LocalStack> | undefined;
let stopping: Promise<void> | undefined;
let interrupted = false;

/** Stops the stack once; every caller waits for the same stop (DynamoDB Local gone, temp folder removed). */
function stopStack(): Promise<void> {
  stopping ??= (async () => {
    const stack = await stackStarting?.catch(() => undefined);
    await stack?.stop();
  })();
  return stopping;
}

function onSignal(signal: NodeJS.Signals): void {
  interrupted = true;
  console.log(`\n${signal}: stopping the local stack…`);
  stopStack().finally(() => process.exit(130));
}

async function run(): Promise<number> {
  const alertLines: string[] = [];
  const webhookSecret = `whsec_${randomBytes(24).toString('base64')}`;
  stackStarting = startStack({
    webhookSecret,
    clockSpeed: 1,
    settings: { staffLocale: 'en' },
    print: (line) => alertLines.push(line),
  });
  const stack = await stackStarting;
  const api = new Api(stack.url, webhookSecret);
  console.log(
    `Local stack at ${stack.url}; simulated clock starts ${await api.now()} (times below: MM-DD hh:mm:ss UTC)`,
  );

  const checks = new Checks();
  const ctx: Ctx = { api, tl: new Timeline(api), checks, agent: await api.token('a-01', 'agent', 'Zhou') };
  // The company's ERP follows every job and complaint by webhook, registered by a manager.
  const receiver = new DemoReceiver();
  try {
    await receiver.register(ctx, await api.token('m-01', 'manager', 'Sun'));
    const job1 = await urgentJob(ctx);
    const job2 = await regularJob(ctx);
    const story3 = await unhappyResident(ctx);
    await verify(ctx, job1, job2, alertLines);
    await verifyComplaintStory(ctx, story3);
    await verifyEvidence(ctx, job1);
    await verifyWebhooks(ctx, receiver, job1, await api.history(job1, ctx.agent));
  } finally {
    await receiver.stop();
  }
  checks.print();
  return checks.failed.length ? 1 : 0;
}

async function main(): Promise<void> {
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const started = Date.now();
  let code = 1;
  try {
    code = await run();
  } catch (e) {
    if (!interrupted) console.error(`\nDEMO FAILED: ${(e as Error).message}`);
  } finally {
    await stopStack();
  }
  if (interrupted) return; // onSignal exits with 130
  console.log(
    `${code === 0 ? 'Demo passed' : 'Demo FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  process.exit(code);
}

void main();
