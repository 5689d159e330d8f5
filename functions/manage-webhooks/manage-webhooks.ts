import type { AppPorts } from '../adapters/ports';
import { deliveryId, deliveryListQuerySchema, endpointId, webhookEndpointSchema } from '../domain/schemas';
import {
  deleteEndpoint,
  getEndpoint,
  listDeliveries,
  listEndpoints,
  registerEndpoint,
  retryDelivery,
  rotateSecret,
} from '../domain/webhook-cases';
import { callerOf } from '../http/auth';
import { httpHandler } from '../http/handler';
import { checkedPathParam, isRoute, jsonBody, parseWith } from '../http/request';
import { routeOf } from '../http/routes';

/** The managers' outbound webhooks, in one function: endpoints, their secrets and their deliveries. */
export const manageWebhooksHandler = (p: AppPorts) =>
  httpHandler(p.observability, async (event) => {
    const caller = callerOf(event);
    if (isRoute(event, routeOf('createWebhookEndpoint'))) {
      const { endpoint, ...created } = await registerEndpoint(
        p,
        caller,
        jsonBody(event, webhookEndpointSchema),
      );
      return {
        status: 201,
        body: { ...created, ...endpoint },
        headers: { location: `/integrations/webhooks/${created.endpointId}` },
      };
    }
    if (isRoute(event, routeOf('listWebhookEndpoints')))
      return { status: 200, body: await listEndpoints(p, caller) };
    const id = checkedPathParam(event, 'endpointId', endpointId);
    if (isRoute(event, routeOf('getWebhookEndpoint')))
      return { status: 200, body: await getEndpoint(p, caller, id) };
    if (isRoute(event, routeOf('deleteWebhookEndpoint'))) {
      await deleteEndpoint(p, caller, id);
      return { status: 204, body: '', contentType: 'text/plain' };
    }
    if (isRoute(event, routeOf('rotateWebhookSecret')))
      return { status: 200, body: await rotateSecret(p, caller, id) };
    if (isRoute(event, routeOf('listWebhookDeliveries'))) {
      const query = parseWith(deliveryListQuerySchema, event.queryStringParameters ?? {}, 'query');
      return { status: 200, body: await listDeliveries(p, caller, id, query) };
    }
    const delivery = checkedPathParam(event, 'deliveryId', deliveryId);
    return { status: 202, body: await retryDelivery(p, caller, id, delivery) };
  });
