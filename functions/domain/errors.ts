// Typed errors: thrown anywhere, mapped once to problem+json by functions/http/problem.ts.

export interface FieldError {
  path: string;
  message: string;
}

export abstract class AppError extends Error {
  abstract readonly status: number;
  abstract readonly title: string;
  readonly headers: Record<string, string> = {};
}

export class ValidationError extends AppError {
  readonly status = 400;
  readonly title = 'Invalid request';
  constructor(
    detail: string,
    readonly errors: FieldError[] = [],
  ) {
    super(detail);
  }
}

export class UnauthorizedError extends AppError {
  readonly status = 401;
  readonly title = 'Unauthorized';
}

export class ForbiddenError extends AppError {
  readonly status = 403;
  readonly title = 'Forbidden';
}

export class NotFoundError extends AppError {
  readonly status = 404;
  readonly title = 'Not found';
}

export class ConflictError extends AppError {
  readonly status = 409;
  readonly title = 'Conflict';
}

export class PayloadTooLargeError extends AppError {
  readonly status = 413;
  readonly title = 'Payload too large';
}

export class UnsupportedMediaTypeError extends AppError {
  readonly status = 415;
  readonly title = 'Unsupported media type';
}

export class IdempotencyMismatchError extends AppError {
  readonly status = 422;
  readonly title = 'Idempotency-Key reused with a different body';
}

/** Too many requests from one caller; Retry-After says when the window reopens. */
export class TooManyRequestsError extends AppError {
  readonly status = 429;
  readonly title = 'Too many requests';
  constructor(detail: string, retryAfterSeconds: number) {
    super(detail);
    this.headers['retry-after'] = String(Math.max(1, Math.ceil(retryAfterSeconds)));
  }
}

/**
 * Something we depend on is briefly unavailable (the database, or contention that outlasted
 * our retries): nothing was written, and the client may simply try again after Retry-After.
 */
export class UnavailableError extends AppError {
  // The name is the Lambda errorType the state machine's Retry matches on.
  override readonly name = 'UnavailableError';
  readonly status = 503;
  readonly title = 'Service unavailable';
  constructor(detail: string, retryAfterSeconds = 1) {
    super(detail);
    this.headers['retry-after'] = String(retryAfterSeconds);
  }
}

/** Another writer changed the job between our read and our write; callers re-read and retry. */
export class StaleWriteError extends Error {
  constructor() {
    super('The job changed while this request was being processed');
  }
}
