import * as z from 'zod';
import { TECHNICIAN_COLUMNS } from '../domain/reports';
import {
  bookingSchema,
  callbackSchema,
  cancelSchema,
  monthlyReportQuerySchema,
  ratingSchema,
  webhookEventSchema,
} from '../domain/schemas';
import {
  CATEGORIES,
  CHANNELS,
  JOB_ALERT_TYPES,
  LOCALES,
  PRIORITIES,
  SEVERITIES,
  STATUSES,
} from '../domain/types';
import { type OperationId, ROUTES } from './routes';

// The OpenAPI 3.1 document, generated from the same zod schemas the handlers parse with.
// It lints clean with Redocly's recommended rules (test/unit/http/openapi-lint.test.ts), and
// each operationId is a method of the typed client (client/api-client.ts, checked by
// test/unit/client/operations.test.ts).

const json = (schema: z.ZodType) => ({
  'application/json': { schema: z.toJSONSchema(schema, { io: 'input' }) },
});
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const retryAfter = (what: string) => ({
  'Retry-After': { description: what, schema: { type: 'integer', minimum: 0 } },
});

const PROBLEM_WHEN: Record<number, string> = {
  400: 'Schema or validation error; `errors` names each field by its path',
  401: 'Missing or invalid credentials, or a bad webhook signature',
  403: 'Authenticated but not allowed (also: a token with no role of this service)',
  404: 'Not found, or not yours',
  409: "The job's status does not allow this; `detail` names it and what is allowed",
  413: 'Body larger than 256 KiB',
  415: 'The body is not JSON',
  422: 'An Idempotency-Key reused with a different body',
  429: 'Throttled: the per-resident booking quota (10 an hour)',
  503: 'Briefly unavailable, nothing written: retry after Retry-After',
};
const problem = (code: number) => ({
  description: `${PROBLEM_WHEN[code]} (RFC 9457 problem details)`,
  content: { 'application/problem+json': { schema: ref('Problem') } },
  ...(code === 429 && { headers: retryAfter('Seconds until the clock hour ends') }),
  ...(code === 503 && {
    headers: retryAfter('1 when the job is contended, 2 when the database does not answer'),
  }),
});
const errors = (...codes: number[]) => Object.fromEntries(codes.map((c) => [String(c), problem(c)]));
const ok = (description: string, schema: string) => ({
  description,
  content: { 'application/json': { schema: ref(schema) } },
});
const job = ok('The job', 'Job');
const jobId = {
  name: 'jobId',
  in: 'path',
  required: true,
  description: 'The job, as `jobId` in the booking reply',
  schema: { type: 'string' },
};
const bearer = [{ bearer: [] }];
const time = { type: 'string', format: 'date-time' };
const nullable = (schema: Record<string, unknown>) => ({ ...schema, type: [schema.type, 'null'] });

