import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalIssuer } from '../../../local/jwt';
import { type LocalParts, localRoutes, SESSION_COOKIE } from '../../../local/local-routes';

// `/_local/login` and `/_local/session`: the pages' way in on the local stack. The token goes
// into an HttpOnly cookie only the session route receives, and `next` never leaves the site.

const dir = mkdtempSync(join(tmpdir(), 'login-test-'));
const issuer = new LocalIssuer(join(dir, 'jwt.key'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const routes = localRoutes({ issuer } as unknown as LocalParts);

const login = (q: Record<string, string>) =>
  routes({ method: 'GET', path: '/_local/login', query: new URLSearchParams(q), body: {}, headers: {} });
const session = (cookie?: string) =>
  routes({
    method: 'GET',
    path: '/_local/session',
    query: new URLSearchParams(),
    body: {},
    headers: cookie ? { cookie } : {},
  });

test('signs in and redirects to next with an HttpOnly, SameSite=Strict cookie for the session route only', async () => {
  const [status, , headers] = (await login({ sub: 'm-1', role: 'manager', next: '/console/' })) ?? [];

  expect(status).toBe(302);
  expect(headers?.location).toBe('/console/');
  const cookie = headers?.['set-cookie'] ?? '';
  expect(cookie).toMatch(new RegExp(`^${SESSION_COOKIE}=[\\w-]+\\.[\\w-]+\\.[\\w-]+; `));
  expect(cookie).toContain('HttpOnly');
  expect(cookie).toContain('SameSite=Strict');
  expect(cookie).toContain('Path=/_local/session');
});

test('the session route hands the page its token and claims from that cookie', async () => {
  const [, , headers] = (await login({ sub: 'a-1', role: 'agent', name: 'Zhou' })) ?? [];
  const cookie = String(headers?.['set-cookie']).split(';')[0];

  const [status, body] = (await session(`theme=dark; ${cookie}`)) ?? [];

  expect(status).toBe(200);
  const { token, claims } = body as { token: string; claims: Record<string, unknown> };
  expect(issuer.verify(token)).toMatchObject({ sub: 'a-1', 'custom:role': 'agent', name: 'Zhou' });
  expect(claims).toMatchObject({ sub: 'a-1', name: 'Zhou' });
});

test.each([
  ['no cookie', undefined],
  ['a forged cookie', `${SESSION_COOKIE}=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJtLTEifQ.c2ln`],
])('the session route answers 401 to %s', async (_what, cookie) => {
  expect((await session(cookie))?.[0]).toBe(401);
});

test.each([
  ['another site', 'https://evil.example/'],
  ['a scheme-relative URL', '//evil.example/'],
  ['a backslash trick', '/\\evil.example'],
])('refuses next pointing to %s, naming next', async (_what, next) => {
  const [status, body] = (await login({ sub: 'm-1', role: 'manager', next })) ?? [];

  expect(status).toBe(400);
  expect(JSON.stringify(body)).toContain('"path":"next"');
});

test('refuses a role the service does not know, naming role', async () => {
  const [status, body] = (await login({ sub: 'x', role: 'admin' })) ?? [];

  expect(status).toBe(400);
  expect(JSON.stringify(body)).toContain('"path":"role"');
});

const tokenOf = async (body: Record<string, unknown>) => {
  const [status, reply] =
    (await routes({
      method: 'POST',
      path: '/_local/tokens',
      query: new URLSearchParams(),
      body,
      headers: {},
    })) ?? [];
  return { status, claims: status === 201 ? issuer.verify((reply as { token: string }).token) : null, reply };
};

test("a token request's properties become Cognito's comma-separated custom:properties claim", async () => {
  const limited = await tokenOf({ sub: 'm-1', role: 'manager', properties: ['A1', 'B2'] });
  const company = await tokenOf({ sub: 'm-2', role: 'manager' });

  expect(limited.claims).toMatchObject({ 'custom:properties': 'A1,B2' });
  expect(company.claims).not.toHaveProperty('custom:properties');
});

test('refuses properties that are not property codes, naming the entry', async () => {
  const { status, reply } = await tokenOf({ sub: 'm-1', role: 'manager', properties: ['B-2'] });

  expect(status).toBe(400);
  expect(JSON.stringify(reply)).toContain('"path":"properties.0"');
});

test('signs the pages in limited to properties given comma-separated', async () => {
  const [, , headers] = (await login({ sub: 'm-b2', role: 'manager', properties: 'B2, A1' })) ?? [];
  const [, body] = (await session(String(headers?.['set-cookie']).split(';')[0])) ?? [];

  expect((body as { claims: Record<string, unknown> }).claims).toMatchObject({
    'custom:properties': 'B2,A1',
  });
});
