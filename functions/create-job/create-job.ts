import type { AppPorts } from '../adapters/ports';
import { ValidationError } from '../domain/errors';
import { bookingSchema } from '../domain/schemas';
import { book } from '../domain/use-cases';
import { callerOf } from '../http/auth';
import { httpHandler } from '../http/handler';
import { header, jsonBody } from '../http/request';

export const createJobHandler = (p: AppPorts) =>
  httpHandler(p.observability, async (event) => {
    const caller = callerOf(event);
    const key = header(event, 'idempotency-key');
    if (key !== undefined && (key.length === 0 || key.length > 255))
      throw new ValidationError('Idempotency-Key must be 1-255 characters', [
        { path: 'Idempotency-Key', message: 'must be 1-255 characters' },
      ]);
    const body = jsonBody(event, bookingSchema);
    return { status: 201, body: await book(p, caller, body, key) };
  });
