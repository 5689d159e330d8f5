import { randomUUID } from 'node:crypto';
import { signedHeaders } from '../functions/http/webhook-signature';
import { DEV_WEBHOOK_SECRET } from '../local/defaults';

// Prints the three Standard Webhooks headers for a body, one per line, for `curl -H @file`:
//   npm run -s sign -- "$BODY" > /tmp/headers
//   curl -H @/tmp/headers -H 'content-type: application/json' -d "$BODY" http://127.0.0.1:3000/webhooks/technician
// The secret is TECH_WEBHOOK_SECRET, or the local stack's default.

const body = process.argv[2];
if (!body) {
  console.error("usage: npm run -s sign -- '<json body>'");
  process.exit(2);
}
const secret = (process.env.TECH_WEBHOOK_SECRET ?? DEV_WEBHOOK_SECRET).split(/[\s,]+/)[0] ?? '';
const id = `msg_${randomUUID()}`;
const timestamp = Math.floor(Date.now() / 1000);
for (const [name, value] of Object.entries(signedHeaders(secret, id, timestamp, body)))
  console.log(`${name}: ${value}`);
