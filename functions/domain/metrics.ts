import type { Decision } from './lifecycle';

// Business metrics, derived from what a decision recorded. The names are fixed: alarms and
// the dashboard in lib/ are built on them.

export const METRIC_NAMES = [
  'JobsBooked',
  'ArrivalOnTime',
  'SlaMissed',
  'CallbackScheduled',
  'CallbackCompleted',
  /** Outbound webhooks (webhook-cases.ts): a delivery sent, an attempt that failed, a delivery given up. */
  'WebhookDelivered',
  'WebhookAttemptFailed',
  'WebhookParked',
  /** An upload that was not really an image of its declared type (or too large, or broken): deleted. */
  'PhotosRejected',
] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

export interface MetricPoint {
  name: MetricName;
  value: number;
  /** An extra dimension (the missed SLA's type), published besides the plain metric. */
  type?: string;
}

export function metricsFor(decision: Decision): MetricPoint[] {
  const points: MetricPoint[] = [];
  for (const h of decision.history) {
    switch (h.type) {
      case 'job.booked':
        points.push({ name: 'JobsBooked', value: 1 });
        break;
      case 'job.arrived':
      // A visit nobody answered is an arrival too (the technician came).
      case 'job.no_access':
        // 1 on time, 0 late: the metric's average is the on-time arrival rate.
        points.push({ name: 'ArrivalOnTime', value: decision.job.sla.arrivalMet ? 1 : 0 });
        break;
      case 'sla.arrival_missed':
      case 'sla.callback_missed':
        points.push({ name: 'SlaMissed', value: 1, type: h.type });
        break;
      case 'job.form_signed':
        points.push({ name: 'CallbackScheduled', value: 1 });
        break;
      case 'callback.completed':
        points.push({ name: 'CallbackCompleted', value: 1 });
        break;
      case 'job.photo_checked':
        if (h.data.state === 'rejected')
          points.push({ name: 'PhotosRejected', value: 1, type: String(h.data.reason) });
        break;
    }
  }
  return points;
}
