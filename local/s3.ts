import type { AddressInfo } from 'node:net';
import { S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { S3Files } from '../functions/adapters/s3-files';
import { BUCKETS, type Bucket } from '../functions/domain/ports';

// The local S3: s3rver, a real S3-compatible HTTP server, on a free port with its files under
// DATA_DIR, started and stopped with the stack. The functions reach it through the same S3 client
// (path-style, s3rver's fixed credentials); presigned URLs point at it, so a browser or a test
// uploads and downloads over real HTTP. Object-created events are passed on as S3's
// notifications are on AWS.

export const localBucketName = (bucket: Bucket) => `home-repair-${bucket}`;

export interface ObjectCreated {
  bucket: Bucket;
  key: string;
  size: number;
}

export interface LocalS3 {
  endpoint: string;
  files: S3Files;
  client: S3Client;
  /** Called for every object created by PUT, POST or COPY (S3's ObjectCreated notification). */
  onObjectCreated(listener: (event: ObjectCreated) => void): void;
  stop(): Promise<void>;
}

interface S3rverEvent {
  Records: Array<{
    eventName: string;
    s3: { bucket: { name: string }; object: { key: string; size: number } };
  }>;
}

export async function startS3(directory: string): Promise<LocalS3> {
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: BUCKETS.map((b) => ({ name: localBucketName(b), configs: [] })),
  });
  const address = (await server.run()) as AddressInfo;
  const endpoint = `http://127.0.0.1:${address.port}`;
  const client = new S3Client({
    endpoint,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  const byName = new Map(BUCKETS.map((b) => [localBucketName(b), b]));
  const listeners: Array<(event: ObjectCreated) => void> = [];
  server.on('event', (event: S3rverEvent) => {
    for (const r of event.Records) {
      const bucket = byName.get(r.s3.bucket.name);
      if (!bucket || !r.eventName.startsWith('ObjectCreated')) continue;
      const created = { bucket, key: decodeURIComponent(r.s3.object.key), size: r.s3.object.size };
      for (const listener of listeners) listener(created);
    }
  });
  const files = new S3Files(
    client,
    Object.fromEntries(BUCKETS.map((b) => [b, localBucketName(b)])) as Record<Bucket, string>,
  );
  return {
    endpoint,
    files,
    client,
    onObjectCreated: (listener) => listeners.push(listener),
    stop: async () => {
      client.destroy();
      const http = (server as unknown as { httpServer?: { closeAllConnections(): void } }).httpServer;
      const closed = server.close();
      http?.closeAllConnections();
      await closed;
    },
  };
}
