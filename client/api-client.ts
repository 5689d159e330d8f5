import type * as z from 'zod';
import type { PhotoUpload, PhotoView } from '../functions/domain/photos';
import type { PropertyPolicy, Technician } from '../functions/domain/policy';
import type { MonthlyReport } from '../functions/domain/reports';
import type {
  bookingSchema,
  CallbackRequest,
  CancelRequest,
  ComplaintCallbackRequest,
  ComplaintListQuery,
  ComplaintRequest,
  FollowUpRequest,
  InvestigationRequest,
  ListQuery,
  MonthlyReportQuery,
  PhotoRequest,
  propertySchema,
  RatingRequest,
  RescheduleRequest,
  TechnicianUploadRequest,
  technicianSchema,
  WebhookEndpointRequest,
  WebhookEvent,
} from '../functions/domain/schemas';
import type {
  ChainCheck,
  HistoryExport,
  HistoryItem,
  Role,
  Status,
  StoredHistoryItem,
} from '../functions/domain/types';
import type { ComplaintView, JobView } from '../functions/domain/views';
import type { DeliveryStatus, DeliveryView, EndpointView } from '../functions/domain/webhook-types';
import { type OperationId, ROUTES } from '../functions/http/routes';

// The one typed client of the HTTP API (docs/api.md), for the tests, the demo, the soak and
// the bench and the pages. Each operation is named by its OpenAPI operationId; OPERATIONS below gives its
// method and path, is what the client sends, and test/unit/client checks it against the
// generated OpenAPI document. The `/_local/*` routes of `npm start` are apart, on `client.local`.
// `request` stays open for what no typed operation sends: malformed bodies, wrong content
// types, bad signatures. Only types come from the domain: no zod, no Node module at run time, so
// the pages (pages/) bundle this same client for the browser. Signing technician webhooks needs
// node:crypto: client/signing-client.ts adds it.

export type {
  ChainCheck,
  ComplaintView,
  HistoryExport,
  HistoryItem,
  JobView,
  MonthlyReport,
  PhotoUpload,
  PhotoView,
  PropertyPolicy,
  StoredHistoryItem,
  Technician,
};

/** The answer to a registration: the endpoint, with the one sight of its secret. */
export type WebhookEndpointCreated = EndpointView & { endpointId: string; secret: string };

/** GET /jobs/{jobId}: the job with the photos its reader may see. */
export type JobWithPhotos = JobView & { photos: PhotoView[] };

/** RFC 9457 problem details: every 4xx/5xx body the product writes (API Gateway's own are not). */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: Array<{ path: string; message: string }>;
}

/**
 * One answer: on a 2xx (`ok`) the body is the operation's type; otherwise problem details.
 * `body` is undefined when the answer has no body.
 */
export type Reply<T = unknown> =
  | { ok: true; status: number; headers: Headers; body: T }
  | { ok: false; status: number; headers: Headers; body: Problem };

/** A booking as a client sends it: the zod schema's input, so `locale` may be left out (zh-CN). */
export type BookingRequest = z.input<typeof bookingSchema>;
export type {
  CallbackRequest,
  CancelRequest,
  ComplaintCallbackRequest,
  ComplaintListQuery,
  ComplaintRequest,
  FollowUpRequest,
  InvestigationRequest,
  ListQuery,
  MonthlyReportQuery,
  PhotoRequest,
  RatingRequest,
  RescheduleRequest,
  TechnicianUploadRequest,
  WebhookEvent,
};

export interface JobList {
  items: JobView[];
  nextToken?: string;
}
export interface JobHistory {
  /** Staff read `hash` and `prevHash` on chained items; residents none. */
  items: StoredHistoryItem[];
}
export interface ComplaintList {
  items: ComplaintView[];
  nextToken?: string;
}
/** What the technician webhook answers: 202 once, 200 for a redelivery of the same webhook-id. */
export interface WebhookAnswer {
  jobId: string;
  status: Status;
}

export interface LocalNotification {
  topic: 'alerts' | 'residents' | 'technicians';
  subject: string;
  message: string;
  attributes: Record<string, string>;
  publishedAt: string;
}

