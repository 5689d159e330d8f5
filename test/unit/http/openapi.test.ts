import { readFileSync } from 'node:fs';
import { openApiDocument } from '../../../functions/http/openapi';
import { handler } from '../../../functions/openapi/handler';
import { OPENAPI_FILE, renderOpenApi } from '../../../scripts/build-openapi';
import { JOB_VIEW_FIELDS, STAFF_ONLY_FIELDS } from '../support/fixtures';

test('the served openapi.json is the one the zod schemas generate (run npm run openapi)', () => {
  expect(readFileSync(OPENAPI_FILE, 'utf8')).toBe(renderOpenApi());
});

test('the handler serves it as JSON that clients may cache', async () => {
  const reply = await handler();
  expect(reply.statusCode).toBe(200);
  expect(reply.headers).toMatchObject({ 'content-type': 'application/json' });
  expect(JSON.parse(reply.body ?? '')).toEqual(JSON.parse(renderOpenApi()));
});

test("the Job schema names exactly the Job view's fields, each required but the staff-only laborWaived", () => {
  const schema = openApiDocument().components.schemas.Job;

  expect(Object.keys(schema.properties).sort()).toEqual([...JOB_VIEW_FIELDS].sort());
  expect([...schema.required].sort()).toEqual(
    JOB_VIEW_FIELDS.filter((f) => !STAFF_ONLY_FIELDS.includes(f)).sort(),
  );
});
