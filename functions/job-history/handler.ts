import { getPorts } from '../adapters/runtime';
import { jobHistory } from '../domain/use-cases';
import { callerOf } from '../http/auth';
import { httpHandler } from '../http/handler';
import { pathParam } from '../http/request';

export const handler = httpHandler(async (event) => ({
  status: 200,
  body: await jobHistory(getPorts(), callerOf(event), pathParam(event, 'jobId')),
}));
