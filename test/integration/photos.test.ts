import type { PhotoUpload, PhotoView } from '../../client/api-client';
import { uploadKey } from '../../functions/domain/photos';
import type { LocalStack } from '../../local/stack';
import { type Client, drive, EVENT_DATA, urgentBooking } from '../support/client';
import { indexOfBytes, jpeg, png } from '../support/images';
import { testStack } from '../support/stack';

// Photos on the local stack: the API hands out an S3 presigned POST, the file goes over real HTTP
// to s3rver, its object-created notification runs check-photo as EventBridge would on AWS, and
// the job lists the checked copy with a short-lived URL.

let stack: LocalStack;
let client: Client;
let resident: string;
let manager: string;

beforeAll(async () => {
  ({ stack, client } = await testStack({ clockSpeed: 0 }));
  resident = await client.token('r-1', 'resident');
  manager = await client.token('m-1', 'manager');
});
afterAll(() => stack?.stop());

async function book(): Promise<string> {
  const r = await client.bookJob(resident, urgentBooking() as never);
  if (r.status !== 201) throw new Error(`booking answered ${r.status}`);
  return (r.body as { jobId: string }).jobId;
}

/** What a browser does with the form: its fields, then the file, as multipart/form-data. */
async function postForm(upload: PhotoUpload['upload'], file: Uint8Array, type: string): Promise<number> {
  const form = new FormData();
  for (const [k, v] of Object.entries(upload.fields)) form.append(k, v);
  form.append('file', new Blob([Buffer.from(file)], { type }));
  return (await fetch(upload.url, { method: 'POST', body: form })).status;
}

async function photosOf(token: string, jobId: string): Promise<PhotoView[]> {
  const r = await client.getJob(token, jobId);
  if (!r.ok) throw new Error(`GET /jobs/${jobId} answered ${r.status}`);
  return r.body.photos;
}

describe("a resident's photo", () => {
  let jobId: string;
  beforeAll(async () => {
    jobId = await book();
  });

  it('uploaded with GPS Exif through the presigned POST, is listed and served without the GPS block', async () => {
    const { bytes, gps } = jpeg({ orientation: 6, jfif: true });
    const r = await client.addJobPhoto(resident, jobId, { contentType: 'image/jpeg', bytes: bytes.length });
    expect(r.status).toBe(201);
    const { photoId, upload } = r.body as PhotoUpload;
    expect(upload.url.startsWith(stack.s3.endpoint)).toBe(true);

    expect(await postForm(upload, bytes, 'image/jpeg')).toBeLessThan(300);
    await stack.photoChecks.settle();

    const [listed, ...others] = await photosOf(manager, jobId);
    expect(others).toEqual([]);
    expect(listed).toMatchObject({ photoId, kind: 'resident', state: 'accepted', reason: null });
    const served = await fetch(listed?.url ?? '');
    expect(served.status).toBe(200);
    const body = new Uint8Array(await served.arrayBuffer());
    expect([body[0], body[1], body[2]]).toEqual([0xff, 0xd8, 0xff]);
    expect(indexOfBytes(bytes, gps)).toBeGreaterThan(0);
    expect(indexOfBytes(body, gps)).toBe(-1);
    // The upload itself is gone; only the clean copy stays.
    expect(await stack.s3.files.get('photos', uploadKey(jobId, photoId))).toBeNull();
  });

  it('that is a renamed text file declared image/jpeg is rejected and deleted', async () => {
    const text = new TextEncoder().encode('not a photo at all, just notes.txt renamed to photo.jpg');
    const r = await client.addJobPhoto(resident, jobId, { contentType: 'image/jpeg', bytes: text.length });
    const { photoId, upload } = r.body as PhotoUpload;

    expect(await postForm(upload, text, 'image/jpeg')).toBeLessThan(300);
    await stack.photoChecks.settle();

    const listed = (await photosOf(resident, jobId)).find((p) => p.photoId === photoId);
    expect(listed).toMatchObject({ state: 'rejected', reason: 'type_mismatch', url: null });
    expect(await stack.s3.files.get('photos', uploadKey(jobId, photoId))).toBeNull();
    expect(stack.metrics.get('PhotosRejected')).toBeGreaterThanOrEqual(1);
  });

  it('is refused past the 6th (409), and a bad declaration is a 400 naming the field', async () => {
    const other = await book();
    for (let i = 0; i < 6; i++)
      expect(
        (await client.addJobPhoto(resident, other, { contentType: 'image/png', bytes: 100 })).status,
      ).toBe(201);

    const seventh = await client.addJobPhoto(resident, other, { contentType: 'image/png', bytes: 100 });
    expect(seventh.status).toBe(409);

    const gif = await client.addJobPhoto(resident, other, { contentType: 'image/gif' as never, bytes: 100 });
    const huge = await client.addJobPhoto(resident, other, {
      contentType: 'image/png',
      bytes: 11 * 1024 * 1024,
    });
    expect([gif.status, huge.status]).toEqual([400, 400]);
    expect(gif.body).toMatchObject({ errors: [expect.objectContaining({ path: 'contentType' })] });
    expect(huge.body).toMatchObject({ errors: [expect.objectContaining({ path: 'bytes' })] });
  });

  it("is not another resident's to add or see (404)", async () => {
    const stranger = await client.token('r-2', 'resident');
    expect((await client.addJobPhoto(stranger, jobId, { contentType: 'image/png', bytes: 10 })).status).toBe(
      404,
    );
    expect((await client.getJob(stranger, jobId)).status).toBe(404);
  });
});

