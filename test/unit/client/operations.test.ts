import {
  expectStatus,
  LOCAL_OPERATIONS,
  LocalRoutes,
  OPERATIONS,
  type OperationId,
  pathOf,
  UnexpectedReply,
} from '../../../client/api-client';
import { SigningClient } from '../../../client/signing-client';
import { openApiDocument } from '../../../functions/http/openapi';
import { ROUTES } from '../../../functions/http/routes';
import { verifySignature } from '../../../functions/http/webhook-signature';

// The typed client and the OpenAPI document describe the same operations: each operationId
// is a client method sending that method to that path, and the local-only routes stay out.

type Paths = Record<string, Record<string, { operationId?: string }>>;
const paths = openApiDocument().paths as Paths;
const documented = Object.entries(paths).flatMap(([path, ops]) =>
  Object.entries(ops).map(([method, op]) => ({
    operationId: op.operationId,
    method: method.toUpperCase(),
    path,
  })),
);

const SECRET = 'whsec_dGVzdC1zZWNyZXQtZm9yLXRoZS1jbGllbnQ=';

/** A client whose fetch records each request and answers `status` with `body`. */
function recording(status = 200, body: unknown = {}) {
  const sent: Array<{ method: string; url: string; headers: Record<string, string>; body?: string }> = [];
  const client = new SigningClient('http://api.test', {
    webhookSecret: SECRET,
    fetch: async (url, init) => {
      sent.push({
        method: String(init.method),
        url,
        headers: init.headers as Record<string, string>,
        body: init.body as string | undefined,
      });
      return new Response(JSON.stringify(body), { status });
    },
  });
  return { client, sent };
}

const BOOKING = {
  unitId: 'B2-1203',
  category: 'plumbing',
  description: 'Kitchen tap leaking',
  priority: 'urgent',
  contactPhone: '+8613800138000',
} as const;
const APPOINTMENT = { start: '2026-11-24T01:00:00.000Z', end: '2026-11-24T03:00:00.000Z' };
const COMPLAINT = { jobId: 'j-1', category: 'conduct', description: 'The technician was rude' } as const;
const EVENT = {
  type: 'job.work_started',
  jobId: 'j-1',
  technicianId: 't-7',
  occurredAt: '2026-11-23T08:00:00.000Z',
  data: {},
} as const;

/** One call of each operation, with the path parameters it fills in. */
const CALLS: Record<
  OperationId,
  { call: (c: SigningClient) => Promise<unknown>; params?: Record<string, string> }
