import type { AppPorts } from '../adapters/ports';
import { fileComplaint } from '../domain/complaint-cases';
import { complaintSchema } from '../domain/schemas';
import { callerOf } from '../http/auth';
import { httpHandler } from '../http/handler';
import { idempotencyKeyOf, jsonBody } from '../http/request';

export const fileComplaintHandler = (p: AppPorts) =>
  httpHandler(p.observability, async (event) => {
    const caller = callerOf(event);
    const key = idempotencyKeyOf(event);
    const body = jsonBody(event, complaintSchema);
    return { status: 201, body: await fileComplaint(p, caller, body, key) };
  });
