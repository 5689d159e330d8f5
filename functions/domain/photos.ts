import { ValidationError } from './errors';
import type { Caller, Job, Photo, PhotoParty, UploadForm } from './types';

// Photos of a job: their limits and keys, which of a technician's photos an arrival or a
// completion names, and who sees which. Adding one and recording its check are decisions
// (photo-decisions.ts); the bytes are the check's (photo-bytes.ts); the buckets are reached
// through the Files port (photo-cases.ts).

/** The presigned POST is valid 10 minutes; a download URL 5. */
export const UPLOAD_SECONDS = 10 * 60;
export const DOWNLOAD_SECONDS = 5 * 60;

/**
 * At most 6 photos of the resident's per job, and 12 of the technician's (6 before, 6 after);
 * a rejected photo, or one whose upload window passed unused, holds no place.
 */
export const PHOTO_LIMITS: Record<PhotoParty, number> = { resident: 6, technician: 12 };
/**
 * Every record counts here, rejected and expired too: it bounds the job item (each photo is
 * about 350 bytes, so 36 stay under 13 KB of DynamoDB's 400 KB), and a client that keeps
 * uploading text files runs out of tries.
 */
export const MAX_PHOTO_RECORDS = 36;

/** Where an upload lands (the presigned POST's key) and where its checked copy is served from. */
export const uploadKey = (jobId: string, photoId: string) => `${UPLOAD_PREFIX}${jobId}/${photoId}`;
export const photoKey = (jobId: string, photoId: string) => `${PHOTO_PREFIX}${jobId}/${photoId}`;

/** Where uploads land: the only keys whose creation the content check is told of. */
export const UPLOAD_PREFIX = 'uploads/';
/** Where the checked copies are served from. */
export const PHOTO_PREFIX = 'photos/';
const UPLOAD_KEY = /^uploads\/([^/]{1,64})\/([0-9a-f-]{36})$/;

/** The job and photo an uploaded object's key names, or null for any other key. */
export function uploadOf(key: string): { jobId: string; photoId: string } | null {
  const m = UPLOAD_KEY.exec(key);
  return m?.[1] && m[2] ? { jobId: m[1], photoId: m[2] } : null;
}

export const photosOf = (job: Job): Photo[] => job.photos ?? [];

/** A photo that holds one of its party's places: accepted, or pending within its upload window. */
export const holdsPlace = (p: Photo, now: Date) =>
  p.state === 'accepted' || (p.state === 'pending' && Date.parse(p.uploadExpiresAt) > now.getTime());

/**
 * The photos an arrival (before) or a completion (after) names: each must be a photo this
 * technician uploaded for this job, not rejected, not already named for the other stage. Answers
 * the job's photos with those named; any other id is a 400 on `data.photoIds`.
 */
export function namePhotos(
  job: Job,
  technicianId: string,
  photoIds: readonly string[] | undefined,
  stage: 'before' | 'after',
): Photo[] | undefined {
  if (!photoIds?.length) return job.photos;
  const photos = photosOf(job);
  const nameable = (p: Photo) =>
    p.by === 'technician' &&
    p.uploaderId === technicianId &&
    p.state !== 'rejected' &&
    (p.stage === null || p.stage === stage);
  const unknown = photoIds.filter((id) => !photos.some((p) => p.photoId === id && nameable(p)));
  if (unknown.length)
    throw new ValidationError("Not this job's photos from this technician", [
      { path: 'data.photoIds', message: `unknown or not nameable as ${stage}: ${unknown.join(', ')}` },
    ]);
  return photos.map((p) => (photoIds.includes(p.photoId) ? { ...p, stage } : p));
}

export type PhotoKind = 'resident' | 'before' | 'after' | 'technician';

export const kindOf = (p: Photo): PhotoKind => (p.by === 'resident' ? 'resident' : (p.stage ?? 'technician'));

/**
 * Whose photos a caller sees: a resident their own uploads only; staff (whose scope access.ts
 * checked on the job) every photo, pending and rejected ones too.
 */
export const visiblePhotos = (job: Job, caller: Caller): Photo[] =>
  photosOf(job).filter(
    (p) => caller.role !== 'resident' || (p.by === 'resident' && p.uploaderId === caller.sub),
  );

/** One photo as GET /jobs/{id} lists it; only an accepted one has a URL (of its clean copy, valid DOWNLOAD_SECONDS). */
export function toPhotoView(p: Photo, url: string | null) {
  return {
    photoId: p.photoId,
    kind: kindOf(p),
    contentType: p.contentType,
    state: p.state,
    reason: p.reason,
    requestedAt: p.requestedAt,
    checkedAt: p.checkedAt,
    url,
  };
}
export type PhotoView = ReturnType<typeof toPhotoView>;

/** A photo announced and its presigned POST: what POST /jobs/{id}/photos and the uploads route answer. */
export interface PhotoUpload {
  photoId: string;
  upload: UploadForm;
}
