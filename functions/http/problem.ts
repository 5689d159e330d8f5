import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { AppError, type ErrorCode, ValidationError } from '../domain/errors';

// The one place errors become responses (RFC 9457): each code's status and title, once.
// Anything that is not a typed AppError is a 500 that says nothing about internals.

export const PROBLEMS: Record<ErrorCode, { status: number; title: string }> = {
  invalid: { status: 400, title: 'Invalid request' },
  unauthenticated: { status: 401, title: 'Unauthorized' },
  forbidden: { status: 403, title: 'Forbidden' },
  not_found: { status: 404, title: 'Not found' },
  conflict: { status: 409, title: 'Conflict' },
  too_large: { status: 413, title: 'Payload too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  idempotency_mismatch: { status: 422, title: 'Idempotency-Key reused with a different body' },
  rate_limited: { status: 429, title: 'Too many requests' },
  unavailable: { status: 503, title: 'Service unavailable' },
};

const HEADERS = { 'content-type': 'application/problem+json', 'cache-control': 'no-store' };

export function problem(error: unknown): APIGatewayProxyStructuredResultV2 {
  if (!(error instanceof AppError)) {
    return {
      statusCode: 500,
      headers: HEADERS,
      body: JSON.stringify({
        type: 'about:blank',
        title: 'Internal error',
        status: 500,
        detail: 'Something went wrong on our side. Please try again.',
      }),
    };
  }
  const { status, title } = PROBLEMS[error.code];
  const body: Record<string, unknown> = { type: 'about:blank', title, status, detail: error.message };
  if (error instanceof ValidationError && error.errors.length) body.errors = error.errors;
  const headers: Record<string, string> = { ...HEADERS };
  if (error.retryAfterSeconds !== undefined) headers['retry-after'] = String(error.retryAfterSeconds);
  return { statusCode: status, headers, body: JSON.stringify(body) };
}
