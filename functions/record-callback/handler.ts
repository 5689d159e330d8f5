import { getPorts } from '../adapters/runtime';
import { callbackSchema } from '../domain/schemas';
import { callback } from '../domain/use-cases';
import { callerOf, requireRole } from '../http/auth';
import { httpHandler } from '../http/handler';
import { jsonBody, pathParam } from '../http/request';

export const handler = httpHandler(async (event) => {
  const caller = callerOf(event);
  requireRole(caller, 'agent', 'manager');
  const jobId = pathParam(event, 'jobId');
  const body = jsonBody(event, callbackSchema);
  return { status: 200, body: await callback(getPorts(), caller, jobId, body) };
});
