import type { AppPorts } from '../adapters/ports';
import { followUpSchema } from '../domain/schemas';
import { followUp } from '../domain/use-cases';
import { callerOf } from '../http/auth';
import { httpHandler } from '../http/handler';
import { jsonBody, pathParam } from '../http/request';

export const openFollowUpHandler = (p: AppPorts) =>
  httpHandler(p.observability, async (event) => {
    const caller = callerOf(event);
    const jobId = pathParam(event, 'jobId');
    const body = jsonBody(event, followUpSchema);
    return { status: 201, body: await followUp(p, caller, jobId, body) };
  });