const JOB = {
  type: 'object',
  description:
    "A repair job as the caller may see it (a resident's view omits `laborWaived`, `satisfaction` and `alerts`)",
  required: [
    'jobId',
    'status',
    'priority',
    'unitId',
    'category',
    'description',
    'contactPhone',
    'locale',
    'residentId',
    'property',
    'channel',
    'appointment',
    'technician',
    'quote',
    'sla',
    'callbackAttempts',
    'rating',
    'createdAt',
    'updatedAt',
    'version',
  ],
  properties: {
    jobId: { type: 'string' },
    status: { type: 'string', enum: [...STATUSES] },
    priority: { type: 'string', enum: [...PRIORITIES] },
    unitId: { type: 'string' },
    category: { type: 'string', enum: [...CATEGORIES] },
    description: { type: 'string' },
    contactPhone: { type: 'string' },
    locale: { type: 'string', enum: [...LOCALES] },
    residentId: { type: 'string' },
    property: { type: 'string', description: 'The property: the part of `unitId` before its first dash' },
    channel: { type: 'string', enum: [...CHANNELS], description: '`phone` when an agent booked it (S18)' },
    appointment: nullable({
      type: 'object',
      required: ['start', 'end'],
      properties: { start: time, end: time },
    }),
    technician: nullable({
      type: 'object',
      required: ['id', 'name'],
      properties: { id: { type: 'string' }, name: { type: 'string' } },
    }),
    quote: nullable({
      type: 'object',
      required: ['labor', 'parts', 'currency', 'covered', 'fault'],
      properties: {
        labor: { type: 'number' },
        parts: { type: 'number' },
        currency: { type: 'string', const: 'CNY' },
        covered: { type: 'boolean' },
        fault: { type: 'string' },
      },
    }),
    laborWaived: { type: 'boolean', description: 'The S1 quick-fix waiver (staff only)' },
    sla: {
      type: 'object',
      required: ['arrivalDueAt', 'arrivedAt', 'arrivalMet', 'callbackDueAt', 'callbackMet'],
      properties: {
        arrivalDueAt: time,
        arrivedAt: nullable(time),
        arrivalMet: { type: ['boolean', 'null'] },
        callbackDueAt: nullable(time),
        callbackMet: { type: ['boolean', 'null'] },
      },
    },
    callbackAttempts: { type: 'integer', minimum: 0 },
    rating: nullable({
      type: 'object',
      description: "The resident's own score of the visit, given once from `signed` on",
      required: ['score', 'comment', 'at'],
      properties: {
        score: { type: 'integer', minimum: 1, maximum: 5 },
        comment: { type: ['string', 'null'] },
        at: time,
      },
    }),
    satisfaction: {
      type: ['integer', 'null'],
      minimum: 1,
      maximum: 5,
      description: 'What the resident said at the reached callback (staff only)',
    },
    alerts: {
      type: 'array',
      description: 'Alerts queued on the job for managers, and whether each went out (staff only)',
      items: {
        type: 'object',
        required: ['type', 'severity', 'sent'],
        properties: {
          type: { type: 'string', enum: JOB_ALERT_TYPES },
          severity: { type: 'string', enum: [...SEVERITIES] },
          sent: { type: 'boolean' },
        },
      },
    },
    createdAt: time,
    updatedAt: time,
    version: { type: 'integer' },
  },
};

/** The query's fields as JSON Schema, from the zod schema the handler parses with. */
const REPORT_QUERY = (
  z.toJSONSchema(monthlyReportQuerySchema, { io: 'input' }) as {
    properties: Record<'month' | 'property', Record<string, unknown>>;
  }
).properties;

const count = { type: 'integer', minimum: 0 };
const metMissed = {
  type: 'object',
  required: ['met', 'missed'],
  properties: { met: count, missed: count },
};
const average = {
  type: ['number', 'null'],
  minimum: 1,
  maximum: 5,
  description: 'The mean satisfaction (1–5) to two decimals; null when there is none',
};
const object = (properties: Record<string, unknown>, description?: string) => ({
  type: 'object',
  ...(description && { description }),
  required: Object.keys(properties),
  properties,
});

const MONTHLY_REPORT = object(
  {
    month: { ...REPORT_QUERY.month, examples: ['2026-12'] },
    property: { type: ['string', 'null'], description: 'The property asked for; null: the whole company' },
    timeZone: {
      type: 'string',
      description: 'The time zone the month is counted in (TIME_ZONE)',
      examples: ['Asia/Shanghai'],
    },
    jobs: object(
      { booked: count, closed: count, cancelled: count, declined: count, needsFollowUp: count },
      'Jobs booked in the month, and jobs that reached each ending in the month',
    ),
    byCategory: object(
      Object.fromEntries(CATEGORIES.map((c) => [c, count])),
      'Bookings of the month by category',
    ),
    arrival: object(
      { urgent: metMissed, regular: metMissed },
      'Arrival SLAs settled in the month, by priority',
    ),
    callbacks: { ...metMissed, description: 'One-week callbacks settled in the month (S15)' },
    satisfaction: object(
      { count, average },
      'The satisfaction recorded at the callback of the jobs closed in the month',
    ),
    technicians: {
      type: 'array',
      description: 'One row per technician with a figure in the month; most jobs first, then by technicianId',
      items: object({
        technicianId: { type: 'string' },
        name: { type: 'string' },
        jobs: { ...count, description: 'Jobs accepted in the month' },
        arrivalMet: count,
        arrivalMissed: count,
        satisfactionAverage: average,
        unableToFix: { ...count, description: 'Visits that ended needs_follow_up' },
        laborWaived: { ...count, description: 'S1 quick fixes (labour waived)' },
      }),
    },
  },
  'A month of figures, kept current from the jobs as they change (a change shows within seconds)',
);

