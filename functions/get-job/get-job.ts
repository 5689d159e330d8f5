import type { AppPorts } from '../adapters/ports';
import { formLocation } from '../domain/forms';
import { getJob } from '../domain/use-cases';
import { callerOf } from '../http/auth';
import { httpHandler } from '../http/handler';
import { isRoute, pathParam } from '../http/request';
import { routeOf } from '../http/routes';

/** One job, and its archived form (a redirect to a short-lived URL of the PDF): reads only. */
export const getJobHandler = (p: AppPorts) =>
  httpHandler(p.observability, async (event) => {
    const caller = callerOf(event);
    const jobId = pathParam(event, 'jobId');
    if (isRoute(event, routeOf('getJobForm'))) {
      const location = await formLocation(p, caller, jobId);
      return { status: 302, body: '', contentType: 'text/plain', headers: { location } };
    }
    return { status: 200, body: await getJob(p, caller, jobId) };
  });
