import * as z from 'zod';
import { MAX_PHOTO_RECORDS, PHOTO_LIMITS } from '../domain/photos';
import { TECHNICIAN_COLUMNS } from '../domain/reports';
import {
  assignSchema,
  bookingSchema,
  callbackSchema,
  cancelSchema,
  complaintCallbackSchema,
  complaintListQuerySchema,
  complaintSchema,
  deliveryListQuerySchema,
  followUpSchema,
  investigationSchema,
  listQuerySchema,
  monthlyReportQuerySchema,
  photoRequestSchema,
  propertySchema,
  ratingSchema,
  rescheduleSchema,
  technicianListQuerySchema,
  technicianSchema,
  technicianUploadSchema,
  webhookEndpointSchema,
  webhookEventSchema,
} from '../domain/schemas';
import {
  ALERT_SEVERITY,
  type AlertType,
  CATEGORIES,
  CHANNELS,
  COMPLAINT_CATEGORIES,
  COMPLAINT_SOURCES,
  COMPLAINT_STATUSES,
  JOB_ALERT_TYPES,
  LOCALES,
  PRIORITIES,
  SEVERITIES,
  STATUSES,
} from '../domain/types';
import { DELIVERY_STATUSES, ENDPOINT_STATUSES } from '../domain/webhooks';
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
/** A problem answer; `when` replaces the usual reason where an operation has its own. */
const problem = (code: number, when = PROBLEM_WHEN[code]) => ({
  description: `${when} (RFC 9457 problem details)`,
  content: { 'application/problem+json': { schema: ref('Problem') } },
  ...(code === 429 && { headers: retryAfter('Seconds until the clock hour ends') }),
  ...(code === 503 && {
    headers: retryAfter('1 when the job is contended, 2 when the database does not answer'),
  }),
});
const errors = (...codes: number[]) => Object.fromEntries(codes.map((c) => [String(c), problem(c)]));
/** The 409 of an operation, saying which state refuses it. */
const conflict = (when: string) => ({ '409': problem(409, `${when}; \`detail\` says why`) });
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
const complaintId = {
  name: 'complaintId',
  in: 'path',
  required: true,
  description: 'The complaint, as `complaintId` in the answer to POST /complaints',
  schema: { type: 'string' },
};
const complaint = ok('The complaint', 'Complaint');
const propertyIdParam = {
  name: 'propertyId',
  in: 'path',
  required: true,
  description: 'The property: the part of a unitId before its dash ("B2" of "B2-1203")',
  schema: { type: 'string', pattern: '^[A-Za-z0-9]{1,32}$' },
};
const technicianIdParam = {
  name: 'technicianId',
  in: 'path',
  required: true,
  description: "The technician, as `technicianId` in the technicians' app and its webhooks",
  schema: { type: 'string', minLength: 1, maxLength: 64 },
};
const endpointIdParam = {
  name: 'endpointId',
  in: 'path',
  required: true,
  description: 'The webhook endpoint (`ep_…`)',
  schema: { type: 'string', pattern: '^ep_[A-Za-z0-9_-]{16}$' },
};
const deliveryIdParam = {
  name: 'deliveryId',
  in: 'path',
  required: true,
  description: 'One delivery of the endpoint, as its deliveries list it',
  schema: { type: 'string', maxLength: 64 },
};
const idempotencyKey = {
  name: 'Idempotency-Key',
  in: 'header',
  description: 'The same key with the same body answers the first reply again (24 hours)',
  schema: { type: 'string', minLength: 1, maxLength: 255 },
};
/** A list query's fields as query parameters, from the zod schema the handler parses with. */
const queryParameters = (schema: z.ZodType, descriptions: Record<string, string> = {}) =>
  Object.entries(
    (z.toJSONSchema(schema, { io: 'input' }) as { properties: Record<string, unknown> }).properties,
  ).map(([name, s]) => ({
    name,
    in: 'query',
    ...(descriptions[name] && { description: descriptions[name] }),
    schema: s,
  }));
const bearer = [{ bearer: [] }];
const time = { type: 'string', format: 'date-time' };
const HASH = { type: 'string', pattern: '^[0-9a-f]{64}$' } as const;
const nullable = (schema: Record<string, unknown>) => ({ ...schema, type: [schema.type, 'null'] });
const nullableId = { type: ['string', 'null'] };
const ids = { type: 'array', items: { type: 'string' } };

/** What staff see of the alerts queued on a job or complaint for managers: the alert feed. */
const alerts = (of: string, types: readonly AlertType[]) => ({
  type: 'array',
  description: `Alerts queued on the ${of} for managers, and whether each went out (staff only)`,
  items: {
    type: 'object',
    required: ['type', 'severity', 'sent'],
    properties: {
      type: { type: 'string', enum: [...types] },
      severity: { type: 'string', enum: [...SEVERITIES] },
      sent: { type: 'boolean' },
    },
  },
});

