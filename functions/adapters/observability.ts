import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit, Metrics as PowertoolsMetrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import { AppError } from '../domain/errors';
import type { Metrics } from '../domain/ports';

// Powertools, created once per container. Service name and namespace come from
// POWERTOOLS_SERVICE_NAME / POWERTOOLS_METRICS_NAMESPACE (set by lib/); the local stack
// turns tracing and metrics off (POWERTOOLS_TRACE_ENABLED / POWERTOOLS_METRICS_DISABLED).

const serviceName = 'home-repair';

// Redaction applies to every value of every log line, whoever logs it and whatever the
// level, so POWERTOOLS_LOGGER_LOG_EVENT=true (the whole API event) is safe to turn on:
// credentials by key and by shape, phone numbers masked, errors reduced to their name
// (SDK messages can carry hosts, ARNs or request data; stacks carry paths).
const SECRET_KEY =
  /^(authorization|cookie|set-cookie|x-api-key|webhook-signature|task-?token|token|password)$|secret/i;
const SCRUBS: Array<[RegExp, (match: string) => string]> = [
  [/\beyJ[\w-]*\.[\w-]*\.[\w-]*/g, () => '[redacted jwt]'],
  [/\bBearer\s+\S+/gi, () => 'Bearer [redacted]'],
  [/\bwhsec_[A-Za-z0-9+/=]+/g, () => 'whsec_[redacted]'],
  [/\bv1,[A-Za-z0-9+/=]{16,}/g, () => 'v1,[redacted]'],
  [/\n\s*at .*/g, () => ''],
  [/\+[1-9]\d{6,14}(?!\d)/g, maskPhone],
  // Mainland mobile numbers written without +86, e.g. in a description.
  [/(?<![\w+])1[3-9]\d{9}(?!\d)/g, maskPhone],
];

/** Keeps the first two and the last four digits: enough to tell numbers apart, not to call one. */
export function maskPhone(phone: string): string {
  const plus = phone.startsWith('+') ? '+' : '';
  const digits = phone.slice(plus.length);
  return `${plus}${digits.slice(0, 2)}${'*'.repeat(Math.max(0, digits.length - 6))}${digits.slice(-4)}`;
}

export function scrub(text: string): string {
  return SCRUBS.reduce((t, [pattern, by]) => t.replace(pattern, by), text);
}

/** The logger's JSON replacer: called for every key and value before Powertools serializes them. */
export function redact(key: string, value: unknown): unknown {
  if (value === undefined || value === null) return value;
  if (SECRET_KEY.test(key)) return '[redacted]';
  if (value instanceof Error) return { name: value.name };
  return typeof value === 'string' ? scrub(value) : value;
}

export const logger = new Logger({ serviceName, jsonReplacerFn: redact });
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

/**
 * What a task throws, as the state machine and the Lambda runtime (which logs it) see it: the
 * same name, which the ASL's Retry/Catch match, but no stack and no foreign message.
 */
export function withoutInternals(error: unknown): Error {
  const name = (error instanceof Error && error.name) || 'Error';
  const safe = new Error(error instanceof AppError ? error.message : 'The task failed; see its name');
  safe.name = name;
  safe.stack = `${name}: ${safe.message}`;
  return safe;
}

/** A function the state machine invokes: observed, and errors thrown for its Retry/Catch. */
export function taskHandler<I, O>(fn: (input: I) => Promise<O>) {
  return observed(
    middy<I, O>().handler(async (input) => {
      try {
        return await fn(input);
      } catch (e) {
        // Typed errors are expected (retried or caught by the ASL); anything else is a bug or an outage.
        if (e instanceof AppError) logger.warn('task failed', { errorName: e.name });
        else logger.error('task failed', { errorName: (e as Error)?.name });
        throw withoutInternals(e);
      }
    }),
  );
}
