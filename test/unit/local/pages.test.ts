import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The front door's static pages, on a prebuilt folder (building the real pages is the browser
// tests' part): fallback to index.html, no way out of the page's folder, the security headers.

const dir = mkdtempSync(join(tmpdir(), 'pages-test-'));
for (const page of ['app', 'console']) {
  mkdirSync(join(dir, page), { recursive: true });
  writeFileSync(join(dir, page, 'index.html'), `<!doctype html><title>${page}</title>`);
  writeFileSync(join(dir, page, 'main.js'), 'export {};');
}
writeFileSync(join(dir, 'secret.txt'), 'not a page');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

jest.mock('../../../pages/build', () => ({ PAGES: ['app', 'console'], buildPages: jest.fn() }));
// Imported after the mock: the server must not build over the prepared folder.
const { pagesServer } = jest.requireActual<typeof import('../../../local/pages')>('../../../local/pages');
const CONFIG = { auth: { kind: 'local' as const }, timeZone: 'Asia/Shanghai' };
const serve = pagesServer(dir, CONFIG);

test.each([
  ['/app/', 'app'],
  ['/app/jobs/123', 'app'],
  ['/console/', 'console'],
  ['/console/board', 'console'],
])('%s falls back to the %s page', (path, page) => {
  const reply = serve(path);

  expect(reply?.status).toBe(200);
  expect(String(reply?.body)).toContain(`<title>${page}</title>`);
  expect(reply?.headers['content-type']).toMatch(/^text\/html/);
});

test('serves a script with its type', () => {
  expect(serve('/console/main.js')?.headers['content-type']).toMatch(/^text\/javascript/);
});

test.each(['/app/../secret.txt', '/app/%2e%2e/secret.txt', '/app/missing.js'])('%s is not found', (path) => {
  expect(serve(path)).toBeNull();
});

test('sends the strict CSP with every page', () => {
  const csp = serve('/app/')?.headers['content-security-policy'] ?? '';

  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toContain('unsafe-inline');
});

test('tells the pages to sign in locally, and sends / to the resident page', () => {
  expect(JSON.parse(String(serve('/config.json')?.body))).toEqual(CONFIG);
  expect(serve('/')).toMatchObject({ status: 302, headers: { location: '/app/' } });
});

test('leaves API paths to the API', () => {
  expect(serve('/jobs')).toBeNull();
});
