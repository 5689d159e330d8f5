import type { AppPorts } from '../adapters/ports';
import { complaintHistory, getComplaint, listComplaints } from '../domain/complaint-cases';
import { complaintListQuerySchema } from '../domain/schemas';
import { callerOf } from '../http/auth';
import { httpHandler } from '../http/handler';
import { isRoute, parseWith, pathParam } from '../http/request';
import { routeOf } from '../http/routes';

/** The complaints' read routes, in one read-only function: the list, one complaint, its history. */
export const readComplaintsHandler = (p: AppPorts) =>
  httpHandler(p.observability, async (event) => {
    const caller = callerOf(event);
    if (isRoute(event, routeOf('listComplaints'))) {
      const query = parseWith(complaintListQuerySchema, event.queryStringParameters ?? {}, 'query');
      return { status: 200, body: await listComplaints(p, caller, query) };
    }
    const complaintId = pathParam(event, 'complaintId');
    if (isRoute(event, routeOf('getComplaintHistory')))
      return { status: 200, body: await complaintHistory(p, caller, complaintId) };
    return { status: 200, body: await getComplaint(p, caller, complaintId) };
  });
