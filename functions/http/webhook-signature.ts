import { timingSafeEqual } from 'node:crypto';
import { sign, signedHeaders as signedBy } from '../domain/webhooks';
import { UnauthorizedError } from './errors';

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
