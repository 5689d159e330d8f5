import { expectStatus, type PhotoUpload } from '../client/api-client';
import { jpeg } from '../test/support/images';
import type { Ctx, Technician } from './demo-cast';

// The first job's evidence, read back as an owners' association would: its photos (the
// resident's without its GPS position), its signed form archived as a PDF (GET /jobs/{id}/form
// redirects to it) and its history checked against its hash chain.

/** A phone photo with its Exif GPS position, as a camera writes it; the same file for every upload. */
const PHOTO = jpeg({ orientation: 6, jfif: true });
const ANNOUNCED = { contentType: 'image/jpeg', bytes: PHOTO.bytes.length } as const;

/** What a browser or the technician's app does with a presigned POST: the fields, then the file. */
async function upload(form: PhotoUpload['upload']): Promise<void> {
  const body = new FormData();
  for (const [k, v] of Object.entries(form.fields)) body.append(k, v);
  body.append('file', new Blob([Buffer.from(PHOTO.bytes)], { type: ANNOUNCED.contentType }));
  const r = await fetch(form.url, { method: 'POST', body });
  if (!r.ok) throw new Error(`the photo's upload answered ${r.status}`);
}

/** The resident attaches a photo of the fault to the job just booked (POST /jobs/{id}/photos). */
export async function residentPhoto(ctx: Ctx, token: string, who: string, jobId: string): Promise<void> {
  const reply = await ctx.api.addJobPhoto(token, jobId, ANNOUNCED);
  await upload(expectStatus(reply, 201, `POST /jobs/${jobId}/photos`).upload);
  const { status } = await ctx.api.job(jobId, ctx.agent);
  const what = `attaches a photo of the fault (${PHOTO.bytes.length} bytes, its GPS position in the Exif)`;
  ctx.tl.line(await ctx.api.now(), `resident ${who}`, what, status);
}

/** The technician's app uploads a photo (POST /webhooks/technician/uploads, signed); its id is named in the next event. */
export async function technicianPhoto(ctx: Ctx, tech: Technician, jobId: string): Promise<string> {
  const reply = await ctx.api.postTechnicianUpload({ jobId, technicianId: tech.id, ...ANNOUNCED });
  const { photoId, upload: form } = expectStatus(reply, 201, 'POST /webhooks/technician/uploads');
  await upload(form);
  return photoId;
}

export async function verifyEvidence(ctx: Ctx, jobId: string): Promise<void> {
  const { api, tl, checks } = ctx;
  tl.heading('Evidence (GET /jobs/{id}, GET /jobs/{id}/form, GET /jobs/{id}/history/verify)');
  const { photos } = expectStatus(await api.getJob(ctx.agent, jobId), 200, `GET /jobs/${jobId}`);
  const kinds = photos.map((p) => `${p.kind}/${p.state}`).sort();
  tl.note(`Job 1's photos: ${kinds.join(', ')}`);
  checks.equal(
    "job 1: its photos, the resident's and the technician's before and after, all checked",
    kinds,
    ['after/accepted', 'before/accepted', 'resident/accepted'],
  );
  const shown = photos.find((p) => p.kind === 'resident')?.url;
  const served = shown ? Buffer.from(await (await fetch(shown)).arrayBuffer()) : Buffer.alloc(0);
  checks.check(
    "job 1: the resident's photo is served to staff without its GPS position (S22)",
    served.subarray(0, 2).equals(Buffer.from([0xff, 0xd8])) &&
      PHOTO.gps.length > 0 &&
      served.indexOf(Buffer.from(PHOTO.gps)) === -1,
  );

  const form = await api.getJobForm(ctx.agent, jobId);
  const location = form.headers.get('location');
  const pdf = location ? await fetch(location) : undefined;
  const bytes = pdf?.ok ? Buffer.from(await pdf.arrayBuffer()) : Buffer.alloc(0);
  tl.note(
    `Job 1's form: ${form.status} → ${pdf?.headers.get('content-type') ?? 'nothing'}, ${bytes.length} bytes`,
  );
  checks.equal('job 1: its signed form is archived (302 to the PDF)', form.status, 302);
  checks.check(
    'job 1: the archived form is a PDF',
    pdf?.headers.get('content-type') === 'application/pdf' && bytes.subarray(0, 5).toString() === '%PDF-',
  );

  const chain = expectStatus(
    await api.verifyJobHistory(ctx.agent, jobId),
    200,
    `GET /jobs/${jobId}/history/verify`,
  );
  const history = await api.history(jobId, ctx.agent);
  const said = chain.valid
    ? `verified, head ${chain.head}`
    : `broken at item ${chain.brokenAt}: ${chain.reason}`;
  tl.note(`Job 1's history: ${chain.items} items, ${said}`);
  checks.check(
    'job 1: its history verifies against its hash chain, every item',
    chain.valid && chain.items === history.length,
  );
}
