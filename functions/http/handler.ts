import { createHash } from 'node:crypto';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { type Observability, observed } from '../adapters/observability';
import { AppError } from '../domain/errors';
import { problem } from './problem';

export interface Reply {
  status: number;
  /** Sent as JSON; with `contentType`, a string sent as it is. */
  body: unknown;
  /** A body other than JSON (the report's CSV): its media type. */
  contentType?: string;
  headers?: Record<string, string>;
}

export type Event = APIGatewayProxyEventV2WithJWTAuthorizer;

/**
 * The one middleware order for every API handler: Powertools logger, tracer and metrics,
 * then the handler, then errors mapped once to problem+json. Bodies and queries are parsed by the handler
 * with the zod schema (functions/http/request.ts), so the webhook can verify raw bytes first.
 */
export function httpHandler(obs: Observability, fn: (event: Event) => Promise<Reply>) {
  const { logger } = obs;
  return observed(obs, middy<Event, APIGatewayProxyStructuredResultV2>())
    .use({
      onError: async (request) => {
        const error = request.error;
        // Only the error's name: messages from SDKs can carry hosts, keys or request data.
        if (!(error instanceof AppError))
          logger.error('request failed', { errorName: (error as Error)?.name });
        request.response = problem(error);
      },
    })
    .handler(async (event) => {
      const reply = await fn(event);
      const body = reply.contentType ? String(reply.body) : JSON.stringify(reply.body);
      const headers = {
        'content-type': reply.contentType ?? 'application/json',
        'cache-control': 'no-store',
        ...reply.headers,
      };
      if (event.requestContext?.http?.method !== 'GET' || reply.status !== 200)
        return { statusCode: reply.status, headers, body };
      // The pages poll for live updates with conditional GETs: an unchanged answer costs a 304
      // and no body (docs/pages.md, "Live updates").
      const etag = entityTag(body);
      if (event.headers['if-none-match'] === etag)
        return { statusCode: 304, headers: { etag, 'cache-control': 'no-store' } };
      return { statusCode: 200, headers: { ...headers, etag }, body };
    });
}

/** A strong validator of a JSON answer: the same bytes, the same tag. */
export const entityTag = (body: string) =>
  `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
