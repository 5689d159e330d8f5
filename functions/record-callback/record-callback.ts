import type { AppPorts } from '../adapters/ports';
import { callbackSchema } from '../domain/schemas';
import { callback } from '../domain/use-cases';
import { callerOf } from '../http/auth';
import { httpHandler } from '../http/handler';
import { idempotencyKeyOf, jsonBody, pathParam } from '../http/request';

export const recordCallbackHandler = (p: AppPorts) =>
  httpHandler(p.observability, async (event) => {
    const caller = callerOf(event);
    const jobId = pathParam(event, 'jobId');
    const key = idempotencyKeyOf(event);
    const body = jsonBody(event, callbackSchema);
    return { status: 200, body: await callback(p, caller, jobId, body, key) };
  });
