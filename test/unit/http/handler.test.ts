import type { Context } from 'aws-lambda';
import { lambdaObservability } from '../../../functions/adapters/observability';
import type { AppPorts } from '../../../functions/adapters/ports';
import { NotFoundError } from '../../../functions/domain/errors';
import { type Event, httpHandler } from '../../../functions/http/handler';
import { technicianWebhookHandler } from '../../../functions/technician-webhook/technician-webhook';
import { captureOutput } from '../support/capture';

// The API handlers' error path: what the caller gets and what the log gets.

const context = { functionName: 'get-job', awsRequestId: 'req-1' } as Context;
const event = { headers: { authorization: 'Bearer eyJx.eyJy.sig' }, requestContext: {} } as unknown as Event;
const SDK_ERROR = Object.assign(
  new Error('connect ECONNREFUSED 127.0.0.1:8000 (arn:aws:dynamodb:local:000000000000:table/home-repair)'),
  { name: 'AccessDeniedException' },
);

async function run(fail: unknown) {
  const { result: reply, text: log } = await captureOutput(() =>
    httpHandler(lambdaObservability(), async () => {
      throw fail;
    })(event, context),
  );
  return { reply, log };
}

test('an unexpected error answers a bare 500 and logs only its name', async () => {
  const { reply, log } = await run(SDK_ERROR);

  expect(reply.statusCode).toBe(500);
  expect(reply.body).not.toMatch(/ECONNREFUSED|arn:aws|AccessDenied|at /);
  expect(JSON.parse(log)).toMatchObject({
    level: 'ERROR',
    message: 'request failed',
    errorName: 'AccessDeniedException',
  });
  expect(log).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|arn:aws|\.ts:\d+|eyJ/);
});

test("a typed error is the caller's answer, not a log line", async () => {
  const { reply, log } = await run(new NotFoundError('No such job'));

  expect(reply.statusCode).toBe(404);
  expect(log).toBe('');
});

test('an unsigned technician event is refused before any secret is looked up', async () => {
  let lookups = 0;
  const ports = {
    observability: lambdaObservability(),
    webhookSecrets: async () => {
      lookups++;
      return ['whsec_c2VjcmV0'];
    },
  } as unknown as AppPorts;
  const unsigned = {
    headers: { 'content-type': 'application/json' },
    body: '{"type":"job.accepted"}',
    requestContext: {},
  } as unknown as Event;

  const { result: reply } = await captureOutput(() => technicianWebhookHandler(ports)(unsigned, context));

  expect(reply.statusCode).toBe(401);
  expect(lookups).toBe(0);
});

describe('conditional GETs (the pages poll with If-None-Match)', () => {
  const get = (headers: Record<string, string> = {}, method = 'GET') =>
    ({ headers, requestContext: { http: { method } } }) as unknown as Event;
  const answer = (body: unknown) => httpHandler(lambdaObservability(), async () => ({ status: 200, body }));

  it('tags a 200 GET answer with an ETag', async () => {
    const reply = await answer({ items: [1] })(get(), context);

    expect(reply.statusCode).toBe(200);
    expect(reply.headers?.etag).toMatch(/^"[\w-]{27}"$/);
  });

  it('answers 304 with no body when the tag still matches', async () => {
    const first = await answer({ items: [1] })(get(), context);

    const again = await answer({ items: [1] })(
      get({ 'if-none-match': String(first.headers?.etag) }),
      context,
    );

    expect(again.statusCode).toBe(304);
    expect(again.body).toBeUndefined();
  });

  it('answers the new body when it changed', async () => {
    const first = await answer({ items: [1] })(get(), context);

    const changed = await answer({ items: [1, 2] })(
      get({ 'if-none-match': String(first.headers?.etag) }),
      context,
    );

    expect(changed.statusCode).toBe(200);
    expect(JSON.parse(String(changed.body))).toEqual({ items: [1, 2] });
  });

  it('leaves other methods untagged', async () => {
    const reply = await answer({ ok: true })(get({}, 'POST'), context);

    expect(reply.headers?.etag).toBeUndefined();
  });
});

test('a body of another media type is sent as it is, under that type, still uncacheable', async () => {
  const reply = (await httpHandler(lambdaObservability(), async () => ({
    status: 200,
    body: '\uFEFFa,b\r\n',
    contentType: 'text/csv; charset=utf-8',
    headers: { vary: 'accept' },
  }))(event, context)) as { body: string; headers: Record<string, string> };

  expect(reply.body).toBe('\uFEFFa,b\r\n');
  expect(reply.headers).toEqual({
    'content-type': 'text/csv; charset=utf-8',
    'cache-control': 'no-store',
    vary: 'accept',
  });
});
