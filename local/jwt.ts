import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

// A local stand-in for Cognito: HS256 JWTs signed with a key kept in DATA_DIR, checked
// the way API Gateway's JWT authorizer checks them (alg, signature, iss, aud, exp).

export const ISSUER = 'https://local.home-repair/issuer';
export const AUDIENCE = 'home-repair-local';
const LIFETIME_SECONDS = 12 * 3600;

const b64 = (v: string | Buffer) => Buffer.from(v).toString('base64url');

export class LocalIssuer {
  private readonly key: Buffer;

  constructor(keyPath: string) {
    if (!existsSync(keyPath)) writeFileSync(keyPath, randomBytes(32).toString('base64'), { mode: 0o600 });
    this.key = Buffer.from(readFileSync(keyPath, 'utf8'), 'base64');
  }

  issue(claims: Record<string, string>): string {
    const now = Math.floor(Date.now() / 1000);
    const header = b64(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
    const payload = b64(
      JSON.stringify({ ...claims, iss: ISSUER, aud: AUDIENCE, iat: now, exp: now + LIFETIME_SECONDS }),
    );
    return `${header}.${payload}.${this.sign(`${header}.${payload}`)}`;
  }

  /** The token's claims, or null when anything about it is wrong. */
  verify(token: string): Record<string, unknown> | null {
    const [header, payload, signature, ...rest] = token.split('.');
    if (!header || !payload || !signature || rest.length) return null;
    try {
      const h = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
      if (h.alg !== 'HS256') return null;
      const expected = Buffer.from(this.sign(`${header}.${payload}`));
      const offered = Buffer.from(signature);
      if (expected.length !== offered.length || !timingSafeEqual(expected, offered)) return null;
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      const now = Math.floor(Date.now() / 1000);
      if (claims.iss !== ISSUER || claims.aud !== AUDIENCE) return null;
      if (typeof claims.exp !== 'number' || claims.exp <= now) return null;
      if (typeof claims.nbf === 'number' && claims.nbf > now) return null;
      return claims;
    } catch {
      return null;
    }
  }

  private sign(data: string): string {
    return createHmac('sha256', this.key).update(data).digest('base64url');
  }
}
