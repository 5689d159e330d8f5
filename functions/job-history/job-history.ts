import type { AppPorts } from '../adapters/ports';
import { exportJobHistory, verifyJobHistory } from '../domain/history-cases';
import { jobHistory } from '../domain/use-cases';
import { callerOf } from '../http/auth';
import { httpHandler } from '../http/handler';
import { isRoute, pathParam } from '../http/request';
import { routeOf } from '../http/routes';

/** A job's history, read-only: the items, the check of their hash chain, the export of both. */
export const jobHistoryHandler = (p: AppPorts) =>
  httpHandler(p.observability, async (event) => {
    const caller = callerOf(event);
    const jobId = pathParam(event, 'jobId');
    if (isRoute(event, routeOf('verifyJobHistory')))
      return { status: 200, body: await verifyJobHistory(p, caller, jobId) };
    if (isRoute(event, routeOf('exportJobHistory')))
      return {
        status: 200,
        body: await exportJobHistory(p, caller, jobId),
        // A document to keep: saved under a name that says which job it is.
        headers: { 'content-disposition': `attachment; filename="job-${jobId}-history.json"` },
      };
    return { status: 200, body: await jobHistory(p, caller, jobId) };
  });
