import type { AppPorts } from '../adapters/ports';
import { callBackComplainant, investigateComplaint } from '../domain/complaint-cases';
import { complaintCallbackSchema, investigationSchema } from '../domain/schemas';
import { callerOf } from '../http/auth';
import { httpHandler } from '../http/handler';
import { isRoute, jsonBody, pathParam } from '../http/request';
import { routeOf } from '../http/routes';

/** The agents' two steps on a complaint: the investigation (S16) and the callback (S17). */
export const handleComplaintHandler = (p: AppPorts) =>
  httpHandler(p.observability, async (event) => {
    const caller = callerOf(event);
    const complaintId = pathParam(event, 'complaintId');
    if (isRoute(event, routeOf('investigateComplaint'))) {
      const body = jsonBody(event, investigationSchema);
      return { status: 200, body: await investigateComplaint(p, caller, complaintId, body) };
    }
    const body = jsonBody(event, complaintCallbackSchema);
    return { status: 200, body: await callBackComplainant(p, caller, complaintId, body) };
  });
