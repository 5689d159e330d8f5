import { Duration } from 'aws-cdk-lib';
import { Metric, type MetricOptions } from 'aws-cdk-lib/aws-cloudwatch';
import type { MetricName } from '../functions/domain/metrics';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../functions/names';

// The business metrics the functions emit (Powertools EMF), under the names the functions
// define (functions/domain/metrics.ts, functions/names.ts).
export type BusinessMetric = MetricName;

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
