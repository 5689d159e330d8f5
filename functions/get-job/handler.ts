import { getPorts } from '../adapters/runtime';
import { getJob } from '../domain/use-cases';
import { callerOf } from '../http/auth';
import { httpHandler } from '../http/handler';
import { pathParam } from '../http/request';

export const handler = httpHandler(async (event) => ({
  status: 200,
  body: await getJob(getPorts(), callerOf(event), pathParam(event, 'jobId')),
}));
