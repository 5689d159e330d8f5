import { ConflictError, ForbiddenError } from './errors';
import { entry } from './history';
import { commit, type Decision } from './lifecycle';
import type { RejectReason, Removed } from './photo-bytes';
import { holdsPlace, MAX_PHOTO_RECORDS, PHOTO_LIMITS, photosOf, UPLOAD_SECONDS } from './photos';
import type { PhotoRequest } from './schemas';
import type { Job, Photo, PhotoParty, Status } from './types';

// The decisions on a job's photos, as lifecycle.ts's on its status: a new pending photo, and the
// content check's verdict. Each is a commit of the job item (version bumped, history appended).

/** A technician from accepting the job until the form is signed (before/after photos, the visit). */
const TECHNICIAN_PHOTO_STATUSES: readonly Status[] = [
  'accepted',
  'en_route',
  'arrived',
  'diagnosed',
  'in_progress',
  'completed',
  'cleaned',
];

/** A resident adds photos to their job while it is open; after that it is evidence as it stands. */
const CLOSED: readonly Status[] = ['closed', 'cancelled', 'declined'];

export interface Uploader {
  by: PhotoParty;
  id: string;
  /** As the history names them (`resident:r-1`, `technician:t-1`). */
  actor: string;
}

/**
 * A photo is announced before it is uploaded: a pending record holds its place, and the upload's
 * key names it. The owner resident (access.ts checked them) while the job is open; the technician
 * holding the job while on it. Each party within its limit.
 */
export function addPhoto(job: Job, who: Uploader, req: PhotoRequest, photoId: string, now: Date): Decision {
  if (who.by === 'resident' && CLOSED.includes(job.status))
    throw new ConflictError(`Job ${job.jobId} is ${job.status}: no more photos`);
  if (who.by === 'technician') {
    if (job.technician?.id !== who.id)
      throw new ForbiddenError(`Job ${job.jobId} is not held by technician ${who.id}`);
    if (!TECHNICIAN_PHOTO_STATUSES.includes(job.status))
      throw new ConflictError(`Job ${job.jobId} is ${job.status}: no technician photos now`);
  }
  const photos = photosOf(job);
  const limit = PHOTO_LIMITS[who.by];
  if (photos.filter((p) => p.by === who.by && holdsPlace(p, now)).length >= limit)
    throw new ConflictError(`At most ${limit} ${who.by} photos per job`);
  if (photos.length >= MAX_PHOTO_RECORDS)
    throw new ConflictError(`Job ${job.jobId} has had ${MAX_PHOTO_RECORDS} uploads: no more`);
  const photo: Photo = {
    photoId,
    by: who.by,
    uploaderId: who.id,
    stage: null,
    contentType: req.contentType,
    bytes: req.bytes,
    state: 'pending',
    reason: null,
    requestedAt: now.toISOString(),
    uploadExpiresAt: new Date(now.getTime() + UPLOAD_SECONDS * 1000).toISOString(),
    checkedAt: null,
  };
  const h = entry('job.photo_added', now, who.actor, {
    photoId,
    by: who.by,
    contentType: req.contentType,
    bytes: req.bytes,
  });
  return commit(job, { ...job, photos: [...photos, photo] }, now, [h]);
}

export type CheckOutcome =
  | { state: 'accepted'; removed: Removed[] }
  | { state: 'rejected'; reason: RejectReason };

/**
 * The content check's verdict on a pending photo, once: a photo already checked (a redelivered
 * notification) or unknown changes nothing (null).
 */
export function recordCheck(job: Job, photoId: string, outcome: CheckOutcome, now: Date): Decision | null {
  const photos = photosOf(job);
  const photo = photos.find((p) => p.photoId === photoId);
  if (photo?.state !== 'pending') return null;
  const checked: Photo = {
    ...photo,
    state: outcome.state,
    reason: outcome.state === 'rejected' ? outcome.reason : null,
    checkedAt: now.toISOString(),
  };
  const h = entry('job.photo_checked', now, 'system', { photoId, by: photo.by, ...outcome });
  return commit(job, { ...job, photos: photos.map((p) => (p === photo ? checked : p)) }, now, [h]);
}
