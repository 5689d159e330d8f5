import { createHash } from 'node:crypto';
import type { LocalStack } from '../../local/stack';
import { type Client, EVENT_DATA, urgentBooking } from '../support/client';
import { pdfText } from '../support/pdf';
import { testStack } from '../support/stack';

// The signed repair form as a document on the local stack: the real handlers, DynamoDB Local's
// stream, pdf-lib with the committed font, s3rver, presigned URLs that expire for real.

const URL_SECONDS = 2;
const SIGNATURE = EVENT_DATA['job.form_signed'] as { signerName: string; signature: string };

let stack: LocalStack;
let client: Client;
let resident: string;
let agent: string;
let manager: string;

beforeAll(async () => {
  ({ stack, client } = await testStack({ settings: { formUrlSeconds: URL_SECONDS } }));
  resident = await client.token('r-1001', 'resident');
  agent = await client.token('a-1', 'agent');
  manager = await client.token('m-1', 'manager');
});
afterAll(() => stack?.stop());

async function hook(jobId: string, type: string, data: unknown = EVENT_DATA[type]) {
  const r = await client.hook({ type, jobId, data });
  expect(r.status).toBe(202);
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

test('a signed job gets its form archived as a PDF, readable in Chinese through a redirect that expires', async () => {
  const booked = await client.book(
    resident,
    urgentBooking({ description: '厨房水龙头漏水', locale: 'zh-CN' }),
  );
  expect(booked.status).toBe(201);
  const jobId: string = booked.body.jobId;
  await stack.workflow.settle();
  expect((await client.getJobForm(resident, jobId)).status).toBe(404);

  await hook(jobId, 'job.accepted');
  await hook(jobId, 'job.arrived');
  await hook(jobId, 'job.diagnosed', {
    fault: '水龙头阀芯损坏',
    covered: false,
    quote: { labor: 50, parts: 12.5, currency: 'CNY' },
    residentAcknowledged: true,
  });
  await hook(jobId, 'job.work_started');
  await hook(jobId, 'job.completed', {
    testedWithResident: true,
    explanation: { cause: '阀芯磨损', fix: '更换阀芯', advice: '关水时不要用力过猛' },
  });
  await hook(jobId, 'job.site_cleaned');
  await hook(jobId, 'job.form_signed', { ...SIGNATURE, signerName: '李娜' });
  await stack.workflow.settle();
  await stack.streams.settle();

  const redirect = await client.getJobForm(resident, jobId);
  expect(redirect.status).toBe(302);
  const location = redirect.headers.get('location') ?? '';
  const res = await fetch(location);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/pdf');
  const pdf = new Uint8Array(await res.arrayBuffer());
  const text = pdfText(pdf).text.join(' ');
  for (const printed of ['维修服务单', '厨房水龙头漏水', '水龙头阀芯损坏', '¥62.50 CNY', '更换阀芯', '李娜'])
    expect(text).toContain(printed);

  // The job names the PDF it archived; staff in scope are redirected too, another resident is not.
  const job = (await client.getJob(manager, jobId)).body as { form: unknown };
  expect(job.form).toEqual({ archivedAt: expect.any(String), sha256: sha256(pdf), bytes: pdf.length });
  expect((await client.getJobForm(agent, jobId)).status).toBe(302);
  expect((await client.getJobForm(manager, jobId)).status).toBe(302);
  const stranger = await client.token('r-2002', 'resident');
  expect((await client.getJobForm(stranger, jobId)).status).toBe(404);

  // The signature moved out of the job: its key and hash stay, the image is in the forms bucket.
  const stored = await stack.ports.store.get(jobId);
  const history = await stack.ports.store.history(jobId);
  expect(JSON.stringify([stored, history])).not.toContain(SIGNATURE.signature);
  const image = await stack.s3.files.get('forms', stored?.signature?.key ?? '');
  expect(Buffer.from(image?.body ?? []).toString('base64')).toBe(SIGNATURE.signature);
  expect(sha256(image?.body ?? new Uint8Array())).toBe(stored?.signature?.sha256);

  // A redirect is short-lived: the same URL is refused once its seconds are up.
  await new Promise((resolve) => setTimeout(resolve, (URL_SECONDS + 1.5) * 1000));
  expect((await fetch(location)).status).toBe(403);
});
