import { AppError } from '../domain/errors';

// What only the HTTP edge can get wrong: credentials, body size, content type.

export class UnauthorizedError extends AppError {
  readonly code = 'unauthenticated';
}

export class PayloadTooLargeError extends AppError {
  readonly code = 'too_large';
}

export class UnsupportedMediaTypeError extends AppError {
  readonly code = 'unsupported_media_type';
}
