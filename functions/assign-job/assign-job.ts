import type { AppPorts } from '../adapters/ports';
import { assign } from '../domain/dispatch-cases';
import { assignSchema } from '../domain/schemas';
import { callerOf } from '../http/auth';
import { httpHandler } from '../http/handler';
import { jsonBody, pathParam } from '../http/request';

export const assignJobHandler = (p: AppPorts) =>
  httpHandler(p.observability, async (event) => {
    const caller = callerOf(event);
    const jobId = pathParam(event, 'jobId');
    const body = jsonBody(event, assignSchema);
    return { status: 200, body: await assign(p, caller, jobId, body) };
  });
