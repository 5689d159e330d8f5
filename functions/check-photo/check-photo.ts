import { taskHandler } from '../adapters/observability';
import type { AppPorts } from '../adapters/ports';
import { checkUpload } from '../domain/photo-cases';

/**
 * What EventBridge delivers for S3's "Object Created" (the rule in lib/ admits the photos bucket's
 * uploads/ keys only); the local stack builds the same from s3rver's notification.
 */
export interface ObjectCreatedEvent {
  source: 'aws.s3';
  'detail-type': 'Object Created';
  detail: { bucket: { name: string }; object: { key: string; size: number } };
}

/** The content check of an uploaded photo (functions/domain/photo-cases.ts checkUpload). */
export const checkPhotoHandler = (p: AppPorts) =>
  taskHandler(p.observability, async (event: ObjectCreatedEvent) => {
    const { key } = event.detail.object;
    return { key, result: await checkUpload(p, key) };
  });