export type HttpMethod = 'GET' | 'POST';
export interface Operation {
  readonly method: HttpMethod;
  readonly path: string;
}

/**
 * The API's operations, by OpenAPI operationId: the method and path of each come from the one
 * route table the API is deployed and served from (functions/http/routes.ts).
 */
export const OPERATIONS = Object.fromEntries(
  ROUTES.map((r) => [r.operationId, { method: r.method, path: r.path }]),
) as Record<OperationId, Operation>;
export type { OperationId };

/** The local stack's own routes (`npm start` only; not in the OpenAPI document), by method name on `client.local`. */
export const LOCAL_OPERATIONS = {
  createToken: { method: 'POST', path: '/_local/tokens' },
  getClock: { method: 'GET', path: '/_local/clock' },
  advanceClock: { method: 'POST', path: '/_local/clock' },
  listNotifications: { method: 'GET', path: '/_local/notifications' },
} as const satisfies Record<string, Operation>;
export type LocalOperationId = keyof typeof LOCAL_OPERATIONS;

/** The path of an operation with its `{name}` parameters filled in (each URI-encoded). */
export function pathOf(op: Operation, params: Record<string, string> = {}): string {
  return op.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${op.path} needs ${name}`);
    return encodeURIComponent(value);
  });
}

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface ClientOptions {
  /** What sends each request (default: the global fetch); the soak passes one with a timeout. */
  fetch?: FetchLike;
}

export interface RequestOptions {
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** Sent as JSON, with `content-type: application/json` unless `headers` names one. */
  body?: unknown;
  /** Sent as it is, with only the headers given (for malformed bodies and wrong content types). */
  raw?: string;
  headers?: Record<string, string>;
  /** `manual`: a 3xx is the reply (its `location` header), not followed. */
  redirect?: 'manual';
}

export interface WebhookOptions {
  /** The `webhook-id`; the same id again is a redelivery. A fresh `msg_<uuid>` by default. */
  id?: string;
  /** The `webhook-timestamp`, Unix seconds; the real wall clock by default. */
  timestamp?: number;
  /** Signs with this secret instead of the client's. */
  secret?: string;
  /** Sends (and signs) this body instead of the event's JSON. */
  raw?: string;
}

/** A reply other than the one expected, with the server's problem details in its message. */
export class UnexpectedReply extends Error {
  constructor(
    readonly what: string,
    readonly reply: Reply,
  ) {
    super(`${what} answered ${reply.status}: ${JSON.stringify(reply.body)}`);
  }
}

/** The body of a reply that must be `status` (or any 2xx); anything else throws UnexpectedReply. */
export function expectStatus<T>(reply: Reply<T>, status?: number, what = 'the request'): T {
  if (!reply.ok || (status !== undefined && reply.status !== status)) throw new UnexpectedReply(what, reply);
  return reply.body;
}

/** A listing's query string: `?` and the set fields, or nothing. */
function search(query: Record<string, unknown>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) q.set(k, String(v));
  return q.size ? `?${q}` : '';
}

const keyHeader = (opts: { idempotencyKey?: string }) =>
  opts.idempotencyKey ? { 'idempotency-key': opts.idempotencyKey } : undefined;

export class ApiClient {
  /** The `/_local/*` routes of the local stack. */
  readonly local: LocalRoutes;
  private readonly send: FetchLike;

  constructor(
    readonly url: string,
    opts: ClientOptions = {},
  ) {
    this.send = opts.fetch ?? ((url, init) => fetch(url, init));
    this.local = new LocalRoutes(this);
  }

  /**
   * Any request, typed or not. A network failure rejects; every HTTP answer resolves. A CSV body
   * (the report's technicians) is the text as sent, BOM and all; any other is parsed as JSON.
   */
  async request<T = unknown>(method: string, path: string, opts: RequestOptions = {}): Promise<Reply<T>> {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let payload = opts.raw;
    if (opts.body !== undefined) {
      payload = JSON.stringify(opts.body);
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
        headers['content-type'] = 'application/json';
    }
    const res = await this.send(`${this.url}${path}`, {
      method,
      headers,
      body: payload,
      ...(opts.redirect && { redirect: opts.redirect }),
    });
    const csv = /^text\/csv\b/i.test(res.headers.get('content-type') ?? '');
    // A CSV keeps its BOM (what tells a spreadsheet it is UTF-8); res.text() would drop it.
    const text = new TextDecoder('utf-8', { ignoreBOM: csv }).decode(await res.arrayBuffer());
    if (csv) return { ok: res.ok, status: res.status, headers: res.headers, body: text } as Reply<T>;
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      throw new Error(
        `${method} ${path} answered ${res.status} with a body that is not JSON: ${text.slice(0, 200)}`,
      );
    }
    return { ok: res.ok, status: res.status, headers: res.headers, body } as Reply<T>;
  }

  protected call<T>(id: OperationId, params: Record<string, string>, opts: RequestOptions = {}, search = '') {
    const op = OPERATIONS[id];
    return this.request<T>(op.method, `${pathOf(op, params)}${search}`, opts);
  }

  /** POST /jobs (resident): 201 with the job; the same Idempotency-Key and body answer the first reply again. */
  bookJob(token: string, body: BookingRequest, opts: { idempotencyKey?: string } = {}) {
    return this.call<JobView>('bookJob', {}, { token, body, headers: keyHeader(opts) });
  }

  /** GET /jobs: a resident's own jobs, all of them for staff; newest first. */
  listJobs(token: string, query: Partial<ListQuery> = {}) {
    return this.call<JobList>('listJobs', {}, { token }, search(query));
  }

  getJob(token: string, jobId: string) {
    return this.call<JobWithPhotos>('getJob', { jobId }, { token });
  }

  /**
   * POST /jobs/{jobId}/photos (owner resident): 201 with the photo's id and its presigned POST;
   * send `upload.fields` and then the file as multipart/form-data to `upload.url` (client/upload.ts).
   */
  addJobPhoto(token: string, jobId: string, body: PhotoRequest) {
    return this.call<PhotoUpload>('addJobPhoto', { jobId }, { token, body });
  }

  /** GET /jobs/{jobId}/history: oldest first. */
  getJobHistory(token: string, jobId: string) {
    return this.call<JobHistory>('getJobHistory', { jobId }, { token });
  }

  /** GET /jobs/{jobId}/history/verify: the history checked against its hash chain and the job's head. */
  verifyJobHistory(token: string, jobId: string) {
    return this.call<ChainCheck>('verifyJobHistory', { jobId }, { token });
  }

  /** GET /jobs/{jobId}/history/export (agent, manager): the history with its chain, a document to keep. */
  exportJobHistory(token: string, jobId: string) {
    return this.call<HistoryExport>('exportJobHistory', { jobId }, { token });
  }

  /** GET /jobs/{jobId}/form: 302 with `location`, a short-lived URL of the archived PDF (not followed); 404 before. */
  getJobForm(token: string, jobId: string) {
    return this.call<undefined>('getJobForm', { jobId }, { token, redirect: 'manual' });
  }

  cancelJob(token: string, jobId: string, body: CancelRequest = {}) {
    return this.call<JobView>('cancelJob', { jobId }, { token, body });
  }

  /** POST /jobs/{jobId}/reschedule (owner resident, agent, manager): the visit moves to a new agreed time. */
  rescheduleJob(token: string, jobId: string, body: RescheduleRequest) {
    return this.call<JobView>('rescheduleJob', { jobId }, { token, body });
  }

  /**
   * POST /jobs/{jobId}/callback (agent, manager): the one-week callback. Satisfaction ≤ 2 opens a
   * complaint; `issueResolved: false` books `rework` (links on the answer's job).
   */
  recordCallback(
    token: string,
    jobId: string,
    body: CallbackRequest,
    opts: { idempotencyKey?: string } = {},
  ) {
    return this.call<JobView>('recordCallback', { jobId }, { token, body, headers: keyHeader(opts) });
  }

  /** POST /jobs/{jobId}/follow-up (manager): 201 with the follow-up job of a needs_follow_up job. */
  openFollowUp(token: string, jobId: string, body: FollowUpRequest) {
    return this.call<JobView>('openFollowUp', { jobId }, { token, body });
  }

  /** POST /jobs/{jobId}/assign (agent, manager): offers a booked job to one technician. */
  assignJob(token: string, jobId: string, body: { technicianId: string }) {
    return this.call<JobView>('assignJob', { jobId }, { token, body });
  }

  /** POST /complaints: 201 with the complaint (a resident's own, or staff for a named resident). */
  fileComplaint(token: string, body: ComplaintRequest, opts: { idempotencyKey?: string } = {}) {
    return this.call<ComplaintView>('fileComplaint', {}, { token, body, headers: keyHeader(opts) });
  }

  /** GET /complaints: a resident's own, all for staff; `open: true` is the agents' queue, nearest deadline first. */
  listComplaints(token: string, query: Partial<ComplaintListQuery> = {}) {
    return this.call<ComplaintList>('listComplaints', {}, { token }, search(query));
  }

  getComplaint(token: string, complaintId: string) {
    return this.call<ComplaintView>('getComplaint', { complaintId }, { token });
  }

  /** GET /complaints/{complaintId}/history: oldest first. */
  getComplaintHistory(token: string, complaintId: string) {
    return this.call<JobHistory>('getComplaintHistory', { complaintId }, { token });
  }

  /** POST /complaints/{complaintId}/investigation (agent, manager): S16's file. */
  investigateComplaint(token: string, complaintId: string, body: InvestigationRequest) {
    return this.call<ComplaintView>('investigateComplaint', { complaintId }, { token, body });
  }

  /** POST /complaints/{complaintId}/callback (agent, manager): S17's callback; reached closes it. */
  callBackComplainant(token: string, complaintId: string, body: ComplaintCallbackRequest) {
    return this.call<ComplaintView>('callBackComplainant', { complaintId }, { token, body });
  }

  /** POST /jobs/{jobId}/rating (owner resident, once, from signed on). */
  rateJob(token: string, jobId: string, body: RatingRequest) {
    return this.call<JobView>('rateJob', { jobId }, { token, body });
  }

  /**
   * GET /reports/monthly (manager): a month's figures, of one property or the whole company;
   * `{ format: 'csv' }` asks for the technicians table as CSV (`Accept: text/csv`), its text as the body.
   */
  getMonthlyReport(
    token: string,
    query: MonthlyReportQuery,
    opts?: { format?: 'json' },
  ): Promise<Reply<MonthlyReport>>;
  getMonthlyReport(token: string, query: MonthlyReportQuery, opts: { format: 'csv' }): Promise<Reply<string>>;
  getMonthlyReport(token: string, query: MonthlyReportQuery, opts: { format?: 'json' | 'csv' } = {}) {
    const q = new URLSearchParams({ month: query.month });
    if (query.property !== undefined) q.set('property', query.property);
    const headers = opts.format === 'csv' ? { accept: 'text/csv' } : undefined;
    return this.call<MonthlyReport | string>('getMonthlyReport', {}, { token, headers }, `?${q}`);
  }

  /** GET /properties (manager): the configured properties. */
  listProperties(token: string) {
    return this.call<{ items: PropertyPolicy[] }>('listProperties', {}, { token });
  }

  /** GET /properties/{propertyId} (manager): stored, or the defaults (`configured: false`). */
  getProperty(token: string, propertyId: string) {
    return this.call<PropertyPolicy>('getProperty', { propertyId }, { token });
  }

  /** PUT /properties/{propertyId} (manager with company scope): fields left out take the defaults. */
  putProperty(token: string, propertyId: string, body: z.input<typeof propertySchema>) {
    return this.call<PropertyPolicy>('putProperty', { propertyId }, { token, body });
  }

  /** GET /technicians (manager): the roster; `property`: those who work there. */
  listTechnicians(token: string, query: { property?: string } = {}) {
    return this.call<{ items: Technician[] }>('listTechnicians', {}, { token }, search(query));
  }

  getTechnician(token: string, technicianId: string) {
    return this.call<Technician>('getTechnician', { technicianId }, { token });
  }

  /** PUT /technicians/{technicianId} (manager): on the roster, or changed. */
  putTechnician(token: string, technicianId: string, body: z.input<typeof technicianSchema>) {
    return this.call<Technician>('putTechnician', { technicianId }, { token, body });
  }

  /** POST /integrations/webhooks (manager): 201 with the endpoint and its secret, shown this once. */
  createWebhookEndpoint(token: string, body: WebhookEndpointRequest) {
    return this.call<WebhookEndpointCreated>('createWebhookEndpoint', {}, { token, body });
  }

  /** GET /integrations/webhooks (manager): the endpoints within the caller's scope. */
  listWebhookEndpoints(token: string) {
    return this.call<{ items: EndpointView[] }>('listWebhookEndpoints', {}, { token });
  }

  getWebhookEndpoint(token: string, endpointId: string) {
    return this.call<EndpointView>('getWebhookEndpoint', { endpointId }, { token });
  }

  /** DELETE /integrations/webhooks/{endpointId} (manager): 204. */
  deleteWebhookEndpoint(token: string, endpointId: string) {
    return this.call<undefined>('deleteWebhookEndpoint', { endpointId }, { token });
  }

  /** POST …/rotate (manager): a new secret, shown once; the old one signs beside it for 24 hours. */
  rotateWebhookSecret(token: string, endpointId: string) {
    return this.call<{ endpointId: string; secret: string; previousSecretValidUntil: string }>(
      'rotateWebhookSecret',
      { endpointId },
      { token },
    );
  }

  /** GET …/deliveries (manager): each delivery with its attempts; `status` filters. */
  listWebhookDeliveries(
    token: string,
    endpointId: string,
    query: { status?: DeliveryStatus; limit?: number; nextToken?: string } = {},
  ) {
    return this.call<{ items: DeliveryView[]; nextToken?: string }>(
      'listWebhookDeliveries',
      { endpointId },
      { token },
      search(query),
    );
  }

  /** POST …/deliveries/{deliveryId}/retry (manager): 202, due now with a fresh 24-hour window. */
  retryWebhookDelivery(token: string, endpointId: string, deliveryId: string) {
    return this.call<DeliveryView>('retryWebhookDelivery', { endpointId, deliveryId }, { token });
  }

  /** GET /openapi.json: the OpenAPI 3.1 document (no token). */
  getOpenApi() {
    return this.call<Record<string, unknown>>('getOpenApi', {});
  }
}

