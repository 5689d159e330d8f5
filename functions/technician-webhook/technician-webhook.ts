import type { AppPorts } from '../adapters/ports';
import { webhookEventSchema } from '../domain/schemas';
import { technicianEvent } from '../domain/use-cases';
import { httpHandler } from '../http/handler';
import { header, parseJson, parseWith, rawBody } from '../http/request';
import { checkSignatureHeaders, verifySignature } from '../http/webhook-signature';

export const technicianWebhookHandler = (p: AppPorts) =>
  httpHandler(p.observability, async (event) => {
    const raw = rawBody(event) ?? '';
    const headers = {
      id: header(event, 'webhook-id'),
      timestamp: header(event, 'webhook-timestamp'),
      signature: header(event, 'webhook-signature'),
    };
    // The replay window is measured on the real wall clock, never the simulated one.
    const now = Math.floor(Date.now() / 1000);
    checkSignatureHeaders(headers, now);
    const webhookId = verifySignature(headers, raw, await p.webhookSecrets(), now);
    const body = parseWith(webhookEventSchema, parseJson(raw), 'event');
    const outcome = await technicianEvent(p, webhookId, body);
    // A redelivery is answered 200 with the first outcome, and changed nothing.
    return { status: outcome.redelivery ? 200 : 202, body: outcome.job };
  });
