import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AUDIENCE, ISSUER } from '../../local/jwt';

// Hand-made JWTs for the tests of the local JWT check (test/unit/local/jwt.test.ts) and of
// the API over HTTP: each token breaks exactly the rule a test names, and nothing else.

/** base64url of a value's JSON: one JWT segment. */
export const segment = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** The HMAC key a local stack signs its tokens with, read from its data folder (DATA_DIR/jwt.key). */
export function stackKey(dataDir: string): Buffer {
  return Buffer.from(readFileSync(join(dataDir, 'jwt.key'), 'utf8'), 'base64');
}

/** Claims the local check accepts: its issuer and audience, expiring in a minute; `extra` wins. */
export function validClaims(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { iss: ISSUER, aud: AUDIENCE, exp: nowSeconds() + 60, ...extra };
}

export interface ForgeOptions {
  /** The header's `alg` (HS256 by default). `none` leaves the signature empty; any other is signed HMAC-SHA256 all the same. */
  alg?: string;
  /** The whole header instead of `{ alg, typ: 'JWT' }` (its `alg: 'none'` too leaves the signature empty). */
  header?: Record<string, unknown>;
}

/**
 * A JWT with exactly `claims` (a claim set to undefined is left out), signed HMAC-SHA256 with
 * `key`: the stack's own key (`stackKey(dataDir)`) or any other, to forge one it must refuse.
 */
export function forgeToken(
  key: Buffer | string,
  claims: Record<string, unknown>,
  opts: ForgeOptions = {},
): string {
  const header = opts.header ?? { alg: opts.alg ?? 'HS256', typ: 'JWT' };
  const unsigned = `${segment(header)}.${segment(claims)}`;
  const signature =
    header.alg === 'none' ? '' : createHmac('sha256', key).update(unsigned).digest('base64url');
  return `${unsigned}.${signature}`;
}

/** The same token with its claims replaced after signing (its header and signature kept). */
export function withClaims(token: string, claims: Record<string, unknown>): string {
  const [header, , signature] = token.split('.');
  return `${header}.${segment(claims)}.${signature}`;
}