/** The local stack's routes: dev tokens, the simulated clock, and what was published to SNS. */
export class LocalRoutes {
  constructor(private readonly client: ApiClient) {}

  private call<T>(id: LocalOperationId, opts: RequestOptions = {}, search = '') {
    const op = LOCAL_OPERATIONS[id];
    return this.client.request<T>(op.method, `${op.path}${search}`, opts);
  }

  /**
   * POST /_local/tokens: 201 with a JWT signed by the stack's local key (12 hours); `properties`
   * limits a staff token to those properties (Cognito's `custom:properties`).
   */
  createToken(claims: { sub: string; role: Role; name?: string; phone?: string; properties?: string[] }) {
    return this.call<{ token: string }>('createToken', { body: claims });
  }

  /** GET /_local/clock: the simulated time every timer and timestamp uses. */
  getClock() {
    return this.call<{ now: string }>('getClock');
  }

  /** POST /_local/clock: jumps the clock; answers once due timers fired and the workflow settled. */
  advanceClock(advanceSeconds: number) {
    return this.call<{ now: string }>('advanceClock', { body: { advanceSeconds } });
  }

  /** GET /_local/notifications: what was published to SNS, oldest first. */
  listNotifications(
    filter: { jobId?: string; complaintId?: string; topic?: LocalNotification['topic'] } = {},
  ) {
    const q = new URLSearchParams();
    if (filter.topic) q.set('topic', filter.topic);
    if (filter.jobId) q.set('jobId', filter.jobId);
    if (filter.complaintId) q.set('complaintId', filter.complaintId);
    return this.call<{ items: LocalNotification[] }>('listNotifications', {}, q.size ? `?${q}` : '');
  }
}
