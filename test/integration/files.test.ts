import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LocalS3, type ObjectCreated, startS3 } from '../../local/s3';

// The local buckets are a real S3-compatible server: what the functions write through the S3
// client, a browser reads and uploads over HTTP with the presigned URLs and forms they hand out.

let dir: string;
let s3: LocalS3;
const created: ObjectCreated[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'files-'));
  s3 = await startS3(dir);
  s3.onObjectCreated((e) => created.push(e));
});
afterAll(async () => {
  await s3.stop();
  rmSync(dir, { recursive: true, force: true });
});

const bytes = (text: string) => new TextEncoder().encode(text);

describe('the local buckets', () => {
  it('keep what is put and give it back with its type; a missing key is null', async () => {
    await s3.files.put('forms', 'jobs/j-1/form.pdf', bytes('%PDF-1.7 test'), 'application/pdf');

    const read = await s3.files.get('forms', 'jobs/j-1/form.pdf');
    expect(new TextDecoder().decode(read?.body)).toBe('%PDF-1.7 test');
    expect(read?.contentType).toBe('application/pdf');
    expect(await s3.files.get('forms', 'jobs/none.pdf')).toBeNull();
  });

  it('serve an object over HTTP through a presigned download URL, as the named file', async () => {
    await s3.files.put('photos', 'p/1.txt', bytes('hello'), 'text/plain');

    const res = await fetch(await s3.files.downloadUrl('photos', 'p/1.txt', 60, 'one.txt'));

    expect(res.status).toBe(200);
    expect(await res.text()).toBe('hello');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="one.txt"');
  });

  it('accept a browser upload through the presigned POST form, and tell that it was created', async () => {
    const form = await s3.files.uploadForm('photos', 'uploads/p-2', {
      contentType: 'image/png',
      maxBytes: 1024,
      expiresSeconds: 600,
    });
    const body = new FormData();
    for (const [k, v] of Object.entries(form.fields)) body.append(k, v);
    body.append('file', new Blob([bytes('not really a png')], { type: 'image/png' }));

    const res = await fetch(form.url, { method: 'POST', body });

    expect(res.status).toBeLessThan(300);
    expect(new TextDecoder().decode((await s3.files.get('photos', 'uploads/p-2'))?.body)).toBe(
      'not really a png',
    );
    expect(created).toContainEqual({ bucket: 'photos', key: 'uploads/p-2', size: 16 });
  });

  it('delete an object', async () => {
    await s3.files.put('photos', 'p/gone', bytes('x'), 'text/plain');
    await s3.files.delete('photos', 'p/gone');
    expect(await s3.files.get('photos', 'p/gone')).toBeNull();
  });
});