> = {
  bookJob: { call: (c) => c.bookJob('t', BOOKING) },
  listJobs: { call: (c) => c.listJobs('t') },
  getJob: { call: (c) => c.getJob('t', 'j/1'), params: { jobId: 'j/1' } },
  getJobHistory: { call: (c) => c.getJobHistory('t', 'j-1'), params: { jobId: 'j-1' } },
  verifyJobHistory: { call: (c) => c.verifyJobHistory('t', 'j-1'), params: { jobId: 'j-1' } },
  exportJobHistory: { call: (c) => c.exportJobHistory('t', 'j-1'), params: { jobId: 'j-1' } },
  getJobForm: { call: (c) => c.getJobForm('t', 'j-1'), params: { jobId: 'j-1' } },
  cancelJob: {
    call: (c) => c.cancelJob('t', 'j-1', { reason: 'no longer needed' }),
    params: { jobId: 'j-1' },
  },
  rescheduleJob: {
    call: (c) => c.rescheduleJob('t', 'j-1', { appointment: APPOINTMENT, consent: 'phone' }),
    params: { jobId: 'j-1' },
  },
  recordCallback: {
    call: (c) => c.recordCallback('t', 'j-1', { reached: true, satisfaction: 5, issueResolved: true }),
    params: { jobId: 'j-1' },
  },
  rateJob: { call: (c) => c.rateJob('t', 'j-1', { score: 4 }), params: { jobId: 'j-1' } },
  openFollowUp: {
    call: (c) => c.openFollowUp('t', 'j-1', { appointment: APPOINTMENT }),
    params: { jobId: 'j-1' },
  },
  assignJob: {
    call: (c) => c.assignJob('t', 'j-1', { technicianId: 't-7' }),
    params: { jobId: 'j-1' },
  },
  addJobPhoto: {
    call: (c) => c.addJobPhoto('t', 'j-1', { contentType: 'image/jpeg', bytes: 1000 }),
    params: { jobId: 'j-1' },
  },
  fileComplaint: { call: (c) => c.fileComplaint('t', COMPLAINT) },
  listComplaints: { call: (c) => c.listComplaints('t') },
  getComplaint: { call: (c) => c.getComplaint('t', 'c/1'), params: { complaintId: 'c/1' } },
  getComplaintHistory: {
    call: (c) => c.getComplaintHistory('t', 'c-1'),
    params: { complaintId: 'c-1' },
  },
  investigateComplaint: {
    call: (c) =>
      c.investigateComplaint('t', 'c-1', {
        findings: 'Confirmed by the technician',
        cause: 'A rushed visit',
        handler: 'Zhang Min',
        result: 'Apologised; the visit is redone',
      }),
    params: { complaintId: 'c-1' },
  },
  callBackComplainant: {
    call: (c) => c.callBackComplainant('t', 'c-1', { reached: true, satisfied: true }),
    params: { complaintId: 'c-1' },
  },
  getMonthlyReport: { call: (c) => c.getMonthlyReport('t', { month: '2026-12', property: 'B2' }) },
  listProperties: { call: (c) => c.listProperties('t') },
  getProperty: { call: (c) => c.getProperty('t', 'B2'), params: { propertyId: 'B2' } },
  putProperty: { call: (c) => c.putProperty('t', 'B2', { name: 'Garden' }), params: { propertyId: 'B2' } },
  listTechnicians: { call: (c) => c.listTechnicians('t', { property: 'B2' }) },
  getTechnician: { call: (c) => c.getTechnician('t', 't-1'), params: { technicianId: 't-1' } },
  putTechnician: {
    call: (c) =>
      c.putTechnician('t', 't-1', { name: 'Wang', skills: ['plumbing'], properties: ['B2'], onDuty: true }),
    params: { technicianId: 't-1' },
  },
  createWebhookEndpoint: {
    call: (c) => c.createWebhookEndpoint('t', { url: 'https://erp.example.com/hooks', events: ['job.*'] }),
  },
  listWebhookEndpoints: { call: (c) => c.listWebhookEndpoints('t') },
  getWebhookEndpoint: { call: (c) => c.getWebhookEndpoint('t', 'ep_1'), params: { endpointId: 'ep_1' } },
  deleteWebhookEndpoint: {
    call: (c) => c.deleteWebhookEndpoint('t', 'ep_1'),
    params: { endpointId: 'ep_1' },
  },
  rotateWebhookSecret: { call: (c) => c.rotateWebhookSecret('t', 'ep_1'), params: { endpointId: 'ep_1' } },
  listWebhookDeliveries: {
    call: (c) => c.listWebhookDeliveries('t', 'ep_1'),
    params: { endpointId: 'ep_1' },
  },
  retryWebhookDelivery: {
    call: (c) => c.retryWebhookDelivery('t', 'ep_1', 'j.1.abc'),
    params: { endpointId: 'ep_1', deliveryId: 'j.1.abc' },
  },
  postTechnicianEvent: { call: (c) => c.postTechnicianEvent(EVENT) },
  postTechnicianUpload: {
    call: (c) =>
      c.postTechnicianUpload({ jobId: 'j-1', technicianId: 't-7', contentType: 'image/png', bytes: 10 }),
  },
  getOpenApi: { call: (c) => c.getOpenApi() },
};

