import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit, Metrics as PowertoolsMetrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Metrics } from '../domain/ports';

// Powertools, created once per container. Service name and namespace come from
// POWERTOOLS_SERVICE_NAME / POWERTOOLS_METRICS_NAMESPACE (set by lib/); the local stack
// turns tracing and metrics off (POWERTOOLS_TRACE_ENABLED / POWERTOOLS_METRICS_DISABLED).

const serviceName = 'home-repair';
export const logger = new Logger({ serviceName });
export const tracer = new Tracer({ serviceName });
const powertools = new PowertoolsMetrics({ serviceName, namespace: 'HomeRepair' });

let pending = false;

export const metrics: Metrics = {
  record({ name, value, type }) {
    pending = true;
    powertools.addMetric(name, MetricUnit.Count, value);
    if (type) {
      const single = powertools.singleMetric();
      single.addDimension('type', type);
      single.addMetric(name, MetricUnit.Count, value);
    }
  },
};

// Instead of Powertools' logMetrics, which warns on every invocation that records none
// (most reads): publish only when something was recorded.
const flush = async () => {
  if (!pending) return;
  pending = false;
  powertools.publishStoredMetrics();
};
const publishMetrics: middy.MiddlewareObj = { after: flush, onError: flush };

/** The one middleware order, first part: logger, tracer, metrics. The caller adds errors last. */
// biome-ignore lint/suspicious/noExplicitAny: middy's generics differ per handler; this only adds middlewares
export function observed<T extends middy.MiddyfiedHandler<any, any>>(handler: T): T {
  return handler
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(publishMetrics) as T;
}

/** A function the state machine invokes: observed, and errors thrown for its Retry/Catch. */
export function taskHandler<I, O>(fn: (input: I) => Promise<O>) {
  return observed(middy<I, O>().handler(fn));
}
