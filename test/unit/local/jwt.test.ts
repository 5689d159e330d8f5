import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AUDIENCE, ISSUER, LocalIssuer } from '../../../local/jwt';

// The local stand-in for the API Gateway JWT authorizer refuses what Cognito's would.

const dir = mkdtempSync(join(tmpdir(), 'jwt-test-'));
const keyPath = join(dir, 'jwt.key');
const issuer = new LocalIssuer(keyPath);
const key = Buffer.from(readFileSync(keyPath, 'utf8'), 'base64');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);
/** A token signed with the issuer's own key, so each test isolates one rule. */
function signed(claims: Record<string, unknown>, header: object = { alg: 'HS256', typ: 'JWT' }): string {
  const unsigned = `${b64(header)}.${b64({ sub: 'r-1', iss: ISSUER, aud: AUDIENCE, exp: now() + 60, ...claims })}`;
  return `${unsigned}.${createHmac('sha256', key).update(unsigned).digest('base64url')}`;
}

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
  const body = b64({ sub: 'r-1', iss: ISSUER, aud: AUDIENCE, exp: now() + 60 });
  expect(issuer.verify(`${b64({ alg: 'none' })}.${body}.`)).toBeNull();
  expect(issuer.verify(signed({}, { alg: 'HS512', typ: 'JWT' }))).toBeNull();
});

test('refuses a tampered payload and garbage', () => {
  const [head, , sig] = signed({}).split('.');
  expect(
    issuer.verify(`${head}.${b64({ sub: 'manager', iss: ISSUER, aud: AUDIENCE, exp: now() + 60 })}.${sig}`),
  ).toBeNull();
  expect(issuer.verify('not.a.jwt')).toBeNull();
  expect(issuer.verify('')).toBeNull();
});