describe('the typed client and the OpenAPI document', () => {
  it('every operation in the document has an operationId', () => {
    expect(documented.filter((o) => !o.operationId)).toEqual([]);
  });

  it.each(documented)('$operationId ($method $path) is a client method with that method and path', (op) => {
    const id = op.operationId as OperationId;

    expect(OPERATIONS[id]).toEqual({ method: op.method, path: op.path });
    expect(typeof SigningClient.prototype[id]).toBe('function');
  });

  it.each(Object.entries(OPERATIONS))(
    'client operation %s is in the document with the same method and path',
    (id, op) => {
      expect(documented).toContainEqual({ operationId: id, method: op.method, path: op.path });
    },
  );

  it.each(Object.keys(OPERATIONS) as OperationId[])('%s sends what OPERATIONS says', async (id) => {
    const { client, sent } = recording();

    await CALLS[id].call(client);

    expect(sent).toHaveLength(1);
    const [request] = sent;
    const url = new URL(request?.url ?? '');
    expect({ method: request?.method, path: url.pathname }).toEqual({
      method: OPERATIONS[id].method,
      path: pathOf(OPERATIONS[id], CALLS[id].params),
    });
  });

  it.each(Object.entries(LOCAL_OPERATIONS))(
    'local-only %s is a method of client.local, under /_local/, and not in the document',
    (name, op) => {
      expect(typeof LocalRoutes.prototype[name as keyof LocalRoutes]).toBe('function');
      expect(op.path.startsWith('/_local/')).toBe(true);
      expect(Object.keys(paths)).not.toContain(op.path);
    },
  );
});

