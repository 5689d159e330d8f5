import { randomUUID } from 'node:crypto';
import { assertCanRead, authorize } from './access';
import { bodyHash, decideAndCommit, jobWrite } from './commits';
import { NotFoundError } from './errors';
import { inspectPhoto } from './photo-bytes';
import { addPhoto, type CheckOutcome, recordCheck, type Uploader } from './photo-decisions';
import {
  DOWNLOAD_SECONDS,
  type PhotoUpload,
  photoKey,
  photosOf,
  toPhotoView,
  UPLOAD_SECONDS,
  uploadKey,
  uploadOf,
  visiblePhotos,
} from './photos';
import type { Ports, Receipt } from './ports';
import { ReceiptExistsError } from './ports';
import type { PhotoRequest, TechnicianUploadRequest } from './schemas';
import type { Caller, Job, Photo } from './types';

// The photos' use cases: a pending photo and its presigned POST (resident or technician), the
// content check after the upload, and the job's photos with short-lived URLs.

/** The presigned POST of a pending photo: its key, its declared type, at most its declared size. */
const formFor = async (p: Ports, jobId: string, photo: Photo): Promise<PhotoUpload> => ({
  photoId: photo.photoId,
  upload: await p.files.uploadForm('photos', uploadKey(jobId, photo.photoId), {
    contentType: photo.contentType,
    maxBytes: photo.bytes,
    expiresSeconds: UPLOAD_SECONDS,
  }),
});

/** Adds a pending photo to the job and answers its upload form; the receipt, if any, in the same commit. */
async function announcePhoto(
  p: Ports,
  jobId: string,
  check: (job: Job) => Job,
  who: Uploader,
  req: PhotoRequest,
  receipt?: (photoId: string) => Receipt,
): Promise<PhotoUpload> {
  const photoId = randomUUID();
  const r = await decideAndCommit(
    p,
    () => p.store.get(jobId),
    'job',
    (job) => [jobWrite(addPhoto(check(job), who, req, photoId, p.clock.now()), job.version)],
    receipt && (() => receipt(photoId)),
  );
  const photo = photosOf((r.writes[0] as { decision: { job: Job } }).decision.job).find(
    (x) => x.photoId === photoId,
  ) as Photo;
  return formFor(p, jobId, photo);
}

/** POST /jobs/{id}/photos: the owner resident's photo of the fault. */
export async function addResidentPhoto(
  p: Ports,
  caller: Caller,
  jobId: string,
  body: PhotoRequest,
): Promise<PhotoUpload> {
  authorize(caller, 'add_photo');
  const who: Uploader = { by: 'resident', id: caller.sub, actor: `resident:${caller.sub}` };
  return announcePhoto(p, jobId, (job) => assertCanRead(job, caller), who, body);
}

/**
 * POST /webhooks/technician/uploads, signed like the technician webhook: the same for the
 * technician holding the job. A redelivery (the same webhook-id) answers the same photo with a
 * fresh form and adds none.
 */
export async function addTechnicianPhoto(
  p: Ports,
  webhookId: string,
  body: TechnicianUploadRequest,
): Promise<PhotoUpload & { redelivery: boolean }> {
  const again = async () => {
    const first = await p.store.receipt('webhook', webhookId);
    if (!first) return null;
    const { jobId, photoId } = first.result as { jobId: string; photoId: string };
    const photo = photosOf((await p.store.get(jobId)) as Job).find((x) => x.photoId === photoId);
    if (!photo) throw new NotFoundError('No such photo');
    return { redelivery: true, ...(await formFor(p, jobId, photo)) };
  };
  const seen = await again();
  if (seen) return seen;
  const { jobId, technicianId, contentType, bytes } = body;
  const who: Uploader = { by: 'technician', id: technicianId, actor: `technician:${technicianId}` };
  try {
    const upload = await announcePhoto(
      p,
      jobId,
      (job) => job,
      who,
      { contentType, bytes },
      (photoId) => ({
        kind: 'webhook',
        key: webhookId,
        bodyHash: bodyHash(body),
        result: { jobId, photoId },
      }),
    );
    return { redelivery: false, ...upload };
  } catch (e) {
    // The same delivery committed while this one was deciding.
    const first = e instanceof ReceiptExistsError ? await again() : null;
    if (!first) throw e;
    return first;
  }
}

/** What the check did with one uploaded object. */
export type CheckResult = 'accepted' | 'rejected' | 'already_checked' | 'not_an_upload' | 'orphan' | 'gone';

/**
 * An object was created in the photos bucket (S3's notification through EventBridge; locally
 * s3rver's). An upload is read, checked (size, magic bytes, structure), copied without its
 * location metadata under `photos/`, its verdict recorded on the job, and then deleted: in that
 * order, so a crash at any point leaves something a redelivery finishes, and a redelivered
 * notification of a photo already checked only deletes what is left.
 */
export async function checkUpload(p: Ports, key: string): Promise<CheckResult> {
  const named = uploadOf(key);
  // The clean copies under photos/ notify too: they are ours.
  if (!named) return 'not_an_upload';
  const { jobId, photoId } = named;
  const photo = photosOf((await p.store.get(jobId)) ?? ({} as Job)).find((x) => x.photoId === photoId);
  if (!photo) {
    // No photo was announced under this key: nobody gets to store anything here.
    p.logger.warn('upload without a photo deleted', { jobId, photoId });
    await p.files.delete('photos', key);
    return 'orphan';
  }
  if (photo.state !== 'pending') {
    await p.files.delete('photos', key);
    return 'already_checked';
  }
  const object = await p.files.get('photos', key);
  if (!object) return 'gone';
  const verdict = inspectPhoto(object.body, photo.contentType, photo.bytes);
  const outcome: CheckOutcome = verdict.ok
    ? { state: 'accepted', removed: verdict.removed }
    : { state: 'rejected', reason: verdict.reason };
  if (verdict.ok) await p.files.put('photos', photoKey(jobId, photoId), verdict.body, photo.contentType);
  await decideAndCommit(
    p,
    () => p.store.get(jobId),
    'job',
    (job) => {
      const d = recordCheck(job, photoId, outcome, p.clock.now());
      return d && [jobWrite(d, job.version)];
    },
  );
  await p.files.delete('photos', key);
  if (outcome.state === 'rejected')
    p.logger.warn('photo rejected', { jobId, photoId, reason: outcome.reason, size: object.body.length });
  return outcome.state;
}

/** The photos a caller may see of a job they may read, each accepted one with a download URL of its clean copy. */
export async function photoViews(p: Ports, job: Job, caller: Caller) {
  return Promise.all(
    visiblePhotos(job, caller).map(async (photo) =>
      toPhotoView(
        photo,
        photo.state === 'accepted'
          ? await p.files.downloadUrl('photos', photoKey(job.jobId, photo.photoId), DOWNLOAD_SECONDS)
          : null,
      ),
    ),
  );
}
