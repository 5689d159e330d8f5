import * as z from 'zod';
import { bookingSchema, callbackSchema, cancelSchema, webhookEventSchema } from '../domain/schemas';
import { PRIORITIES, STATUSES } from '../domain/types';

// The OpenAPI 3.1 document, generated from the same zod schemas the handlers parse with.

const json = (schema: z.ZodType) => ({
  'application/json': { schema: z.toJSONSchema(schema, { io: 'input' }) },
});
const problem = {
  description: 'Problem details (RFC 9457)',
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
};
const errors = (...codes: number[]) => Object.fromEntries(codes.map((c) => [String(c), problem]));
const job = {
  description: 'The job',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Job' } } },
};
const jobId = { name: 'jobId', in: 'path', required: true, schema: { type: 'string' } };
const bearer = [{ bearer: [] }];

export function openApiDocument() {
  return {
    openapi: '3.1.0',
    info: { title: 'Home-repair workflow API', version: '1.0.0' },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: {
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status', 'detail'],
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            errors: {
              type: 'array',
              items: {
                type: 'object',
                properties: { path: { type: 'string' }, message: { type: 'string' } },
              },
            },
          },
        },
        Job: {
          type: 'object',
          properties: {
            jobId: { type: 'string' },
            status: { type: 'string', enum: [...STATUSES] },
            priority: { type: 'string', enum: [...PRIORITIES] },
            sla: { type: 'object' },
          },
          additionalProperties: true,
        },
      },
    },
    paths: {
      '/jobs': {
        post: {
          summary: 'Book a repair (resident)',
          security: bearer,
          parameters: [{ name: 'Idempotency-Key', in: 'header', schema: { type: 'string', maxLength: 255 } }],
          requestBody: { required: true, content: json(bookingSchema) },
          responses: { '201': job, ...errors(400, 401, 403, 413, 415, 422, 429) },
        },
        get: {
          summary: 'List jobs (residents see their own)',
          security: bearer,
          parameters: [
            { name: 'status', in: 'query', schema: { type: 'string', enum: [...STATUSES] } },
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100 } },
            { name: 'nextToken', in: 'query', schema: { type: 'string' } },
          ],
          responses: { '200': { description: '{ items, nextToken? }' }, ...errors(400, 401, 403) },
        },
      },
      '/jobs/{jobId}': {
        get: {
          summary: 'One job',
          security: bearer,
          parameters: [jobId],
          responses: { '200': job, ...errors(401, 403, 404) },
        },
      },
      '/jobs/{jobId}/history': {
        get: {
          summary: "The job's history, oldest first",
          security: bearer,
          parameters: [jobId],
          responses: {
            '200': { description: '{ items: [{ type, at, actor, data }] }' },
            ...errors(401, 403, 404),
          },
        },
      },
      '/jobs/{jobId}/cancel': {
        post: {
          summary: 'Cancel (owner before arrival, or manager)',
          security: bearer,
          parameters: [jobId],
          requestBody: { required: false, content: json(cancelSchema) },
          responses: { '200': job, ...errors(400, 401, 403, 404, 409, 415) },
        },
      },
      '/jobs/{jobId}/callback': {
        post: {
          summary: 'Record the one-week callback (agent, manager)',
          security: bearer,
          parameters: [jobId],
          requestBody: { required: true, content: json(callbackSchema) },
          responses: { '200': job, ...errors(400, 401, 403, 404, 409, 415) },
        },
      },
      '/webhooks/technician': {
        post: {
          summary: 'Technician app events, signed per Standard Webhooks',
          parameters: ['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((name) => ({
            name,
            in: 'header',
            required: true,
            schema: { type: 'string' },
          })),
          requestBody: { required: true, content: json(webhookEventSchema) },
          responses: {
            '200': { description: 'A redelivery: the first outcome again' },
            '202': { description: '{ jobId, status }' },
            ...errors(400, 401, 403, 404, 409, 413, 415),
          },
        },
      },
    },
  };
}
