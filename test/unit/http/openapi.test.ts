import { readFileSync } from 'node:fs';
import { handler } from '../../../functions/openapi/handler';
import { OPENAPI_FILE, renderOpenApi } from '../../../scripts/build-openapi';

test('the served openapi.json is the one the zod schemas generate (run npm run openapi)', () => {
  expect(readFileSync(OPENAPI_FILE, 'utf8')).toBe(renderOpenApi());
});

test('the handler serves it as JSON that clients may cache', async () => {
  const reply = await handler();
  expect(reply.statusCode).toBe(200);
  expect(reply.headers).toMatchObject({ 'content-type': 'application/json' });
  expect(JSON.parse(reply.body ?? '')).toEqual(JSON.parse(renderOpenApi()));
});
