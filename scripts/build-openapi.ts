import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openApiDocument } from '../functions/http/openapi';

// Writes functions/openapi/openapi.json from the zod schemas. The openapi function serves that file as
// it is, so its cold start is Node's own (no zod, no middleware); test/unit/domain/openapi.test.ts fails
// when the committed file no longer matches the schemas.
//   npm run openapi            rewrite the file
//   npm run openapi -- --check exit 1 if it is out of date

export const OPENAPI_FILE = join(__dirname, '..', 'functions', 'openapi', 'openapi.json');
export const renderOpenApi = () => `${JSON.stringify(openApiDocument(), null, 2)}\n`;

if (require.main === module) {
  const text = renderOpenApi();
  if (process.argv.includes('--check')) {
    const current = readFileSync(OPENAPI_FILE, 'utf8');
    if (current !== text) {
      console.error(`${OPENAPI_FILE} is out of date: run npm run openapi`);
      process.exit(1);
    }
  } else {
    writeFileSync(OPENAPI_FILE, text);
    console.log(`wrote ${OPENAPI_FILE}`);
  }
}
