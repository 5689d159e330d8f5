import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';

// The two pages as static files: `<outDir>/app/` (residents) and `<outDir>/console/` (staff),
// each an index.html, one script and one stylesheet. The local front door serves them from
// here; CDK deploys the same folder to the site bucket. No inline script or style anywhere,
// so the strict CSP (script-src 'self') holds.

export const PAGES = ['app', 'console'] as const;
export type PageName = (typeof PAGES)[number];

export interface BuiltPages {
  dir: string;
  /** Each page's script, for the size budget in `npm run bench`. */
  scripts: Record<PageName, string>;
}

export function buildPages(outDir: string, opts: { minify?: boolean } = {}): BuiltPages {
  rmSync(outDir, { recursive: true, force: true });
  const scripts = {} as Record<PageName, string>;
  for (const page of PAGES) {
    const dir = join(outDir, page);
    mkdirSync(dir, { recursive: true });
    buildSync({
      entryPoints: [join(__dirname, page, 'main.tsx')],
      bundle: true,
      outfile: join(dir, 'main.js'),
      format: 'esm',
      target: 'es2022',
      minify: opts.minify ?? true,
      sourcemap: false,
      jsx: 'automatic',
      jsxImportSource: 'preact',
      legalComments: 'none',
      logLevel: 'error',
    });
    copyFileSync(join(__dirname, page, 'index.html'), join(dir, 'index.html'));
    copyFileSync(join(__dirname, 'shared', 'style.css'), join(dir, 'style.css'));
    scripts[page] = join(dir, 'main.js');
  }
  return { dir: outDir, scripts };
}
