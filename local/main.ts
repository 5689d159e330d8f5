import { DEV_WEBHOOK_SECRET } from './defaults';
import { startStack } from './stack';

// `npm start`: the whole product on this machine. Ctrl-C stops it and everything it started.

function numberFrom(name: string, fallback: number, valid: (n: number) => boolean): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!valid(value)) throw new Error(`${name}=${raw} is not valid`);
  return value;
}

async function main() {
  const stack = await startStack({
    port: numberFrom('PORT', 3000, (n) => Number.isInteger(n) && n >= 0 && n < 65536),
    dataDir: process.env.DATA_DIR || '.data',
    webhookSecret: process.env.TECH_WEBHOOK_SECRET,
    clockSpeed: numberFrom('CLOCK_SPEED', 1, (n) => Number.isFinite(n) && n > 0),
  });
  if (!process.env.TECH_WEBHOOK_SECRET) console.log(`webhook secret (local default): ${DEV_WEBHOOK_SECRET}`);
  console.log(`ready ${stack.url}  (open jobs resumed: ${stack.workflow.running})`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('stopping…');
    await stack.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: Error) => {
  console.error(`could not start: ${e.message}`);
  process.exit(1);
});
