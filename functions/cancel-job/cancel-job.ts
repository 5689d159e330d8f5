import type { AppPorts } from '../adapters/ports';
import { cancelSchema } from '../domain/schemas';
import { cancel } from '../domain/use-cases';
import { callerOf } from '../http/auth';
import { httpHandler } from '../http/handler';
import { jsonBody, pathParam } from '../http/request';

export const cancelJobHandler = (p: AppPorts) =>
  httpHandler(p.observability, async (event) => {
    const caller = callerOf(event);
    const jobId = pathParam(event, 'jobId');
    const body = jsonBody(event, cancelSchema, false);
    return { status: 200, body: await cancel(p, caller, jobId, body.reason) };
  });
