import { randomUUID } from 'node:crypto';
import type { Handler } from '../functions/handlers';
import type { FunctionName } from '../functions/names';

// Calls the handlers CDK deploys the way Lambda would: an event and a context.

export type Invoke = (name: FunctionName, event: unknown) => Promise<unknown>;

export const localFunctionArn = (name: FunctionName) => `arn:aws:lambda:local:000000000000:function:${name}`;

export function invoker(handlers: Record<FunctionName, Handler>): Invoke {
  return (name, event) => {
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
    return (handlers[name] as (e: unknown, c: unknown) => Promise<unknown>)(event, context);
  };
}
