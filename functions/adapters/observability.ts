import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { LogLevel } from '@aws-lambda-powertools/logger/types';
import { MetricUnit, Metrics as PowertoolsMetrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import { AppError } from '../domain/errors';
import type { Metrics } from '../domain/ports';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../names';

// Logging, tracing and metrics, built by the composition root: Powertools on Lambda, the same
// logger without X-Ray or CloudWatch on the local stack.

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

export interface Observability {
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** The first part of the one middleware order: logger, tracer, metrics. */
  readonly middlewares: middy.MiddlewareObj[];
  /** Traces an SDK client's calls (as is, when tracing is off). */
  traced<T>(client: T): T;
}

const newLogger = (logLevel?: LogLevel) =>
  new Logger({ serviceName: SERVICE_NAME, jsonReplacerFn: redact, logLevel });

/** On Lambda: Powertools logger, X-Ray tracer and EMF metrics, configured by their POWERTOOLS_* variables. */
export function lambdaObservability(): Observability {
  const logger = newLogger();
  const tracer = new Tracer({ serviceName: SERVICE_NAME });
  const powertools = new PowertoolsMetrics({ serviceName: SERVICE_NAME, namespace: METRICS_NAMESPACE });
  let pending = false;
  const metrics: Metrics = {
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
  return {
    logger,
    metrics,
    middlewares: [
      injectLambdaContext(logger, { resetKeys: true }),
      captureLambdaHandler(tracer, { captureResponse: false }),
      { after: flush, onError: flush },
    ],
    traced: (client) => tracer.captureAWSv3Client(client as never) as typeof client,
  };
}

export interface LocalObservabilityOptions {
  logLevel?: LogLevel;
  /** Log every incoming event (Powertools' logEvent), redacted like every other line. */
  logEvent?: boolean;
}

/** On the local stack: the same logger and redaction; no X-Ray, and metrics counted in memory. */
export function localObservability(opts: LocalObservabilityOptions = {}): Observability & {
  readonly totals: Map<string, number>;
} {
  const logger = newLogger(opts.logLevel ?? 'WARN');
  const totals = new Map<string, number>();
  return {
    logger,
    totals,
    metrics: { record: ({ name, value }) => totals.set(name, (totals.get(name) ?? 0) + value) },
    middlewares: [injectLambdaContext(logger, { resetKeys: true, logEvent: opts.logEvent ?? false })],
    traced: (client) => client,
  };
}

/** Wraps a handler in the observability middlewares; the caller adds its error handling last. */
// biome-ignore lint/suspicious/noExplicitAny: middy's generics differ per handler; this only adds middlewares
export function observed<T extends middy.MiddyfiedHandler<any, any>>(obs: Observability, handler: T): T {
  for (const m of obs.middlewares) handler.use(m);
  return handler;
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
export function taskHandler<I, O>(obs: Observability, fn: (input: I) => Promise<O>) {
  const { logger } = obs;
  return observed(
    obs,
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