describe('the typed client', () => {
  it('fills path parameters URI-encoded, and refuses a missing one', () => {
    expect(pathOf(OPERATIONS.getJob, { jobId: 'a/b c' })).toBe('/jobs/a%2Fb%20c');
    expect(() => pathOf(OPERATIONS.getJob)).toThrow('needs jobId');
  });

  it('sends the token as a Bearer token and a body as JSON', async () => {
    const { client, sent } = recording();

    await client.cancelJob('tok', 'j-1', { reason: 'x' });

    expect(sent[0]?.headers).toMatchObject({
      authorization: 'Bearer tok',
      'content-type': 'application/json',
    });
    expect(sent[0]?.body).toBe('{"reason":"x"}');
  });

  it('sends a raw body as it is, with only the headers given', async () => {
    const { client, sent } = recording();

    await client.request('POST', '/jobs', { raw: '{"unitId":', headers: { 'content-type': 'text/plain' } });

    expect(sent[0]).toMatchObject({ body: '{"unitId":', headers: { 'content-type': 'text/plain' } });
  });

  it('sends the Idempotency-Key and the list query it is given', async () => {
    const { client, sent } = recording();

    await client.bookJob('t', BOOKING, { idempotencyKey: 'k-1' });
    await client.listJobs('t', { status: 'booked', limit: 5 });

    expect(sent[0]?.headers).toMatchObject({ 'idempotency-key': 'k-1' });
    expect(new URL(sent[1]?.url ?? '').search).toBe('?status=booked&limit=5');
  });

  it('sends the Idempotency-Key to every operation that takes one, and the document declares it there', async () => {
    const { client, sent } = recording();
    const rework = { appointment: APPOINTMENT };

    await client.bookJob('t', BOOKING, { idempotencyKey: 'k-1' });
    await client.fileComplaint('t', COMPLAINT, { idempotencyKey: 'k-2' });
    await client.recordCallback(
      't',
      'j-1',
      { reached: true, satisfaction: 2, issueResolved: false, rework },
      { idempotencyKey: 'k-3' },
    );

    expect(sent.map((r) => r.headers['idempotency-key'])).toEqual(['k-1', 'k-2', 'k-3']);
    expect(JSON.parse(sent[2]?.body ?? '{}')).toMatchObject({ rework });
    const keyed = Object.values(paths)
      .flatMap(
        (ops) => Object.values(ops) as Array<{ operationId?: string; parameters?: { name: string }[] }>,
      )
      .filter((op) => op.parameters?.some((p) => p.name === 'Idempotency-Key'))
      .map((op) => op.operationId);
    expect(keyed.sort()).toEqual(['bookJob', 'fileComplaint', 'recordCallback']);
  });

  it('lists complaints by the query it is given, the open queue too', async () => {
    const { client, sent } = recording();

    await client.listComplaints('t', { status: 'received', limit: 5 });
    await client.listComplaints('t', { open: true, nextToken: 'n-1' });

    expect(sent.map((r) => new URL(r.url).search)).toEqual([
      '?status=received&limit=5',
      '?open=true&nextToken=n-1',
    ]);
  });

  it('asks for the monthly report by its query, and for its CSV by Accept, whose text is the body', async () => {
    const sent: RequestInit[] = [];
    const csv = '\uFEFFtechnicianId,name\r\n';
    const client = new SigningClient('http://api.test', {
      fetch: async (url, init) => {
        sent.push({ ...init, body: url });
        return new Response(csv, { status: 200, headers: { 'content-type': 'text/csv; charset=utf-8' } });
      },
    });

    const json = await client.getMonthlyReport('t', { month: '2026-12' });
    const text = await client.getMonthlyReport('t', { month: '2026-12', property: 'B2' }, { format: 'csv' });

    expect(new URL(String(sent[0]?.body)).search).toBe('?month=2026-12');
    expect(sent[0]?.headers).not.toHaveProperty('accept');
    expect(new URL(String(sent[1]?.body)).search).toBe('?month=2026-12&property=B2');
    expect(sent[1]?.headers).toMatchObject({ accept: 'text/csv' });
    expect([json.body, text.body]).toEqual([csv, csv]);
  });

  it('signs the event it sends per Standard Webhooks, as the server verifies it', async () => {
    const { client, sent } = recording(202);

    await client.postTechnicianEvent(EVENT);

    const h = sent[0]?.headers ?? {};
    const headers = {
      id: h['webhook-id'],
      timestamp: h['webhook-timestamp'],
      signature: h['webhook-signature'],
    };
    expect(sent[0]?.body).toBe(JSON.stringify(EVENT));
    expect(verifySignature(headers, JSON.stringify(EVENT), [SECRET], Math.floor(Date.now() / 1000))).toMatch(
      /^msg_/,
    );
  });

  it('signs a raw body as it is, with the webhook-id given', async () => {
    const { client, sent } = recording(202);
    const now = Math.floor(Date.now() / 1000);

    await client.postTechnicianEvent(EVENT, { raw: '{"a":1}', id: 'msg_1' });

    const h = sent[0]?.headers ?? {};
    const headers = {
      id: h['webhook-id'],
      timestamp: h['webhook-timestamp'],
      signature: h['webhook-signature'],
    };
    expect(verifySignature(headers, '{"a":1}', [SECRET], now)).toBe('msg_1');
    expect(h['content-type']).toBe('application/json');
  });

  it('tells a success from problem details by ok, and expectStatus throws with the problem', async () => {
    const problem = { type: 'about:blank', title: 'Conflict', status: 409, detail: 'Job j-1 is closed' };
    const { client } = recording(409, problem);

    const reply = await client.getJob('t', 'j-1');

    expect(reply).toMatchObject({ ok: false, status: 409, body: problem });
    expect(() => expectStatus(reply, 200, 'GET /jobs/j-1')).toThrow(UnexpectedReply);
    expect(() => expectStatus(reply)).toThrow('answered 409: {"type":"about:blank"');
  });
});

test('the client, the OpenAPI document and the route table name the same routes', () => {
  const key = (r: { method: string; path: string }) => `${r.method} ${r.path}`;
  const routes = ROUTES.map(key).sort();

  expect(Object.values(OPERATIONS).map(key).sort()).toEqual(routes);
  expect(documented.map(key).sort()).toEqual(routes);
});
