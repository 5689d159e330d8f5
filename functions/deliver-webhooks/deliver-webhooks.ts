import middy from '@middy/core';
import type { DeliveryRun } from '../adapters/delivery-scheduler';
import { observed } from '../adapters/observability';
import type { AppPorts } from '../adapters/ports';
import { ValidationError } from '../domain/errors';
import { deliveryQueueSchema } from '../domain/schemas';
import { type DrainOutcome, drainQueue } from '../domain/webhook-cases';

/**
 * The deliverer: one (endpoint, job or complaint) queue, drained in order under its lease. Invoked
 * asynchronously by the stream's follower and the manual retry, and by EventBridge Scheduler for a
 * retry's time (locally: the same, on the virtual clock).
 */
export const deliverWebhooksHandler = (p: AppPorts) =>
  observed(
    p.observability,
    middy<DeliveryRun, { outcome: DrainOutcome }>().handler(async (event) => {
      const parsed = deliveryQueueSchema.safeParse(event);
      // Nothing to retry about a malformed event: said once, not thrown (an async invoke retries a throw).
      if (!parsed.success) {
        p.logger.error('deliverer event is not a queue', { errorName: ValidationError.name });
        return { outcome: 'empty' };
      }
      return { outcome: await drainQueue(p, parsed.data) };
    }),
  );
