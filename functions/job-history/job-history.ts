import type { AppPorts } from '../adapters/ports';
import { jobHistory } from '../domain/use-cases';
import { callerOf } from '../http/auth';
import { httpHandler } from '../http/handler';
import { pathParam } from '../http/request';

export const jobHistoryHandler = (p: AppPorts) =>
  httpHandler(p.observability, async (event) => ({
    status: 200,
    body: await jobHistory(p, callerOf(event), pathParam(event, 'jobId')),
  }));
