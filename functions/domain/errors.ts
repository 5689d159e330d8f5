// Typed errors with a stable `code`: thrown anywhere, mapped to HTTP once, at the edge
// (functions/http/problem.ts). The domain never names a status.

export interface FieldError {
  path: string;
  message: string;
}

export const ERROR_CODES = [
  'invalid',
  'unauthenticated',
  'forbidden',
  'not_found',
  'conflict',
  'too_large',
  'unsupported_media_type',
  'idempotency_mismatch',
  'rate_limited',
  'unavailable',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export abstract class AppError extends Error {
  abstract readonly code: ErrorCode;
  /** When the caller may try again (rate_limited, unavailable). */
  readonly retryAfterSeconds?: number;
}

export class ValidationError extends AppError {
  readonly code = 'invalid';
  constructor(
    detail: string,
    readonly errors: FieldError[] = [],
  ) {
    super(detail);
  }
}

export class ForbiddenError extends AppError {
  readonly code = 'forbidden';
}

export class NotFoundError extends AppError {
  readonly code = 'not_found';
}

/** The job is not in a state that allows this. */
export class ConflictError extends AppError {
  readonly code = 'conflict';
}

export class IdempotencyMismatchError extends AppError {
  readonly code = 'idempotency_mismatch';
}

/** Too many writes from one caller in a window; `retryAfterSeconds` says when it reopens. */
export class RateLimitedError extends AppError {
  readonly code = 'rate_limited';
  override readonly retryAfterSeconds: number;
  constructor(detail: string, retryAfterSeconds: number) {
    super(detail);
    this.retryAfterSeconds = Math.max(1, Math.ceil(retryAfterSeconds));
  }
}

/**
 * Something we depend on is briefly unavailable (the database, or contention that outlasted
 * our retries): nothing was written, and the caller may simply try again.
 */
export class UnavailableError extends AppError {
  // The name is the Lambda errorType the state machine's Retry matches on.
  override readonly name = 'UnavailableError';
  readonly code = 'unavailable';
  override readonly retryAfterSeconds: number;
  constructor(detail: string, retryAfterSeconds = 1) {
    super(detail);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** Another writer changed the job between our read and our write; callers re-read and retry. */
export class StaleWriteError extends Error {
  constructor() {
    super('The job changed while this request was being processed');
  }
}
