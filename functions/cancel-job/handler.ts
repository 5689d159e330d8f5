import { getPorts } from '../adapters/runtime';
import { cancelSchema } from '../domain/schemas';
import { cancel } from '../domain/use-cases';
import { callerOf, requireRole } from '../http/auth';
import { httpHandler } from '../http/handler';
import { jsonBody, pathParam } from '../http/request';

export const handler = httpHandler(async (event) => {
  const caller = callerOf(event);
  requireRole(caller, 'resident', 'manager');
  const jobId = pathParam(event, 'jobId');
  const body = jsonBody(event, cancelSchema, false);
  return { status: 200, body: await cancel(getPorts(), caller, jobId, body.reason) };
});
