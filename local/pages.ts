import { existsSync, readFileSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { pageSecurityHeaders } from '../functions/http/security-headers';
import { buildPages, PAGES } from '../pages/build';
import type { PagesConfig } from '../pages/shared/config';

// The pages on the front door, as CloudFront serves them on AWS: `/app/` and `/console/` from
// the static build (each path without a file extension falls back to that page's index.html),
// `/config.json` telling the pages to sign in locally, and the same security headers.

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

export interface StaticReply {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string;
}

/** Serves the pages from `dir` (built on first use: a stack that no browser opens never builds them). */
export function pagesServer(dir: string, config: PagesConfig) {
  let built = false;
  const ensureBuilt = () => {
    if (!built) buildPages(dir);
    built = true;
  };
  return (path: string): StaticReply | null => {
    const headers = { ...pageSecurityHeaders(), 'cache-control': 'no-cache' };
    if (path === '/') return { status: 302, headers: { ...headers, location: '/app/' }, body: '' };
    if (path === '/config.json')
      return {
        status: 200,
        headers: { ...headers, 'content-type': TYPES['.json'] as string },
        body: JSON.stringify(config),
      };
    const page = PAGES.find((p) => path === `/${p}` || path.startsWith(`/${p}/`));
    if (!page) return null;
    if (path === `/${page}`) return { status: 301, headers: { ...headers, location: `/${page}/` }, body: '' };
    ensureBuilt();
    const rest = path.slice(page.length + 2);
    const file = extname(rest) ? normalize(join(dir, page, rest)) : join(dir, page, 'index.html');
    // normalize() resolves `..`: anything outside the page's folder is simply not there.
    if (!file.startsWith(join(dir, page)) || !existsSync(file)) return null;
    const type = TYPES[extname(file)] ?? 'application/octet-stream';
    return { status: 200, headers: { ...headers, 'content-type': type }, body: readFileSync(file) };
  };
}
