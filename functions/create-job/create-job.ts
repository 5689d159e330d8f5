import type { AppPorts } from '../adapters/ports';
import { bookingSchema } from '../domain/schemas';
import { book } from '../domain/use-cases';
import { callerOf } from '../http/auth';
import { httpHandler } from '../http/handler';
import { idempotencyKeyOf, jsonBody } from '../http/request';

export const createJobHandler = (p: AppPorts) =>
  httpHandler(p.observability, async (event) => {
    const caller = callerOf(event);
    const key = idempotencyKeyOf(event);
    const body = jsonBody(event, bookingSchema);
    return { status: 201, body: await book(p, caller, body, key) };
  });
