import { S3Client } from '@aws-sdk/client-s3';
import { S3Files } from '../../../functions/adapters/s3-files';

// The presigned POST's policy is what S3 enforces (the local s3rver does not): the key, the type
// and the size range the adapter asks for are read back from the policy it signed. Presigning is
// local work: no request leaves.

const client = new S3Client({
  region: 'us-east-1',
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
});
const files = new S3Files(client, { photos: 'photos-bucket' });

afterAll(() => client.destroy());

describe('the S3 upload form', () => {
  it('signs a policy fixing the key, the Content-Type, 1 to maxBytes bytes and the expiry', async () => {
    const before = Date.now();
    const form = await files.uploadForm('photos', 'uploads/j-1/p-1', {
      contentType: 'image/jpeg',
      maxBytes: 2048,
      expiresSeconds: 600,
    });

    const policy = JSON.parse(Buffer.from(form.fields.Policy ?? '', 'base64').toString('utf8')) as {
      expiration: string;
      conditions: unknown[];
    };
    expect(form.url).toContain('photos-bucket');
    expect(form.fields).toMatchObject({ key: 'uploads/j-1/p-1', 'Content-Type': 'image/jpeg' });
    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        { bucket: 'photos-bucket' },
        { key: 'uploads/j-1/p-1' },
        ['eq', '$Content-Type', 'image/jpeg'],
        ['content-length-range', 1, 2048],
      ]),
    );
    const expires = Date.parse(policy.expiration) - before;
    expect(expires).toBeGreaterThan(595_000);
    expect(expires).toBeLessThanOrEqual(601_000);
  });

  it('refuses a bucket the function was not told', () => {
    expect(() => files.downloadUrl('forms', 'x', 60)).toThrow('no forms bucket');
  });
});
