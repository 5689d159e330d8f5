import {
  DeleteObjectCommand,
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Bucket, Files, UploadRules } from '../domain/ports';
import type { UploadForm } from '../domain/types';

// The buckets on S3 (and on s3rver locally, through the same client with an endpoint).

export class S3Files implements Files {
  constructor(
    private readonly client: S3Client,
    private readonly buckets: Readonly<Partial<Record<Bucket, string>>>,
  ) {}

  /** The bucket's name; a function not told it (no PHOTOS_BUCKET / FORMS_BUCKET) is a deployment bug. */
  private name(bucket: Bucket): string {
    const name = this.buckets[bucket];
    if (!name) throw new Error(`This function has no ${bucket} bucket`);
    return name;
  }

  async uploadForm(bucket: Bucket, key: string, rules: UploadRules): Promise<UploadForm> {
    // S3 refuses a POST outside the policy: another key, type, or a size outside the range.
    const { url, fields } = await createPresignedPost(this.client, {
      Bucket: this.name(bucket),
      Key: key,
      Fields: { 'Content-Type': rules.contentType },
      Conditions: [
        ['eq', '$Content-Type', rules.contentType],
        ['content-length-range', 1, rules.maxBytes],
      ],
      Expires: rules.expiresSeconds,
    });
    return { url, fields };
  }

  async put(bucket: Bucket, key: string, body: Uint8Array, contentType: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({ Bucket: this.name(bucket), Key: key, Body: body, ContentType: contentType }),
    );
  }

  async get(bucket: Bucket, key: string): Promise<{ body: Uint8Array; contentType: string } | null> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.name(bucket), Key: key }));
      const body = await out.Body?.transformToByteArray();
      return body ? { body, contentType: out.ContentType ?? 'application/octet-stream' } : null;
    } catch (e) {
      if (e instanceof NoSuchKey) return null;
      throw e;
    }
  }

  async delete(bucket: Bucket, key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.name(bucket), Key: key }));
  }

  downloadUrl(bucket: Bucket, key: string, expiresSeconds: number, filename?: string): Promise<string> {
    const command = new GetObjectCommand({
      Bucket: this.name(bucket),
      Key: key,
      ...(filename && { ResponseContentDisposition: `attachment; filename="${filename}"` }),
    });
    return getSignedUrl(this.client, command, { expiresIn: expiresSeconds });
  }
}
