import type { AppPorts } from '../adapters/ports';
import { listQuerySchema } from '../domain/schemas';
import { listJobs } from '../domain/use-cases';
import { callerOf } from '../http/auth';
import { httpHandler } from '../http/handler';
import { parseWith } from '../http/request';

export const listJobsHandler = (p: AppPorts) =>
  httpHandler(p.observability, async (event) => {
    const caller = callerOf(event);
    const query = parseWith(listQuerySchema, event.queryStringParameters ?? {}, 'query');
    return { status: 200, body: await listJobs(p, caller, query) };
  });
