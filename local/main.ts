import { stackOptionsFromEnv } from './config';
import { DEV_WEBHOOK_SECRET } from './defaults';
import { startStack } from './stack';

// `npm start`: the whole product on this machine. Ctrl-C stops it and everything it started.

async function main() {
  const options = stackOptionsFromEnv();
  const stack = await startStack(options);
  if (!options.webhookSecret) console.log(`webhook secret (local default): ${DEV_WEBHOOK_SECRET}`);
  console.log(`ready ${stack.url}  (open jobs resumed: ${stack.resume.resumed})`);
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
