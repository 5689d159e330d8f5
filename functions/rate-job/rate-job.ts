import type { AppPorts } from '../adapters/ports';
import { ratingSchema } from '../domain/schemas';
import { rate } from '../domain/use-cases';
import { callerOf } from '../http/auth';
import { httpHandler } from '../http/handler';
import { jsonBody, pathParam } from '../http/request';

export const rateJobHandler = (p: AppPorts) =>
  httpHandler(p.observability, async (event) => {
    const caller = callerOf(event);
    const jobId = pathParam(event, 'jobId');
    const body = jsonBody(event, ratingSchema);
    return { status: 200, body: await rate(p, caller, jobId, body) };
  });