const WEBHOOK_SIGNATURE = [
  'Standard Webhooks (https://www.standardwebhooks.com): every request carries three headers.',
  '`webhook-id`: the delivery id; a repeated id (kept 7 days) is answered 200 with the first outcome.',
  '`webhook-timestamp`: Unix seconds, within 5 minutes of the server’s wall clock.',
  '`webhook-signature`: `v1,<base64 HMAC-SHA256 over "{webhook-id}.{webhook-timestamp}.{raw body}">`,',
  'keyed by the base64-decoded part of the shared secret `whsec_<base64>`; several space-separated',
  'signatures are accepted (secret rotation). The signature is checked before the body is parsed.',
].join(' ');

export function openApiDocument() {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Home-repair workflow API',
      version: '1.0.0',
      description:
        'Residents book and follow repairs, technicians’ apps report each step through a signed webhook, ' +
        'agents record the one-week callback. The contract in prose: docs/api.md.',
      // package.json says UNLICENSED: private, no licence granted; SPDX has no id for that, so a LicenseRef.
      license: { name: 'UNLICENSED (private: no licence is granted)', identifier: 'LicenseRef-UNLICENSED' },
    },
    servers: [
      { url: 'http://127.0.0.1:3000', description: 'The local stack (`npm start`; PORT changes the port)' },
      {
        url: 'https://{apiId}.execute-api.{region}.amazonaws.com',
        description: "The deployed HTTP API (its $default stage): the stateless stack's ApiUrl output",
        variables: {
          apiId: { default: 'abcdef1234', description: 'The HTTP API id' },
          region: { default: 'us-east-1', description: 'The AWS region it is deployed in' },
        },
      },
    ],
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'A Cognito ID token (locally: POST /_local/tokens) with `sub` and `custom:role`',
        },
        webhookSignature: {
          type: 'apiKey',
          in: 'header',
          name: 'webhook-signature',
          description: WEBHOOK_SIGNATURE,
        },
      },
      schemas: {
        Problem: {
          type: 'object',
          description: 'RFC 9457 problem details',
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
                required: ['path', 'message'],
                properties: { path: { type: 'string' }, message: { type: 'string' } },
              },
            },
          },
        },
        Job: JOB,
        JobList: {
          type: 'object',
          required: ['items'],
          properties: {
            items: { type: 'array', items: ref('Job') },
            nextToken: { type: 'string', description: 'Continues this listing (GET /jobs?nextToken=)' },
          },
        },
        HistoryItem: {
          type: 'object',
          required: ['type', 'at', 'actor', 'data'],
          properties: {
            type: { type: 'string' },
            at: time,
            actor: { type: 'string', description: '`resident:<sub>`, `technician:<id>`, … or `system`' },
            data: { type: 'object', additionalProperties: true },
          },
        },
        JobHistory: {
          type: 'object',
          required: ['items'],
          properties: { items: { type: 'array', items: ref('HistoryItem') } },
        },
        MonthlyReport: MONTHLY_REPORT,
        WebhookAnswer: {
          type: 'object',
          required: ['jobId', 'status'],
          properties: { jobId: { type: 'string' }, status: { type: 'string', enum: [...STATUSES] } },
        },
      },
    },
    paths: pathsOf(OPERATION_DOCS),
  };
}