describe("the technician's before and after photos", () => {
  let jobId: string;
  const upload = (id?: string) =>
    client.postTechnicianUpload(
      { jobId, technicianId: 't-7', contentType: 'image/png', bytes: png().bytes.length },
      id ? { id } : {},
    );

  beforeAll(async () => {
    jobId = await book();
    await drive(client, jobId, ['job.accepted']);
  });

  it('come through the signed uploads route, are named in job.arrived and job.completed, and staff see them', async () => {
    const before = await upload('msg_before');
    expect(before.status).toBe(201);
    // The same delivery again answers the same photo.
    const again = await upload('msg_before');
    expect(again.status).toBe(200);
    expect((again.body as PhotoUpload).photoId).toBe((before.body as PhotoUpload).photoId);
    const beforeId = (before.body as PhotoUpload).photoId;
    expect(await postForm((before.body as PhotoUpload).upload, png().bytes, 'image/png')).toBeLessThan(300);

    const arrived = await client.hook({
      type: 'job.arrived',
      jobId,
      data: { ...(EVENT_DATA['job.arrived'] as object), photoIds: [beforeId] },
    });
    expect(arrived.status).toBe(202);
    await drive(client, jobId, ['job.diagnosed', 'job.work_started']);
    const after = (await upload()).body as PhotoUpload;
    expect(await postForm(after.upload, png().bytes, 'image/png')).toBeLessThan(300);
    const completed = await client.hook({
      type: 'job.completed',
      jobId,
      data: { ...(EVENT_DATA['job.completed'] as object), photoIds: [after.photoId] },
    });
    expect(completed.status).toBe(202);
    await stack.photoChecks.settle();

    const photos = await photosOf(manager, jobId);
    expect(photos.map((p) => [p.photoId, p.kind, p.state])).toEqual([
      [beforeId, 'before', 'accepted'],
      [after.photoId, 'after', 'accepted'],
    ]);
    const served = new Uint8Array(await (await fetch(photos[1]?.url ?? '')).arrayBuffer());
    expect(indexOfBytes(served, png().gps)).toBe(-1);
    // The resident sees their own uploads only.
    expect(await photosOf(resident, jobId)).toEqual([]);
  });

  it('refuse an unsigned request (401), another technician (403), and unknown photoIds (400 on data.photoIds)', async () => {
    const unsigned = await client.request('POST', '/webhooks/technician/uploads', {
      body: { jobId, technicianId: 't-7', contentType: 'image/png', bytes: 10 },
    });
    expect(unsigned.status).toBe(401);
    const other = await client.postTechnicianUpload({
      jobId,
      technicianId: 't-9',
      contentType: 'image/png',
      bytes: 10,
    });
    expect(other.status).toBe(403);

    const site = await client.hook({
      type: 'job.site_cleaned',
      jobId,
      data: EVENT_DATA['job.site_cleaned'],
    });
    expect(site.status).toBe(202);
    const nextJob = await book();
    await drive(client, nextJob, ['job.accepted']);
    const arrived = await client.hook({
      type: 'job.arrived',
      jobId: nextJob,
      data: { ...(EVENT_DATA['job.arrived'] as object), photoIds: ['no-such-photo'] },
    });
    expect(arrived.status).toBe(400);
    expect(arrived.body).toMatchObject({ errors: [expect.objectContaining({ path: 'data.photoIds' })] });
  });
});
