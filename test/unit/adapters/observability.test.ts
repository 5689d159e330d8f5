import type { Context } from 'aws-lambda';
import {
  lambdaObservability,
  maskPhone,
  redact,
  scrub,
  taskHandler,
  withoutInternals,
} from '../../../functions/adapters/observability';
import { UnavailableError } from '../../../functions/domain/errors';
import { captureOutput } from '../support/capture';
import { makeJob } from '../support/fixtures';

// What reaches a log line: Powertools serializes every line through `redact`, so these
// tests read the JSON the logger actually writes to stdout.

const JWT =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJyLTEiLCJwaG9uZV9udW1iZXIiOiIrODYxMzgwMDEzODAwMCJ9.c2lnbmF0dXJlLWJ5dGVz';
const SDK_ERROR = Object.assign(
  new Error('User: arn:aws:iam::123456789012:role/x is not authorized to perform: dynamodb:GetItem'),
  { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } },
);
const context = {
  functionName: 'workflow-step',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:local:000000000000:function:workflow-step',
  memoryLimitInMB: '512',
  awsRequestId: 'req-1',
  logGroupName: '/aws/lambda/workflow-step',
  logStreamName: 'local',
  callbackWaitsForEmptyEventLoop: false,
  getRemainingTimeInMillis: () => 10_000,
} as Context;

const obs = lambdaObservability();
const { logger } = obs;

/** The JSON lines the logger writes (warnings and errors go to stderr) while `act` runs. */
async function logged(act: () => unknown): Promise<Array<Record<string, unknown>>> {
  const { text } = await captureOutput(act);
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

describe('maskPhone', () => {
  it.each([
    ['+8613800138000', '+86*******8000'],
    ['13800138000', '13*****8000'],
    ['+12025550123', '+12*****0123'],
  ])('masks %s as %s', (phone, masked) => {
    expect(maskPhone(phone)).toBe(masked);
  });
});

describe('scrub', () => {
  it('masks phone numbers, with or without +86, inside any text', () => {
    expect(scrub('{"contactPhone":"+8613800138000","note":"or 13912345678"}')).toBe(
      '{"contactPhone":"+86*******8000","note":"or 13*****5678"}',
    );
  });

  it('leaves ids, timestamps and epoch seconds alone', () => {
    const text = 'job 6a483969-58db-47f8-9f2b-4171614174b9 at 2026-11-23T08:00:00.000Z ts 1795470115';
    expect(scrub(text)).toBe(text);
  });

  it('removes JWTs, bearer credentials, webhook secrets and signatures', () => {
    const text = `Bearer abc.def ${JWT} whsec_dGVzdC1zZWNyZXQ= v1,BHDKG9wHEzAHfFL8a4hPppouckIhJNlodEW9LHEWTGo=`;
    expect(scrub(text)).toBe('Bearer [redacted] [redacted jwt] whsec_[redacted] v1,[redacted]');
  });

  it('drops the frames of a stack trace', () => {
    expect(scrub(String(new Error('boom').stack))).toBe('Error: boom');
  });
});

describe('redact', () => {
  it.each(['authorization', 'Authorization', 'webhook-signature', 'taskToken', 'TECH_WEBHOOK_SECRET'])(
    'replaces the value of %s whatever it is',
    (key) => {
      expect(redact(key, 'anything at all')).toBe('[redacted]');
    },
  );

  it('reduces an error to its name', () => {
    expect(redact('error', SDK_ERROR)).toEqual({ name: 'AccessDeniedException' });
  });
});

describe('the logger', () => {
  it('writes an API event with its credentials redacted and the phone masked', async () => {
    const event = {
      headers: { authorization: `Bearer ${JWT}`, 'webhook-signature': 'v1,abc' },
      body: JSON.stringify({ contactPhone: '+8613800138000' }),
      requestContext: { authorizer: { jwt: { claims: { phone_number: '+8613800138000' } } } },
    };

    const [line] = await logged(() => logger.info('Lambda invocation event', { event, job: makeJob() }));

    const text = JSON.stringify(line);
    expect(line).toMatchObject({
      event: { headers: { authorization: '[redacted]', 'webhook-signature': '[redacted]' } },
      job: { contactPhone: '+86*******8000' },
    });
    expect(text).not.toMatch(/eyJ|8613800138000/);
    expect(text).toContain('+86*******8000');
  });

  it('writes an error as its name only: no message, no location, no stack', async () => {
    const [line] = await logged(() => logger.error('failed', SDK_ERROR));

    expect(line?.error).toEqual({ name: 'AccessDeniedException' });
    expect(JSON.stringify(line)).not.toMatch(/not authorized|arn:aws|\.ts:\d+/);
  });
});

describe('taskHandler', () => {
  it('rethrows an unexpected error under its own name, without its message or stack, and logs the name', async () => {
    const handler = taskHandler(obs, async () => {
      throw SDK_ERROR;
    });
    let thrown: unknown;

    const lines = await logged(() => handler({}, context).catch((e: unknown) => (thrown = e)));

    expect(thrown).toBeInstanceOf(Error);
    expect((thrown as Error).name).toBe('AccessDeniedException');
    expect((thrown as Error).message).not.toMatch(/not authorized|arn:aws/);
    expect((thrown as Error).stack).not.toMatch(/\n\s*at /);
    expect(lines).toEqual([
      expect.objectContaining({ level: 'ERROR', message: 'task failed', errorName: 'AccessDeniedException' }),
    ]);
  });

  it("keeps a typed error's own message and name (the ASL retries on it), as a warning", async () => {
    const handler = taskHandler(obs, async () => {
      throw new UnavailableError('The job store is briefly unavailable; nothing was changed', 2);
    });
    let thrown: unknown;

    const lines = await logged(() => handler({}, context).catch((e: unknown) => (thrown = e)));

    expect(thrown).toMatchObject({
      name: 'UnavailableError',
      message: 'The job store is briefly unavailable; nothing was changed',
    });
    expect(lines.map((l) => [l.level, l.errorName])).toEqual([['WARN', 'UnavailableError']]);
  });

  it('passes a result through untouched', async () => {
    await expect(taskHandler(obs, async (n: number) => n + 1)(1, context)).resolves.toBe(2);
  });
});

test('withoutInternals names a thrown non-error Error', () => {
  expect(withoutInternals('boom')).toMatchObject({ name: 'Error', stack: expect.not.stringMatching(/at /) });
});
