import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { AppError, ValidationError } from '../domain/errors';

// The one place errors become responses (RFC 9457). Anything that is not a typed
// AppError is a 500 that says nothing about internals.

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
  const body: Record<string, unknown> = {
    type: 'about:blank',
    title: error.title,
    status: error.status,
    detail: error.message,
  };
  if (error instanceof ValidationError && error.errors.length) body.errors = error.errors;
  return { statusCode: error.status, headers: { ...HEADERS, ...error.headers }, body: JSON.stringify(body) };
}
