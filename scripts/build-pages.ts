import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildPages } from '../pages/build';

// `npm run pages`: builds the two pages into dist/pages (what CDK deploys and the front door
// serves) and prints each script's gzipped size.

const out = buildPages(join(__dirname, '..', 'dist', 'pages'));
for (const [page, file] of Object.entries(out.scripts))
  console.log(`${page}: ${(gzipSync(readFileSync(file)).length / 1024).toFixed(1)} KB gzipped (${file})`);
