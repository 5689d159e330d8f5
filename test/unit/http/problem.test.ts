import {
  ConflictError,
  ForbiddenError,
  IdempotencyMismatchError,
  NotFoundError,
  RateLimitedError,
  UnavailableError,
  ValidationError,
} from '../../../functions/domain/errors';
import {
  PayloadTooLargeError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
} from '../../../functions/http/errors';
import { problem } from '../../../functions/http/problem';

const bodyOf = (response: ReturnType<typeof problem>) => JSON.parse(String(response.body));

describe('problem', () => {
  it.each([
    [new ValidationError('bad'), 400, 'Invalid request'],
    [new RateLimitedError('slow down', 30), 429, 'Too many requests'],
    [new UnavailableError('later'), 503, 'Service unavailable'],
    [new UnauthorizedError('who?'), 401, 'Unauthorized'],
    [new ForbiddenError('no'), 403, 'Forbidden'],
    [new NotFoundError('none'), 404, 'Not found'],
    [new ConflictError('Job job-1 is booked'), 409, 'Conflict'],
    [new PayloadTooLargeError('big'), 413, 'Payload too large'],
    [new UnsupportedMediaTypeError('type'), 415, 'Unsupported media type'],
    [new IdempotencyMismatchError('key'), 422, 'Idempotency-Key reused with a different body'],
  ])('maps %p to status %i with an RFC 9457 body', (error, status, title) => {
    const response = problem(error);

    expect(response.statusCode).toBe(status);
    expect(bodyOf(response)).toEqual({ type: 'about:blank', title, status, detail: error.message });
  });

  it('answers with application/problem+json and no caching', () => {
    expect(problem(new NotFoundError('x')).headers).toEqual({
      'content-type': 'application/problem+json',
      'cache-control': 'no-store',
    });
  });

  it('lists the field errors of a validation error', () => {
    const error = new ValidationError('The request body is not valid', [
      { path: 'appointment.start', message: 'must be in the future' },
    ]);

    expect(bodyOf(problem(error)).errors).toEqual([
      { path: 'appointment.start', message: 'must be in the future' },
    ]);
  });

  it('leaves errors out when a validation error has none', () => {
    expect(bodyOf(problem(new ValidationError('bad')))).not.toHaveProperty('errors');
  });

  it('says when to try again for an error that knows', () => {
    const error = new RateLimitedError('x', 0.2);

    expect(problem(error).headers).toMatchObject({
      'retry-after': '1',
      'content-type': 'application/problem+json',
    });
  });

  it('answers anything untyped with a 500 that says nothing about internals', () => {
    const error = new Error('ConditionalCheckFailedException: arn:aws:dynamodb:... at Object.<anonymous>');
    error.stack = 'Error: secret stack';

    const response = problem(error);

    expect(response.statusCode).toBe(500);
    expect(bodyOf(response)).toEqual({
      type: 'about:blank',
      title: 'Internal error',
      status: 500,
      detail: 'Something went wrong on our side. Please try again.',
    });
    expect(response.body).not.toMatch(/dynamodb|stack|Conditional/i);
  });

  it('answers a thrown non-error with a 500 too', () => {
    expect(problem('boom').statusCode).toBe(500);
  });
});
