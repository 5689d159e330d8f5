import { type LocalStack, type StackOptions, startStack } from '../../local/stack';
import { Client } from './client';

export const TEST_SECRET = 'whsec_dGVzdC1zZWNyZXQtZm9yLWludGVncmF0aW9uLXRlc3Rz';

/** One local stack per test file: DynamoDB Local, the real ASL, real HTTP. */
export async function testStack(opts: StackOptions = {}): Promise<{ stack: LocalStack; client: Client }> {
  const secret = opts.webhookSecret ?? TEST_SECRET;
  const stack = await startStack({ print: () => {}, ...opts, webhookSecret: secret });
  return { stack, client: new Client(stack.url, secret) };
}
