import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ValidationError } from '../../../functions/domain/errors';
import { bookingSchema, cancelSchema } from '../../../functions/domain/schemas';
import { PayloadTooLargeError, UnsupportedMediaTypeError } from '../../../functions/http/errors';
import { PROBLEMS } from '../../../functions/http/problem';
import {
  header,
  jsonBody,
  MAX_BODY_BYTES,
  parseJson,
  pathParam,
  preferredType,
  rawBody,
} from '../../../functions/http/request';
import { thrownBy } from '../support/fixtures';

const eventWith = (overrides: Partial<APIGatewayProxyEventV2> = {}): APIGatewayProxyEventV2 =>
  ({
    version: '2.0',
    routeKey: 'POST /jobs',
    rawPath: '/jobs',
    rawQueryString: '',
    headers: { 'content-type': 'application/json' },
    isBase64Encoded: false,
    requestContext: {} as APIGatewayProxyEventV2['requestContext'],
    ...overrides,
  }) as APIGatewayProxyEventV2;

const booking = {
  unitId: 'B2-1203',
  category: 'plumbing',
  description: 'Kitchen tap leaking',
  priority: 'urgent',
  contactPhone: '+8613800138000',
};

const validationErrors = (fn: () => unknown) => {
  const error = thrownBy(fn);
  expect(error).toBeInstanceOf(ValidationError);
  return (error as ValidationError).errors;
};

describe('rawBody', () => {
  it('returns the body exactly as sent', () => {
    const raw = '{ "a" : 1 }\n';

    expect(rawBody(eventWith({ body: raw }))).toBe(raw);
  });

  it('decodes a base64-encoded body', () => {
    const raw = '{"description":"水龙头漏水"}';

    expect(rawBody(eventWith({ body: Buffer.from(raw).toString('base64'), isBase64Encoded: true }))).toBe(
      raw,
    );
  });

  it.each([
    'application/json',
    'application/json; charset=utf-8',
    'Application/JSON',
    'application/problem+json',
  ])('accepts the content type %j', (type) => {
    expect(rawBody(eventWith({ body: '{}', headers: { 'content-type': type } }))).toBe('{}');
  });

  it.each(['text/plain', 'application/x-www-form-urlencoded', 'application/jsonp', 'multipart/form-data'])(
    'answers the content type %j with 415',
    (type) => {
      const error = thrownBy(() => rawBody(eventWith({ body: '{}', headers: { 'content-type': type } })));

      expect(error).toBeInstanceOf(UnsupportedMediaTypeError);
      expect(PROBLEMS[(error as UnsupportedMediaTypeError).code].status).toBe(415);
    },
  );

  it('answers a body without a content type with 415', () => {
    expect(thrownBy(() => rawBody(eventWith({ body: '{}', headers: {} })))).toBeInstanceOf(
      UnsupportedMediaTypeError,
    );
  });

  it('accepts a body of exactly 256 KiB', () => {
    const raw = `"${'x'.repeat(MAX_BODY_BYTES - 2)}"`;

    expect(rawBody(eventWith({ body: raw }))).toHaveLength(MAX_BODY_BYTES);
  });

  it('answers a body over 256 KiB with 413', () => {
    const error = thrownBy(() => rawBody(eventWith({ body: `"${'x'.repeat(MAX_BODY_BYTES - 1)}"` })));

    expect(error).toBeInstanceOf(PayloadTooLargeError);
    expect(PROBLEMS[(error as PayloadTooLargeError).code].status).toBe(413);
  });

  it('counts bytes, not characters, against the 256 KiB limit', () => {
    const chinese = '漏'.repeat(Math.ceil(MAX_BODY_BYTES / 3) + 1);

    expect(thrownBy(() => rawBody(eventWith({ body: chinese })))).toBeInstanceOf(PayloadTooLargeError);
  });

  it('checks the size of a base64 body after decoding', () => {
    const body = Buffer.from('x'.repeat(MAX_BODY_BYTES + 1)).toString('base64');

    expect(thrownBy(() => rawBody(eventWith({ body, isBase64Encoded: true })))).toBeInstanceOf(
      PayloadTooLargeError,
    );
  });

  it('answers a missing required body with 400 on (body)', () => {
    expect(validationErrors(() => rawBody(eventWith({ body: undefined })))).toEqual([
      { path: '(body)', message: 'required' },
    ]);
  });

  it('lets an optional body be absent, whatever the content type', () => {
    expect(rawBody(eventWith({ body: undefined, headers: {} }), false)).toBeUndefined();
  });
});

describe('parseJson', () => {
  it('parses JSON', () => {
    expect(parseJson('{"a":[1]}')).toEqual({ a: [1] });
  });

  it.each(['{', '{"a":1,}', "{'a':1}", 'undefined'])(
    'answers the malformed JSON %j with 400 on (body)',
    (raw) => {
      const error = thrownBy(() => parseJson(raw));

      expect(error).toBeInstanceOf(ValidationError);
      expect((error as Error).message).toBe('The body is not valid JSON');
      expect((error as ValidationError).errors).toEqual([{ path: '(body)', message: 'malformed JSON' }]);
    },
  );
});

