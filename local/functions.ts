import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { FunctionName } from '../functions/names';

// Loads the very handler modules CDK deploys and calls them as Lambda would.

export type Handler = (event: unknown, context: unknown) => Promise<unknown>;

export const localFunctionArn = (name: FunctionName) => `arn:aws:lambda:local:000000000000:function:${name}`;

const cache = new Map<FunctionName, Handler>();

function load(name: FunctionName): Handler {
  let handler = cache.get(name);
  if (!handler) {
    handler = (require(join(__dirname, '..', 'functions', name, 'handler')) as { handler: Handler }).handler;
    cache.set(name, handler);
  }
  return handler;
}

export function invoke(name: FunctionName, event: unknown): Promise<unknown> {
  const context = {
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: localFunctionArn(name),
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => 10_000,
  };
  return load(name)(event, context);
}