/** A complaint's alerts: every alert type that is not a job's (types.ts). */
const COMPLAINT_ALERT_TYPES = (Object.keys(ALERT_SEVERITY) as AlertType[]).filter(
  (t) => !(JOB_ALERT_TYPES as readonly AlertType[]).includes(t),
);

const JOB = {
  type: 'object',
  description:
    "A repair job as the caller may see it (a resident's view omits `laborWaived`, `satisfaction`, `alerts` and `offer`)",
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
    'links',
    'form',
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
    offer: nullable({
      type: 'object',
      description:
        'The technician a dispatcher offered the booked job to (POST /jobs/{jobId}/assign): only they may accept it (staff only)',
      required: ['technicianId', 'name', 'at', 'by'],
      properties: {
        technicianId: { type: 'string' },
        name: { type: ['string', 'null'], description: 'From the roster; null for an id it does not know' },
        at: time,
        by: { type: 'string', description: 'Who offered it, as the history names them (`manager:m-1`)' },
      },
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
        acceptWarnAt: {
          ...nullable(time),
          description:
            'When an urgent job still unaccepted warns the staff (`sla.acceptance_warning`); absent on older jobs',
        },
        arrivalRiskAt: {
          ...nullable(time),
          description:
            'When nobody on site by then warns the staff (`sla.arrival_at_risk`); absent on older jobs',
        },
        arrivedAt: nullable(time),
        arrivalMet: { type: ['boolean', 'null'] },
        noAccess: {
          type: 'boolean',
          description: 'The technician came and nobody answered (`job.no_access`)',
        },
        callbackDueAt: nullable(time),
        callbackMet: { type: ['boolean', 'null'] },
      },
    },
    callbackAttempts: { type: 'integer', minimum: 0 },
    form: nullable({
      type: 'object',
      description:
        'The signed repair form, once archived as a PDF (seconds after `job.form_signed`); `GET /jobs/{jobId}/form` redirects to it',
      required: ['archivedAt', 'sha256', 'bytes'],
      properties: {
        archivedAt: time,
        sha256: { type: 'string', pattern: '^[0-9a-f]{64}$', description: "The PDF's SHA-256, hex" },
        bytes: { type: 'integer', minimum: 1 },
      },
    }),
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
    links: {
      type: 'object',
      description: 'How the job is tied to others, by id (`null` or empty when none)',
      required: ['reworkOf', 'followUpOf', 'recallOf', 'reworkJobs', 'followUps', 'complaints'],
      properties: {
        reworkOf: {
          ...nullableId,
          description: 'The job whose callback found the issue unresolved and booked this one',
        },
        followUpOf: {
          ...nullableId,
          description: 'The needs_follow_up job a manager opened this follow-up of',
        },
        recallOf: {
          ...nullableId,
          description: 'The job of the same unit and category signed within 30 days before this booking',
        },
        reworkJobs: { ...ids, description: 'The rework booked at this job’s callback' },
        followUps: { ...ids, description: 'The follow-up opened of this job (at most one)' },
        complaints: { ...ids, description: 'The complaints about this job' },
      },
    },
    alerts: alerts('job', JOB_ALERT_TYPES),
    createdAt: time,
    updatedAt: time,
    version: { type: 'integer' },
  },
};

