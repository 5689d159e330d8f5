import type { AppPorts } from '../adapters/ports';
import { rescheduleSchema } from '../domain/schemas';
import { reschedule } from '../domain/use-cases';
import { callerOf } from '../http/auth';
import { httpHandler } from '../http/handler';
import { jsonBody, pathParam } from '../http/request';

export const rescheduleJobHandler = (p: AppPorts) =>
  httpHandler(p.observability, async (event) => {
    const caller = callerOf(event);
    const jobId = pathParam(event, 'jobId');
    const body = jsonBody(event, rescheduleSchema);
    return { status: 200, body: await reschedule(p, caller, jobId, body) };
  });
