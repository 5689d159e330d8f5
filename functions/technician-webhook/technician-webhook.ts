import type { AppPorts } from '../adapters/ports';
import { webhookEventSchema } from '../domain/schemas';
import { technicianEvent } from '../domain/use-cases';
import { httpHandler } from '../http/handler';
import { parseJson, parseWith } from '../http/request';
import { verifiedWebhook } from '../http/webhook-signature';

export const technicianWebhookHandler = (p: AppPorts) =>
  httpHandler(p.observability, async (event) => {
    const { webhookId, raw } = await verifiedWebhook(event, () => p.webhookSecrets());
    const body = parseWith(webhookEventSchema, parseJson(raw), 'event');
    const outcome = await technicianEvent(p, webhookId, body);
    // A redelivery is answered 200 with the first outcome, and changed nothing.
    return { status: outcome.redelivery ? 200 : 202, body: outcome.job };
  });
