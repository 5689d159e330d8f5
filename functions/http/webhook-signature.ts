import { timingSafeEqual } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { sign, signedHeaders as signedBy } from '../domain/webhooks';
import { UnauthorizedError } from './errors';
import { header, rawBody } from './request';

// Standard Webhooks: v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}"> keyed by the
// base64 part of whsec_<base64>. The ±5 minute window is on the real wall clock.

export const TOLERANCE_SECONDS = 5 * 60;

export interface SignatureHeaders {
  id?: string;
  timestamp?: string;
  signature?: string;
}

export { sign };

/** The three Standard Webhooks headers a sender attaches to `body` (the signing itself: domain/webhooks.ts). */
export const signedHeaders = (secret: string, id: string, timestamp: number, body: string) =>
  signedBy([secret], id, timestamp, body);

/**
 * The checks that need no secret: all three headers present, the timestamp a Unix time within
 * the window. Run first, so an unsigned or stale request never costs a secret lookup.
 */
export function checkSignatureHeaders(
  headers: SignatureHeaders,
  nowSeconds: number,
): Required<SignatureHeaders> {
  const { id, timestamp, signature } = headers;
  if (!id || !timestamp || !signature)
    throw new UnauthorizedError('Missing webhook-id, webhook-timestamp or webhook-signature');
  if (!/^\d{1,12}$/.test(timestamp))
    throw new UnauthorizedError('webhook-timestamp is not a Unix time in seconds');
  if (Math.abs(nowSeconds - Number(timestamp)) > TOLERANCE_SECONDS)
    throw new UnauthorizedError('webhook-timestamp is outside the 5-minute window');
  return { id, timestamp, signature };
}

export function verifySignature(
  headers: SignatureHeaders,
  body: string,
  secrets: readonly string[],
  nowSeconds: number,
): string {
  const { id, timestamp, signature } = checkSignatureHeaders(headers, nowSeconds);
  const offered = signature
    .split(' ')
    .filter((s) => s.startsWith('v1,'))
    .map((s) => Buffer.from(s.slice(3), 'base64'));
  for (const secret of secrets) {
    const expected = Buffer.from(sign(secret, id, Number(timestamp), body).slice(3), 'base64');
    if (offered.some((o) => o.length === expected.length && timingSafeEqual(o, expected))) return id;
  }
  throw new UnauthorizedError('The webhook signature does not match');
}

/**
 * A request from the technicians' platform (the webhook and the uploads route alike): its
 * webhook-id and raw body once its signature checks out against one of the secrets (rotation
 * keeps two). The window is measured on the real wall clock, never the simulated one.
 */
export async function verifiedWebhook(
  event: APIGatewayProxyEventV2,
  secrets: () => Promise<readonly string[]>,
): Promise<{ webhookId: string; raw: string }> {
  const raw = rawBody(event) ?? '';
  const headers = {
    id: header(event, 'webhook-id'),
    timestamp: header(event, 'webhook-timestamp'),
    signature: header(event, 'webhook-signature'),
  };
  const now = Math.floor(Date.now() / 1000);
  // The checks that need no secret first: an unsigned or stale request never costs a lookup.
  checkSignatureHeaders(headers, now);
  return { webhookId: verifySignature(headers, raw, await secrets(), now), raw };
}