describe('jsonBody', () => {
  it('parses and validates the body with the schema', () => {
    const body = jsonBody(eventWith({ body: JSON.stringify(booking) }), bookingSchema);

    expect(body).toEqual({ ...booking, locale: 'zh-CN' });
  });

  it('answers malformed JSON with 400 on (body)', () => {
    expect(validationErrors(() => jsonBody(eventWith({ body: '{"unitId":' }), bookingSchema))).toEqual([
      { path: '(body)', message: 'malformed JSON' },
    ]);
  });

  it('names the field that fails the schema', () => {
    const errors = validationErrors(() =>
      jsonBody(eventWith({ body: JSON.stringify({ ...booking, contactPhone: '123' }) }), bookingSchema),
    );

    expect(errors).toEqual([
      { path: 'contactPhone', message: 'must be an E.164 phone number, e.g. +8613800138000' },
    ]);
  });

  it('names a nested field with a dotted path', () => {
    const appointment = { start: 'soon', end: '2026-11-24T04:00:00.000Z' };
    const body = JSON.stringify({ ...booking, priority: 'regular', appointment });

    expect(validationErrors(() => jsonBody(eventWith({ body }), bookingSchema)).map((e) => e.path)).toEqual([
      'appointment.start',
    ]);
  });

  it('rejects each unknown field, naming it in its path (mass assignment)', () => {
    const errors = validationErrors(() =>
      jsonBody(
        eventWith({ body: JSON.stringify({ ...booking, status: 'closed', sla: { arrivalMet: true } }) }),
        bookingSchema,
      ),
    );

    expect(errors).toEqual([
      { path: 'status', message: 'unknown field' },
      { path: 'sla', message: 'unknown field' },
    ]);
  });

  it('names an unknown nested field by its dotted path', () => {
    const appointment = { start: '2026-11-24T02:00:00.000Z', end: '2026-11-24T03:00:00.000Z', by: 't-1' };
    const body = JSON.stringify({ ...booking, priority: 'regular', appointment });

    expect(validationErrors(() => jsonBody(eventWith({ body }), bookingSchema))).toContainEqual({
      path: 'appointment.by',
      message: 'unknown field',
    });
  });

  it('rejects a body that is not an object on (body)', () => {
    expect(validationErrors(() => jsonBody(eventWith({ body: '[1,2]' }), bookingSchema))[0]?.path).toBe(
      '(body)',
    );
  });

  it('validates an absent optional body as an empty object', () => {
    expect(jsonBody(eventWith({ body: undefined }), cancelSchema, false)).toEqual({});
  });

  it('says which part of the request is not valid', () => {
    const error = thrownBy(() => jsonBody(eventWith({ body: '{}' }), bookingSchema));

    expect((error as Error).message).toBe('The request body is not valid');
  });
});

describe('header', () => {
  it('reads a header by its lower-case name when asked in any case', () => {
    expect(header(eventWith({ headers: { 'idempotency-key': 'k-1' } }), 'Idempotency-Key')).toBe('k-1');
  });

  it('is undefined for a missing header', () => {
    expect(header(eventWith({ headers: {} }), 'Idempotency-Key')).toBeUndefined();
  });
});

describe('pathParam', () => {
  it('returns the path parameter', () => {
    expect(pathParam(eventWith({ pathParameters: { jobId: 'job-1' } }), 'jobId')).toBe('job-1');
  });

  it('answers a missing path parameter with 400 naming it', () => {
    expect(validationErrors(() => pathParam(eventWith({}), 'jobId'))).toEqual([
      { path: 'jobId', message: 'invalid' },
    ]);
  });

  it('answers a path parameter over 64 characters with 400', () => {
    expect(() => pathParam(eventWith({ pathParameters: { jobId: 'x'.repeat(65) } }), 'jobId')).toThrow(
      ValidationError,
    );
  });
});

describe('preferredType', () => {
  const OFFERED = ['application/json', 'text/csv'] as const;

  it.each([
    [undefined, 'application/json'],
    ['*/*', 'application/json'],
    ['application/json', 'application/json'],
    ['text/csv', 'text/csv'],
    ['text/csv; charset=utf-8', 'text/csv'],
    ['TEXT/CSV', 'text/csv'],
    ['text/*', 'text/csv'],
    ['text/csv, */*;q=0.8', 'text/csv'],
    ['application/json;q=0.5, text/csv', 'text/csv'],
    ['application/json, text/csv', 'application/json'],
    ['text/csv;q=0, */*', 'application/json'],
    ['image/png', 'application/json'],
  ])('answers Accept %j with %s', (accept, type) => {
    expect(preferredType(accept, OFFERED)).toBe(type);
  });
});
