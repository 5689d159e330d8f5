import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { z } from 'zod';
import { ValidationError } from '../domain/errors';
import { PayloadTooLargeError, UnsupportedMediaTypeError } from './errors';

export const MAX_BODY_BYTES = 256 * 1024;

/** One error per field; an unknown field (a client trying to set `status`, say) is named in its own path. */
export function zodErrors(error: z.ZodError) {
  return error.issues.flatMap((i) =>
    i.code === 'unrecognized_keys'
      ? i.keys.map((key) => ({ path: [...i.path, key].join('.'), message: 'unknown field' }))
      : [{ path: i.path.join('.') || '(body)', message: i.message }],
  );
}

export function parseWith<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ValidationError(`The ${what} is not valid`, zodErrors(result.error));
  return result.data;
}

export function header(event: APIGatewayProxyEventV2, name: string): string | undefined {
  return event.headers?.[name] ?? event.headers?.[name.toLowerCase()];
}

/**
 * Which of the `offered` media types the Accept header asks for most (RFC 9110 q-values; the
 * most specific range counts, `text/csv` before `text/*` before the any-type range); a tie, or no
 * Accept at all, goes to the first offered. Nothing acceptable gets the first too: a 406 would help
 * no client of this API.
 */
export function preferredType(accept: string | undefined, offered: readonly [string, ...string[]]): string {
  const ranges = (accept ?? '').split(',').flatMap((part) => {
    const [range, ...params] = part.trim().toLowerCase().split(';');
    if (!range) return [];
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const quality = q ? Number(q.slice(2)) : 1;
    return [{ range: range.trim(), q: Number.isFinite(quality) ? quality : 0 }];
  });
  const qualityOf = (type: string) => {
    const [main] = type.split('/');
    const match =
      ranges.find((r) => r.range === type) ??
      ranges.find((r) => r.range === `${main}/*`) ??
      ranges.find((r) => r.range === '*/*');
    return match ? match.q : ranges.length ? 0 : 1;
  };
  let best = offered[0];
  let bestQ = qualityOf(best);
  for (const type of offered.slice(1)) {
    const q = qualityOf(type);
    if (q > bestQ) [best, bestQ] = [type, q];
  }
  return best;
}

/** The body as the client sent it (needed byte-exact for webhook signatures), after size and type checks. */
export function rawBody(event: APIGatewayProxyEventV2, required = true): string | undefined {
  const raw = event.body
    ? event.isBase64Encoded
      ? Buffer.from(event.body, 'base64').toString('utf8')
      : event.body
    : '';
  if (Buffer.byteLength(raw) > MAX_BODY_BYTES)
    throw new PayloadTooLargeError('The body is larger than 256 KiB');
  if (!raw) {
    if (required)
      throw new ValidationError('A JSON body is required', [{ path: '(body)', message: 'required' }]);
    return undefined;
  }
  const type = header(event, 'content-type') ?? '';
  if (!/^application\/(.+\+)?json\s*(;|$)/i.test(type))
    throw new UnsupportedMediaTypeError('Send the body as application/json');
  return raw;
}

export function jsonBody<S extends z.ZodType>(
  event: APIGatewayProxyEventV2,
  schema: S,
  required = true,
): z.infer<S> {
  const raw = rawBody(event, required);
  return parseWith(schema, raw === undefined ? {} : parseJson(raw), 'request body');
}

export function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    throw new ValidationError('The body is not valid JSON', [{ path: '(body)', message: 'malformed JSON' }]);
  }
}

/** The optional Idempotency-Key header (1-255 characters): a replay answers the first request's result. */
export function idempotencyKeyOf(event: APIGatewayProxyEventV2): string | undefined {
  const key = header(event, 'idempotency-key');
  if (key !== undefined && (key.length === 0 || key.length > 255))
    throw new ValidationError('Idempotency-Key must be 1-255 characters', [
      { path: 'Idempotency-Key', message: 'must be 1-255 characters' },
    ]);
  return key;
}

/** Whether the request came in on this operation's route (for a function that serves several). */
export const isRoute = (event: APIGatewayProxyEventV2, route: { method: string; path: string }) =>
  event.routeKey === `${route.method} ${route.path}`;

export function pathParam(event: APIGatewayProxyEventV2, name: string): string {
  const value = event.pathParameters?.[name];
  if (!value || value.length > 64)
    throw new ValidationError(`Invalid ${name}`, [{ path: name, message: 'invalid' }]);
  return value;
}

/** A path parameter checked by its schema: a bad one is a 400 naming the parameter. */
export function checkedPathParam<S extends z.ZodType>(
  event: APIGatewayProxyEventV2,
  name: string,
  schema: S,
): z.infer<S> {
  const result = schema.safeParse(pathParam(event, name));
  if (!result.success)
    throw new ValidationError(`Invalid ${name}`, [
      { path: name, message: result.error.issues[0]?.message ?? 'invalid' },
    ]);
  return result.data;
}