const COMPLAINT = {
  type: 'object',
  description:
    "A complaint (S16, S17) as the caller may see it (a resident's view omits `alerts`, and of the investigation shows only `result` and `at`)",
  required: [
    'complaintId',
    'status',
    'category',
    'description',
    'jobId',
    'unitId',
    'residentId',
    'property',
    'contactPhone',
    'locale',
    'source',
    'sla',
    'investigation',
    'callbackAttempts',
    'answerBy',
    'satisfied',
    'createdAt',
    'updatedAt',
    'version',
  ],
  properties: {
    complaintId: { type: 'string' },
    status: {
      type: 'string',
      enum: [...COMPLAINT_STATUSES],
      description:
        '`received`, then `investigated` (S16), then `closed` by a callback that reached the resident',
    },
    category: { type: 'string', enum: [...COMPLAINT_CATEGORIES] },
    description: { type: 'string' },
    jobId: { ...nullableId, description: 'The job complained about; null for a complaint about the unit' },
    unitId: { type: 'string', description: "The job's unit, or the unit named" },
    residentId: { type: 'string' },
    property: { type: 'string', description: 'The property: the part of `unitId` before its first dash' },
    contactPhone: {
      type: 'string',
      description: "The number the callback rings: the one given, or the job's",
    },
    locale: { type: 'string', enum: [...LOCALES], description: "The language of the resident's messages" },
    source: {
      type: 'string',
      enum: [...COMPLAINT_SOURCES],
      description:
        '`resident`: their own; `agent`: staff recording their call; `callback`: a satisfaction of 2 or less at the job callback',
    },
    sla: {
      type: 'object',
      required: [
        'investigationDueAt',
        'investigatedAt',
        'investigationMet',
        'callbackDueAt',
        'calledBackAt',
        'callbackMet',
      ],
      properties: {
        investigationDueAt: {
          ...time,
          description: "The end of the day of receipt in the company's time zone, 23:59:59.999 local (S16)",
        },
        investigatedAt: nullable(time),
        investigationMet: { type: ['boolean', 'null'] },
        callbackDueAt: { ...time, description: '`createdAt` + 3 days (S17)' },
        calledBackAt: nullable(time),
        callbackMet: { type: ['boolean', 'null'] },
      },
    },
    investigation: nullable({
      type: 'object',
      description: "S16's file, once the complaint is investigated; a resident sees only `result` and `at`",
      required: ['result', 'at'],
      properties: {
        findings: { type: 'string', description: 'What was found (staff only)' },
        cause: { type: 'string', description: 'Why it happened (staff only)' },
        handler: { type: 'string', description: 'Who handled it (staff only)' },
        result: { type: 'string', description: 'What was done about it' },
        at: time,
        by: { type: 'string', description: 'Who filed it: `agent:<sub>` or `manager:<sub>` (staff only)' },
      },
    }),
    callbackAttempts: { type: 'integer', minimum: 0 },
    answerBy: {
      ...nullable(time),
      description: 'S17: when the resident gets the answer the callback could not give',
    },
    satisfied: {
      type: ['boolean', 'null'],
      description: 'What the resident said at the callback that reached them',
    },
    alerts: alerts('complaint', COMPLAINT_ALERT_TYPES),
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
const RECALL_RATE = {
  type: ['number', 'null'],
  minimum: 0,
  description:
    'recalls ÷ signed to four decimals; null when nothing was signed. Final 30 days after the month ends',
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
    complaints: object(
      {
        received: count,
        investigationMet: count,
        investigationMissed: count,
        callbackMet: count,
        callbackMissed: count,
      },
      'Complaints received in the month, and their same-day investigations (S16) and 3-day callbacks (S17) settled in it',
    ),
    recalls: object(
      { signed: count, count, rate: RECALL_RATE },
      'Jobs signed in the month, and the recalls of them (bookings of the same unit and fault within 30 days)',
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
        signed: { ...count, description: 'Jobs whose form was signed in the month' },
        recalls: { ...count, description: 'Recalls of those jobs' },
        recallRate: RECALL_RATE,
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
            hash: {
              ...HASH,
              description:
                'Staff only, on items recorded since the chain exists: SHA-256 (hex) of the canonical JSON of {subject, id, type, at, actor, data, prevHash} (docs/verify-history.md)',
            },
            prevHash: {
              type: ['string', 'null'],
              pattern: HASH.pattern,
              description: 'Staff only: the hash of the item before it; null for the first chained item',
            },
          },
        },
        HistoryCheck: {
          type: 'object',
          required: ['valid', 'items', 'legacy'],
          properties: {
            valid: { type: 'boolean' },
            items: { type: 'integer', minimum: 0, description: 'How many items the history holds' },
            legacy: {
              type: 'integer',
              minimum: 0,
              description: 'How many items, first, were recorded before the chain existed (not verifiable)',
            },
            head: {
              type: ['string', 'null'],
              pattern: HASH.pattern,
              description: 'Valid, staff only: the hash of the newest item, as the job records it',
            },
            brokenAt: {
              type: 'integer',
              minimum: 0,
              description:
                'Invalid: the index of the first item that fails; `items` when the end is not the head',
            },
            reason: { type: 'string', description: 'Invalid: why, in words' },
          },
        },
        HistoryExport: {
          type: 'object',
          required: ['format', 'subject', 'id', 'exportedAt', 'head', 'hashing', 'legacy', 'items'],
          properties: {
            format: { type: 'string', const: 'history-chain/1' },
            subject: { type: 'string', enum: ['job'] },
            id: { type: 'string' },
            exportedAt: time,
            head: {
              type: ['string', 'null'],
              pattern: HASH.pattern,
              description: 'The head the job records',
            },
            hashing: { type: 'string', description: 'How each hash is computed, in words' },
            legacy: { type: 'integer', minimum: 0 },
            items: { type: 'array', items: ref('HistoryItem') },
          },
        },
        JobHistory: {
          type: 'object',
          required: ['items'],
          properties: { items: { type: 'array', items: ref('HistoryItem') } },
        },
        Complaint: COMPLAINT,
        ComplaintList: {
          type: 'object',
          required: ['items'],
          properties: {
            items: { type: 'array', items: ref('Complaint') },
            nextToken: {
              type: 'string',
              description: 'Continues this listing (GET /complaints?nextToken=)',
            },
          },
        },
        ComplaintHistory: {
          type: 'object',
          required: ['items'],
          properties: { items: { type: 'array', items: ref('HistoryItem') } },
        },
        MonthlyReport: MONTHLY_REPORT,
        Property: {
          ...(z.toJSONSchema(propertySchema, { io: 'output' }) as Record<string, unknown>),
          description:
            "A property's policy: what a manager stored, or (`configured: false`) the defaults with the deployment's seed",
        },
        Technician: z.toJSONSchema(technicianSchema.extend({ technicianId: z.string() }), { io: 'output' }),
        PropertyList: {
          type: 'object',
          required: ['items'],
          properties: { items: { type: 'array', items: ref('Property') } },
        },
        TechnicianList: {
          type: 'object',
          required: ['items'],
          properties: { items: { type: 'array', items: ref('Technician') } },
        },
        WebhookEndpoint: {
          type: 'object',
          required: ['endpointId', 'url', 'events', 'status', 'properties', 'createdAt'],
          properties: {
            endpointId: { type: 'string' },
            url: { type: 'string' },
            events: { type: 'array', items: { type: 'string' } },
            description: { type: ['string', 'null'] },
            properties: {
              type: ['array', 'null'],
              items: { type: 'string' },
              description: "The registering manager's properties; null: the whole company",
            },
            status: { type: 'string', enum: [...ENDPOINT_STATUSES] },
            disabledAt: { type: ['string', 'null'] },
            failingSince: { type: ['string', 'null'] },
            failures: { type: 'integer' },
            secretRotatedUntil: {
              type: ['string', 'null'],
              description: 'While the previous secret still signs beside the new one: until when',
            },
            createdBy: { type: 'string' },
            createdAt: { type: 'string', format: 'date-time' },
          },
        },
        WebhookEndpointCreated: {
          allOf: [
            ref('WebhookEndpoint'),
            {
              type: 'object',
              required: ['secret'],
              properties: { secret: { type: 'string', description: '`whsec_…`, shown this once' } },
            },
          ],
        },
        WebhookEndpointList: {
          type: 'object',
          required: ['items'],
          properties: { items: { type: 'array', items: ref('WebhookEndpoint') } },
        },
        WebhookSecret: {
          type: 'object',
          required: ['endpointId', 'secret', 'previousSecretValidUntil'],
          properties: {
            endpointId: { type: 'string' },
            secret: { type: 'string' },
            previousSecretValidUntil: { type: 'string', format: 'date-time' },
          },
        },
        WebhookDelivery: {
          type: 'object',
          required: ['deliveryId', 'eventId', 'type', 'status', 'attempts', 'payload'],
          properties: {
            deliveryId: { type: 'string' },
            endpointId: { type: 'string' },
            eventId: { type: 'string', description: 'Sent as webhook-id: the same on every attempt' },
            type: { type: 'string' },
            subject: { type: 'object' },
            position: { type: 'string' },
            createdAt: { type: 'string', format: 'date-time' },
            status: { type: 'string', enum: [...DELIVERY_STATUSES] },
            nextAttemptAt: { type: ['string', 'null'] },
            retryUntil: { type: 'string', format: 'date-time' },
            parkedReason: { type: ['string', 'null'] },
            attempts: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  at: { type: 'string', format: 'date-time' },
                  status: { type: ['integer', 'null'] },
                  error: { type: ['string', 'null'] },
                  ms: { type: 'integer' },
                },
              },
            },
            payload: { type: 'object', description: 'The body sent: {type, timestamp, data}' },
          },
        },
        WebhookDeliveryList: {
          type: 'object',
          required: ['items'],
          properties: {
            items: { type: 'array', items: ref('WebhookDelivery') },
            nextToken: { type: 'string' },
          },
        },
        JobWithPhotos: {
          description: 'A job as GET /jobs/{jobId} answers it: the Job, and the photos its reader may see',
          allOf: [
            ref('Job'),
            {
              type: 'object',
              required: ['photos'],
              properties: { photos: { type: 'array', items: ref('Photo') } },
            },
          ],
        },
        Photo: {
          type: 'object',
          description:
            'A photo of the job. Residents see their own uploads; staff see every photo. `url` (accepted photos only) serves the checked copy, without its location metadata, for 5 minutes',
          required: ['photoId', 'kind', 'contentType', 'state', 'reason', 'requestedAt', 'checkedAt', 'url'],
          properties: {
            photoId: { type: 'string' },
            kind: {
              type: 'string',
              enum: ['resident', 'before', 'after', 'technician'],
              description:
                "The resident's, or the technician's named in job.arrived (before) or job.completed (after); `technician` until named",
            },
            contentType: { type: 'string' },
            state: { type: 'string', enum: ['pending', 'accepted', 'rejected'] },
            reason: {
              type: ['string', 'null'],
              enum: ['empty', 'too_large', 'type_mismatch', 'malformed', null],
              description: 'Why a rejected upload was deleted',
            },
            requestedAt: time,
            checkedAt: { type: ['string', 'null'], format: 'date-time' },
            url: { type: ['string', 'null'], description: 'A presigned GET URL, valid 5 minutes' },
          },
        },
        PhotoUpload: {
          type: 'object',
          required: ['photoId', 'upload'],
          properties: {
            photoId: { type: 'string' },
            upload: {
              type: 'object',
              description:
                'An S3 presigned POST, valid 10 minutes: send `fields`, then the file last, as multipart/form-data to `url`. Its policy fixes the key, the Content-Type and the size (at most `bytes`)',
              required: ['url', 'fields'],
              properties: {
                url: { type: 'string' },
                fields: { type: 'object', additionalProperties: { type: 'string' } },
              },
            },
          },
        },
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
    parameters: [idempotencyKey],
    requestBody: { required: true, content: json(bookingSchema) },
    responses: { '201': job, ...errors(400, 401, 403, 404, 413, 415, 422, 429, 503) },
  },
  listJobs: {
    summary:
      'List jobs, newest first (residents see their own); `open=true`: the open jobs, oldest first (staff)',
    security: bearer,
    parameters: queryParameters(listQuerySchema, {
      open: 'Staff only, not with `status`: every job still open (the board), oldest first',
      property: 'Staff only: one property’s jobs; a property outside the caller’s scope is 404',
      nextToken: 'Continues the listing it came from',
    }),
    responses: { '200': ok('One page of jobs', 'JobList'), ...errors(400, 401, 403, 404, 503) },
  },
  getJob: {
    summary: 'One job, with the photos its reader may see',
    security: bearer,
    parameters: [jobId],
    responses: { '200': ok('The job and its photos', 'JobWithPhotos'), ...errors(401, 403, 404, 503) },
  },
  getJobHistory: {
    summary: "The job's history, oldest first",
    security: bearer,
    parameters: [jobId],
    responses: { '200': ok('The history', 'JobHistory'), ...errors(401, 403, 404, 503) },
  },
  verifyJobHistory: {
    summary: "Checks the job's history against its hash chain and the head on the job",
    description:
      'Whoever may read the history may check it; a resident is not given the head. On a break, `valid` is false with the first failing item (`brokenAt`) and why.',
    security: bearer,
    parameters: [jobId],
    responses: { '200': ok('The check', 'HistoryCheck'), ...errors(401, 403, 404, 503) },
  },
  exportJobHistory: {
    summary: "The job's history with its hash chain, as a document to keep (agents and managers)",
    description:
      'Every item (staff-only ones too) with `hash` and `prevHash`, anchored by the head on the job. docs/verify-history.md checks it with node:crypto alone.',
    security: bearer,
    parameters: [jobId],
    responses: { '200': ok('The export', 'HistoryExport'), ...errors(401, 403, 404, 503) },
  },
  getJobForm: {
    summary:
      'The signed repair form as archived (S12, S14): a redirect to the PDF (owner resident, agent, manager in scope)',
    description:
      'The form is rendered and archived from the change stream after `job.form_signed` (seconds later); until then, and for a job never signed, `404`. The `Location` is a presigned GET of the PDF (`application/pdf`), valid 5 minutes; ask again for a fresh one.',
    security: bearer,
    parameters: [jobId],
    responses: {
      '302': {
        description: 'The form exists: fetch the PDF from `Location`',
        headers: {
          Location: {
            description: 'A short-lived URL of the PDF (`application/pdf`)',
            schema: { type: 'string' },
          },
        },
      },
      ...errors(401, 403, 404, 503),
    },
  },
  cancelJob: {
    summary: 'Cancel (owner before arrival, or manager)',
    security: bearer,
    parameters: [jobId],
    requestBody: { required: false, content: json(cancelSchema) },
    responses: { '200': job, ...errors(400, 401, 403, 404, 409, 413, 415, 503) },
  },
  rescheduleJob: {
    summary: 'Move the visit to a new time agreed with the resident (owner resident, agent, manager)',
    description:
      'Before arrival (`booked`, `accepted`, `en_route`) or after a visit nobody answered ' +
      '(`awaiting_reschedule`, which goes back to `accepted`; `en_route` does too). The arrival deadline ' +
      'moves to `appointment.start` (an urgent job is timed by its appointment from then on), the escalation ' +
      'ladder is timed again from now, and the old deadline is not missed. `consent` says who agreed: a ' +
      'resident rescheduling gives `resident`; staff give `phone` for a time agreed on a call. History ' +
      '`job.rescheduled` names the consent, the actor and the old and new deadline. The appointment follows ' +
      "the booking's rules.",
    security: bearer,
    parameters: [jobId],
    requestBody: { required: true, content: json(rescheduleSchema) },
    responses: {
      '200': job,
      ...errors(400, 401, 403, 404, 413, 415, 503),
      ...conflict('The job is not `booked`, `accepted`, `en_route` or `awaiting_reschedule`'),
    },
  },
  recordCallback: {
    summary: 'Record the one-week callback (agent, manager)',
    description:
      '`reached: true` closes the job (`satisfaction` and `issueResolved` then required); `reached: false` ' +
      'records an attempt. A satisfaction of 2 or less opens a complaint (source `callback`, in ' +
      '`links.complaints`). `issueResolved: false` needs `rework.appointment`, the time agreed on the call: a ' +
      'rework job is booked for it (in `links.reworkJobs`); `rework` is refused otherwise. The job, the ' +
      'complaint and the rework commit together, once.',
    security: bearer,
    parameters: [jobId, idempotencyKey],
    requestBody: { required: true, content: json(callbackSchema) },
    responses: {
      '200': job,
      ...errors(400, 401, 403, 404, 413, 415, 422, 503),
      ...conflict(
        'The job is not `signed`: the callback was recorded and the job closed, or the form is not signed yet',
      ),
    },
  },
  rateJob: {
    summary: "The resident's rating of the visit (owner, once, from signed on)",
    security: bearer,
    parameters: [jobId],
    requestBody: { required: true, content: json(ratingSchema) },
    responses: { '200': job, ...errors(400, 401, 403, 404, 409, 413, 415, 503) },
  },
  openFollowUp: {
    summary: 'Open the follow-up visit of a needs_follow_up job (manager), at the agreed time',
    description:
      'Books a regular job for the same unit, category and resident at `appointment`, with ' +
      '`links.followUpOf` naming the original (whose `links.followUps` names it). One per job.',
    security: bearer,
    parameters: [jobId],
    requestBody: { required: true, content: json(followUpSchema) },
    responses: {
      '201': ok('The follow-up job', 'Job'),
      ...errors(400, 401, 403, 404, 413, 415, 503),
      ...conflict('The job is not `needs_follow_up`, or already has its follow-up'),
    },
  },
  assignJob: {
    summary: 'Offer a booked job to one technician (agent, manager)',
    description:
      'History `job.assigned` (with `previous` when it replaces another offer); the technician is told on ' +
      'the technicians topic. Only they may accept it; `job.rejected` from them returns it to `booked` with ' +
      'no offer and warns the staff. The technician must pass the roster rules (on the roster where the ' +
      'property has one, working there, on duty, with the skill, under maxOpenJobs): a refusal is a 409 ' +
      'naming the rule. Offering it to the same technician again changes nothing.',
    security: bearer,
    parameters: [jobId],
    requestBody: { required: true, content: json(assignSchema) },
    responses: {
      '200': job,
      ...errors(400, 401, 403, 404, 413, 415, 503),
      ...conflict('The job is not `booked`, or a roster rule refuses the technician'),
    },
  },
  addJobPhoto: {
    summary: 'Announce a photo of the fault and get its upload form (owner resident)',
    description:
      `JPEG, PNG or HEIC/HEIF, at most 10 MiB. At most ${PHOTO_LIMITS.resident} per job: accepted photos and ` +
      'pending ones within their 10-minute upload window count; a rejected one does not. ' +
      `After ${MAX_PHOTO_RECORDS} uploads of any outcome a job takes no more. After the upload the content ` +
      'is checked: not really an image of the declared type (magic bytes), larger than declared, or broken ' +
      'inside, it is deleted and the photo is `rejected` with a reason; otherwise a copy without Exif (but ' +
      'its orientation), XMP and IPTC is what the job view serves.',
    security: bearer,
    parameters: [jobId],
    requestBody: { required: true, content: json(photoRequestSchema) },
    responses: {
      '201': ok('The photo (pending) and its presigned POST', 'PhotoUpload'),
      ...errors(400, 401, 403, 404, 413, 415, 503),
      ...conflict('The job is closed, cancelled or declined, or has its 6 photos'),
    },
  },
  fileComplaint: {
    summary: 'File a complaint (a resident about their job or unit, or staff for a named resident)',
    description:
      '`jobId` or `unitId` is required; with `jobId` the unit, phone and language default to the job’s ' +
      '(another resident’s job is 404). Without a job, `contactPhone` is required. Staff name the resident ' +
      'in `residentId`; a resident never names another.',
    security: bearer,
    parameters: [idempotencyKey],
    requestBody: { required: true, content: json(complaintSchema) },
    responses: { '201': complaint, ...errors(400, 401, 403, 404, 413, 415, 422, 503) },
  },
  listComplaints: {
    summary:
      'List complaints, newest first (residents see their own); `open=true`: the open ones, nearest deadline first (staff)',
    security: bearer,
    parameters: queryParameters(complaintListQuerySchema, {
      open: 'Staff only, not with `status`: the agents’ queue, the complaints not closed, the nearest deadline (investigation, then callback) first',
      property: 'Staff only: one property’s complaints; a property outside the caller’s scope is 404',
      nextToken: 'Continues the listing it came from',
    }),
    responses: {
      '200': ok('One page of complaints', 'ComplaintList'),
      ...errors(400, 401, 403, 404, 503),
    },
  },
  getComplaint: {
    summary: 'One complaint',
    security: bearer,
    parameters: [complaintId],
    responses: { '200': complaint, ...errors(401, 403, 404, 503) },
  },
  getComplaintHistory: {
    summary: "The complaint's history, oldest first",
    security: bearer,
    parameters: [complaintId],
    responses: { '200': ok('The history', 'ComplaintHistory'), ...errors(401, 403, 404, 503) },
  },
  investigateComplaint: {
    summary: "File the complaint's investigation, the same day (agent, manager; S16)",
    security: bearer,
    parameters: [complaintId],
    requestBody: { required: true, content: json(investigationSchema) },
    responses: {
      '200': ok('The complaint, status `investigated`', 'Complaint'),
      ...errors(400, 401, 403, 404, 413, 415, 503),
      ...conflict('The complaint is already investigated or closed'),
    },
  },
  callBackComplainant: {
    summary: 'Record the callback to the complainant, within 3 days (agent, manager; S17)',
    description:
      '`reached: true` (with `satisfied`) closes the complaint; `reached: false` records an attempt and the ' +
      'deadline stands. `answerBy`: when the resident gets the answer the call could not give.',
    security: bearer,
    parameters: [complaintId],
    requestBody: { required: true, content: json(complaintCallbackSchema) },
    responses: {
      '200': complaint,
      ...errors(400, 401, 403, 404, 413, 415, 503),
      ...conflict('The complaint is not investigated yet (call back after the investigation), or is closed'),
    },
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
        description:
          'One property (the part of a unitId before its dash); absent: the whole company, or for a manager ' +
          'limited to one property that one (limited to several: 400, name one). Outside the scope: 404',
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
      ...errors(400, 401, 403, 404, 503),
    },
  },
  listProperties: {
    summary: 'The configured properties (manager), by id; one nobody configured is not listed',
    security: bearer,
    responses: { '200': ok('The properties', 'PropertyList'), ...errors(401, 403, 503) },
  },
  getProperty: {
    summary: "A property's settings (manager): its calendar, dispatch mode and SLA numbers",
    description: 'A property nobody configured answers the defaults (`configured: false`).',
    security: bearer,
    parameters: [propertyIdParam],
    responses: { '200': ok('The property', 'Property'), ...errors(400, 401, 403, 404, 503) },
  },
  putProperty: {
    summary: "Set a property's settings (manager with company scope); fields left out take the defaults",
    security: bearer,
    parameters: [propertyIdParam],
    requestBody: { required: true, content: json(propertySchema) },
    responses: {
      '200': ok('The property as stored', 'Property'),
      ...errors(400, 401, 403, 404, 413, 415, 503),
    },
  },
  listTechnicians: {
    summary: 'The roster (manager); `property`: those who work there',
    security: bearer,
    parameters: queryParameters(technicianListQuerySchema),
    responses: { '200': ok('The technicians', 'TechnicianList'), ...errors(400, 401, 403, 404, 503) },
  },
  getTechnician: {
    summary: 'One technician on the roster (manager)',
    security: bearer,
    parameters: [technicianIdParam],
    responses: { '200': ok('The technician', 'Technician'), ...errors(400, 401, 403, 404, 503) },
  },
  putTechnician: {
    summary: 'Put a technician on the roster, or change them (manager)',
    security: bearer,
    parameters: [technicianIdParam],
    requestBody: { required: true, content: json(technicianSchema) },
    responses: {
      '200': ok('The technician as stored', 'Technician'),
      ...errors(400, 401, 403, 404, 413, 415, 503),
    },
  },
  createWebhookEndpoint: {
    summary: 'Register an outbound webhook endpoint (manager); its secret is in this answer only',
    description:
      'Every job and complaint event whose type matches `events` (`job.completed`, `job.*`, `*`) and whose ' +
      "property is within the manager's scope is POSTed to `url`, signed per Standard Webhooks. On AWS the " +
      'URL must be https and its host resolve to public addresses only (400 naming `url` otherwise).',
    security: bearer,
    requestBody: { required: true, content: json(webhookEndpointSchema) },
    responses: {
      '201': ok('The endpoint and its secret', 'WebhookEndpointCreated'),
      ...errors(400, 401, 403, 409, 413, 415, 503),
    },
  },
  listWebhookEndpoints: {
    summary: "The outbound webhook endpoints within the manager's scope (no secrets)",
    security: bearer,
    responses: { '200': ok('The endpoints', 'WebhookEndpointList'), ...errors(401, 403, 503) },
  },
  getWebhookEndpoint: {
    summary: 'One outbound webhook endpoint (manager; no secret)',
    security: bearer,
    parameters: [endpointIdParam],
    responses: { '200': ok('The endpoint', 'WebhookEndpoint'), ...errors(400, 401, 403, 404, 503) },
  },
  deleteWebhookEndpoint: {
    summary: 'Delete an outbound webhook endpoint (manager); its pending deliveries are parked',
    security: bearer,
    parameters: [endpointIdParam],
    responses: { '204': { description: 'Deleted' }, ...errors(400, 401, 403, 404, 503) },
  },
  rotateWebhookSecret: {
    summary: "Rotate an endpoint's secret (manager): the new one is in this answer only",
    description: 'The previous secret keeps signing beside the new one (two signatures) for 24 hours.',
    security: bearer,
    parameters: [endpointIdParam],
    responses: { '200': ok('The new secret', 'WebhookSecret'), ...errors(400, 401, 403, 404, 409, 503) },
  },
  listWebhookDeliveries: {
    summary: "An endpoint's deliveries with their attempts (manager), queue by queue",
    security: bearer,
    parameters: [endpointIdParam, ...queryParameters(deliveryListQuerySchema)],
    responses: {
      '200': ok('The deliveries', 'WebhookDeliveryList'),
      ...errors(400, 401, 403, 404, 503),
    },
  },
  retryWebhookDelivery: {
    summary: 'Send a delivery again now, with a fresh 24-hour retry window (manager)',
    description: 'On a disabled endpoint this turns it on again.',
    security: bearer,
    parameters: [endpointIdParam, deliveryIdParam],
    responses: {
      '202': ok('The delivery, due now', 'WebhookDelivery'),
      ...errors(400, 401, 403, 404, 409, 503),
    },
  },
  postTechnicianEvent: {
    summary: 'Technician app events, signed per Standard Webhooks',
    description:
      '`job.accepted` from a technician the roster refuses (off duty, lacking the category, working ' +
      'elsewhere, at maxOpenJobs; or an id not on the roster of a property that has one) is a 403 naming ' +
      'the rule; so is accepting a job offered to another technician, or one waiting for dispatch in an ' +
      '`assign` property. `job.rejected` gives a job back: from the technician it is offered to, or the ' +
      'one who accepted it before `job.en_route`.',
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
  postTechnicianUpload: {
    summary: "A technician's photo upload form, signed per Standard Webhooks",
    description:
      'For the technician holding the job (403 otherwise), from acceptance until the form is signed; ' +
      `at most ${PHOTO_LIMITS.technician} per job. Name the photo in \`data.photoIds\` of job.arrived ` +
      '(before) or job.completed (after); an id that is not this technician’s photo of this job is a 400 ' +
      'on `data.photoIds`. The same webhook-id again answers the same photo with a fresh form (200).',
    security: [{ webhookSignature: [] }],
    parameters: [
      { name: 'webhook-id', description: 'The delivery id (Standard Webhooks)' },
      { name: 'webhook-timestamp', description: 'Unix seconds (Standard Webhooks)' },
    ].map((p) => ({ ...p, in: 'header', required: true, schema: { type: 'string' } })),
    requestBody: { required: true, content: json(technicianUploadSchema) },
    responses: {
      '200': ok('A redelivery (same webhook-id): the same photo, a fresh form', 'PhotoUpload'),
      '201': ok('The photo (pending) and its presigned POST', 'PhotoUpload'),
      ...errors(400, 401, 403, 404, 413, 415, 503),
      ...conflict("The job's status takes no technician photos, or it has its 12"),
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
