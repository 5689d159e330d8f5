import { getPorts } from '../adapters/runtime';
import { listQuerySchema } from '../domain/schemas';
import { listJobs } from '../domain/use-cases';
import { callerOf } from '../http/auth';
import { httpHandler } from '../http/handler';
import { parseWith } from '../http/request';

export const handler = httpHandler(async (event) => {
  const caller = callerOf(event);
  const query = parseWith(listQuerySchema, event.queryStringParameters ?? {}, 'query');
  return { status: 200, body: await listJobs(getPorts(), caller, query) };
});
