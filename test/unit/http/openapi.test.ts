import { readFileSync } from 'node:fs';
import { investigate, onComplaintTimer, receiveComplaint } from '../../../functions/domain/complaints';
import { ALERT_SEVERITY } from '../../../functions/domain/types';
import { toComplaintView, toJobView } from '../../../functions/domain/views';
import { openApiDocument } from '../../../functions/http/openapi';
import { handler } from '../../../functions/openapi/handler';
import { OPENAPI_FILE, renderOpenApi } from '../../../scripts/build-openapi';
import {
  AGENT,
  at,
  DAY,
  defined,
  HOUR,
  JOB_VIEW_FIELDS,
  MANAGER,
  makeJob,
  NOW,
  policyFrom,
  RESIDENT,
  STAFF_ONLY_FIELDS,
} from '../support/fixtures';

interface ObjectSchema {
  required: string[];
  properties: Record<string, { description?: string; items?: { properties: { type: { enum: string[] } } } }>;
}
const schemas = openApiDocument().components.schemas as unknown as Record<string, ObjectSchema>;
const sorted = (o: object) => Object.keys(o).sort();
const COMPLAINT = defined(schemas.Complaint, 'the Complaint schema');
const JOB = defined(schemas.Job, 'the Job schema');

test('the served openapi.json is the one the zod schemas generate (run npm run openapi)', () => {
  expect(readFileSync(OPENAPI_FILE, 'utf8')).toBe(renderOpenApi());
});

test('the handler serves it as JSON that clients may cache', async () => {
  const reply = await handler();
  expect(reply.statusCode).toBe(200);
  expect(reply.headers).toMatchObject({ 'content-type': 'application/json' });
  expect(JSON.parse(reply.body ?? '')).toEqual(JSON.parse(renderOpenApi()));
});

test("the Job schema names exactly the Job view's fields, each required but the staff-only laborWaived", () => {
  const schema = openApiDocument().components.schemas.Job;

  expect(Object.keys(schema.properties).sort()).toEqual([...JOB_VIEW_FIELDS].sort());
  expect([...schema.required].sort()).toEqual(
    JOB_VIEW_FIELDS.filter((f) => !STAFF_ONLY_FIELDS.includes(f)).sort(),
  );
});

test("the Job schema's links name exactly the links of a real job's view", () => {
  const links = JOB.properties.links as unknown as ObjectSchema;
  const view = toJobView(makeJob(), RESIDENT);

  expect(sorted(links.properties)).toEqual(sorted(view.links));
  expect([...links.required].sort()).toEqual(sorted(view.links));
});

describe('the Complaint schema against the views of a real complaint (receiveComplaint, investigate)', () => {
  const received = receiveComplaint(
    { jobId: 'job-1', category: 'conduct', description: 'The technician was rude' },
    RESIDENT,
    'c-1',
    NOW,
    policyFrom(),
    makeJob(),
  ).complaint;
  const investigated = investigate(
    received,
    AGENT,
    { findings: 'Confirmed', cause: 'A rushed visit', handler: 'Zhang Min', result: 'Apologised' },
    at(NOW, HOUR),
  ).complaint;
  const staff = toComplaintView(investigated, MANAGER);
  const resident = toComplaintView(investigated, RESIDENT);

  it("names exactly the staff view's fields, and requires exactly those a resident's view has", () => {
    expect(sorted(COMPLAINT.properties)).toEqual(sorted(staff));
    expect([...COMPLAINT.required].sort()).toEqual(sorted(resident));
  });

  it("names the investigation's fields as staff see them, and requires what a resident sees of it", () => {
    const schema = COMPLAINT.properties.investigation as unknown as ObjectSchema;

    expect(sorted(schema.properties)).toEqual(sorted(defined(staff.investigation)));
    expect([...schema.required].sort()).toEqual(sorted(defined(resident.investigation)));
  });

  it('requires every field of its sla', () => {
    const schema = COMPLAINT.properties.sla as unknown as ObjectSchema;

    expect(sorted(schema.properties)).toEqual(sorted(staff.sla));
    expect([...schema.required].sort()).toEqual(sorted(staff.sla));
  });

  it("names the alert types a complaint's missed deadlines queue", () => {
    const missed = defined(onComplaintTimer(received, at(NOW, 3 * DAY))).complaint;
    const queued = (toComplaintView(missed, AGENT).alerts ?? []).map((a) => a.type);
    const types = defined(COMPLAINT.properties.alerts?.items).properties.type.enum;

    expect(queued.length).toBeGreaterThan(0);
    expect(types).toEqual(expect.arrayContaining(queued));
  });
});

test('the Job and Complaint alert enums, together, name every alert the domain queues, each once', () => {
  const enumOf = (s: ObjectSchema) => defined(s.properties.alerts?.items).properties.type.enum;

  expect([...enumOf(JOB), ...enumOf(COMPLAINT)].sort()).toEqual(Object.keys(ALERT_SEVERITY).sort());
});

test.each([
  ['Job', JOB],
  ['Complaint', COMPLAINT],
  ['Complaint investigation', COMPLAINT.properties.investigation as unknown as ObjectSchema],
])('every field the %s schema does not require says it is staff only', (_name, schema) => {
  const optional = Object.entries(schema.properties).filter(([f]) => !schema.required.includes(f));

  expect(optional.length).toBeGreaterThan(0);
  for (const [field, s] of optional) expect(`${field}: ${s.description}`).toMatch(/\(staff only\)/);
});
