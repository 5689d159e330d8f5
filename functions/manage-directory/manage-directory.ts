import type { AppPorts } from '../adapters/ports';
import {
  getProperty,
  getTechnician,
  listProperties,
  listTechnicians,
  putProperty,
  putTechnician,
} from '../domain/property-cases';
import {
  propertyId as propertyIdSchema,
  propertySchema,
  technicianId as technicianIdSchema,
  technicianListQuerySchema,
  technicianSchema,
} from '../domain/schemas';
import { callerOf } from '../http/auth';
import { httpHandler } from '../http/handler';
import { checkedPathParam, isRoute, jsonBody, parseWith } from '../http/request';
import { routeOf } from '../http/routes';

/** The managers' directory, in one function: properties' settings and the technicians' roster. */
export const manageDirectoryHandler = (p: AppPorts) =>
  httpHandler(p.observability, async (event) => {
    const caller = callerOf(event);
    if (isRoute(event, routeOf('listProperties')))
      return { status: 200, body: await listProperties(p, caller) };
    if (isRoute(event, routeOf('listTechnicians'))) {
      const query = parseWith(technicianListQuerySchema, event.queryStringParameters ?? {}, 'query');
      return { status: 200, body: await listTechnicians(p, caller, query.property) };
    }
    if (isRoute(event, routeOf('getTechnician')) || isRoute(event, routeOf('putTechnician'))) {
      const technicianId = checkedPathParam(event, 'technicianId', technicianIdSchema);
      if (isRoute(event, routeOf('getTechnician')))
        return { status: 200, body: await getTechnician(p, caller, technicianId) };
      const body = jsonBody(event, technicianSchema);
      return { status: 200, body: await putTechnician(p, caller, { technicianId, ...body }) };
    }
    const propertyId = checkedPathParam(event, 'propertyId', propertyIdSchema);
    if (isRoute(event, routeOf('getProperty')))
      return { status: 200, body: await getProperty(p, caller, propertyId) };
    const body = jsonBody(event, propertySchema);
    return { status: 200, body: await putProperty(p, caller, propertyId, body) };
  });