/** What each route is, for the document; the route table (routes.ts) gives its method and path. */
const OPERATION_DOCS: Record<OperationId, Record<string, unknown>> = {
  bookJob: {
    summary: 'Book a repair (a resident for themselves, or an agent by phone for `residentId`)',
    security: bearer,
    parameters: [
      {
        name: 'Idempotency-Key',
        in: 'header',
        description: 'The same key with the same body answers the first reply again (24 hours)',
        schema: { type: 'string', minLength: 1, maxLength: 255 },
      },
    ],
    requestBody: { required: true, content: json(bookingSchema) },
    responses: { '201': job, ...errors(400, 401, 403, 413, 415, 422, 429, 503) },
  },
  listJobs: {
    summary:
      'List jobs, newest first (residents see their own); `open=true`: the open jobs, oldest first (staff)',
    security: bearer,
    parameters: [
      { name: 'status', in: 'query', schema: { type: 'string', enum: [...STATUSES] } },
      { name: 'open', in: 'query', schema: { type: 'string', enum: ['true', 'false'] } },
      {
        name: 'limit',
        in: 'query',
        schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
      },
      { name: 'nextToken', in: 'query', schema: { type: 'string', maxLength: 2048 } },
    ],
    responses: { '200': ok('One page of jobs', 'JobList'), ...errors(400, 401, 403, 503) },
  },
  getJob: {
    summary: 'One job',
    security: bearer,
    parameters: [jobId],
    responses: { '200': job, ...errors(401, 403, 404, 503) },
  },
  getJobHistory: {
    summary: "The job's history, oldest first",
    security: bearer,
    parameters: [jobId],
    responses: { '200': ok('The history', 'JobHistory'), ...errors(401, 403, 404, 503) },
  },
  cancelJob: {
    summary: 'Cancel (owner before arrival, or manager)',
    security: bearer,
    parameters: [jobId],
    requestBody: { required: false, content: json(cancelSchema) },
    responses: { '200': job, ...errors(400, 401, 403, 404, 409, 413, 415, 503) },
  },
  recordCallback: {
    summary: 'Record the one-week callback (agent, manager)',
    security: bearer,
    parameters: [jobId],
    requestBody: { required: true, content: json(callbackSchema) },
    responses: { '200': job, ...errors(400, 401, 403, 404, 409, 413, 415, 503) },
  },
  rateJob: {
    summary: "The resident's rating of the visit (owner, once, from signed on)",
    security: bearer,
    parameters: [jobId],
    requestBody: { required: true, content: json(ratingSchema) },
    responses: { '200': job, ...errors(400, 401, 403, 404, 409, 413, 415, 503) },
  },
  getMonthlyReport: {
    summary: 'The monthly report (manager): jobs, arrivals, callbacks, satisfaction, technicians',
    description:
      'Each figure counts in the month, in the company time zone, of the event: a booking, an SLA settled, ' +
      'a job reaching an ending, a technician accepting. `Accept: text/csv` answers the technicians table as CSV.',
    security: bearer,
    parameters: [
      {
        name: 'month',
        in: 'query',
        required: true,
        schema: { ...REPORT_QUERY.month, examples: ['2026-12'] },
      },
      {
        name: 'property',
        in: 'query',
        description: 'One property (the part of a unitId before its dash); absent: the whole company',
        schema: REPORT_QUERY.property,
      },
    ],
    responses: {
      '200': {
        description: 'The report; with `Accept: text/csv`, its technicians table as CSV',
        headers: {
          'Content-Disposition': {
            description: 'With CSV only: `attachment; filename="technicians-<month>-<property or ALL>.csv"`',
            schema: { type: 'string' },
          },
        },
        content: {
          'application/json': { schema: ref('MonthlyReport') },
          'text/csv': {
            schema: {
              type: 'string',
              description: `UTF-8 with a BOM, CRLF lines; the columns: ${TECHNICIAN_COLUMNS.join(', ')}. A cell that starts with = + - @ gets a leading apostrophe.`,
            },
          },
        },
      },
      ...errors(400, 401, 403, 503),
    },
  },
  postTechnicianEvent: {
    summary: 'Technician app events, signed per Standard Webhooks',
    security: [{ webhookSignature: [] }],
    parameters: [
      { name: 'webhook-id', description: 'The delivery id (Standard Webhooks)' },
      { name: 'webhook-timestamp', description: 'Unix seconds (Standard Webhooks)' },
    ].map((p) => ({ ...p, in: 'header', required: true, schema: { type: 'string' } })),
    requestBody: { required: true, content: json(webhookEventSchema) },
    responses: {
      '200': ok('A redelivery (same webhook-id): the first outcome again', 'WebhookAnswer'),
      '202': ok('Accepted: the job and its new status', 'WebhookAnswer'),
      ...errors(400, 401, 403, 404, 409, 413, 415, 503),
    },
  },
  getOpenApi: {
    summary: 'This document (no token; cacheable for 5 minutes)',
    security: [],
    responses: {
      '200': {
        description: 'The OpenAPI 3.1 document',
        content: { 'application/json': { schema: { type: 'object' } } },
      },
      '429': {
        description: "Throttled by the API's stage limit (API Gateway's own body, not problem details)",
      },
    },
  },
};

function pathsOf(docs: Record<OperationId, Record<string, unknown>>) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of ROUTES) {
    const path = paths[r.path] ?? {};
    path[r.method.toLowerCase()] = { operationId: r.operationId, ...docs[r.operationId] };
    paths[r.path] = path;
  }
  return paths;
}
