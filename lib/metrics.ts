import { Duration } from 'aws-cdk-lib';
import { Metric, type MetricOptions } from 'aws-cdk-lib/aws-cloudwatch';

// The business metrics the functions emit (Powertools EMF). lib/ sets these names as the
// Powertools env vars, so one place says what the functions and the alarms agree on.
export const SERVICE_NAME = 'home-repair';
export const METRICS_NAMESPACE = 'HomeRepair';

export type BusinessMetric =
  | 'JobsBooked'
  | 'ArrivalOnTime'
  | 'SlaMissed'
  | 'CallbackScheduled'
  | 'CallbackCompleted';

/** A business metric under the service-only dimension set (every emission carries it). */
export function businessMetric(metricName: BusinessMetric, options: MetricOptions = {}): Metric {
  return new Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    statistic: 'Sum',
    period: Duration.minutes(5),
    ...options,
    dimensionsMap: { service: SERVICE_NAME, ...options.dimensionsMap },
  });
}
