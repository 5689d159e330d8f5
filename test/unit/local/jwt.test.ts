import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalIssuer } from '../../../local/jwt';
import { type ForgeOptions, forgeToken, stackKey, validClaims, withClaims } from '../../support/jwt';

// The local stand-in for the API Gateway JWT authorizer refuses what Cognito's would.

const dir = mkdtempSync(join(tmpdir(), 'jwt-test-'));
const keyPath = join(dir, 'jwt.key');
const issuer = new LocalIssuer(keyPath);
const key = stackKey(dir);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const now = () => Math.floor(Date.now() / 1000);
/** A token signed with the issuer's own key, so each test isolates one rule. */
const signed = (claims: Record<string, unknown>, opts: ForgeOptions = {}) =>
  forgeToken(key, validClaims({ sub: 'r-1', ...claims }), opts);

test('accepts what it issued, with the claims', () => {
  expect(issuer.verify(issuer.issue({ sub: 'r-1', 'custom:role': 'resident' }))).toMatchObject({
    sub: 'r-1',
    'custom:role': 'resident',
  });
  expect(issuer.verify(signed({}))).toMatchObject({ sub: 'r-1' });
});

test.each([
  ['another issuer', { iss: 'https://evil.example' }],
  ['another audience', { aud: 'someone-else' }],
  ['an expired token', { exp: now() - 1 }],
  ['no expiry', { exp: undefined }],
  ['a token not valid yet', { nbf: now() + 600 }],
])('refuses %s', (_, claims) => {
  expect(issuer.verify(signed(claims))).toBeNull();
});

test('refuses alg none and other algorithms', () => {
  expect(issuer.verify(signed({}, { alg: 'none' }))).toBeNull();
  expect(issuer.verify(signed({}, { alg: 'HS512' }))).toBeNull();
});

test('refuses a tampered payload and garbage', () => {
  expect(issuer.verify(withClaims(signed({}), validClaims({ sub: 'manager' })))).toBeNull();
  expect(issuer.verify('not.a.jwt')).toBeNull();
  expect(issuer.verify('')).toBeNull();
});
