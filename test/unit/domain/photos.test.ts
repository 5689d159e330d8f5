import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '../../../functions/domain/errors';
import { applyWebhook } from '../../../functions/domain/lifecycle';
import { addResidentPhoto, addTechnicianPhoto, checkUpload } from '../../../functions/domain/photo-cases';
import { addPhoto, recordCheck, type Uploader } from '../../../functions/domain/photo-decisions';
import {
  MAX_PHOTO_RECORDS,
  namePhotos,
  photoKey,
  UPLOAD_SECONDS,
  uploadKey,
  uploadOf,
  visiblePhotos,
} from '../../../functions/domain/photos';
import type { Job, Photo } from '../../../functions/domain/types';
import { getJob } from '../../../functions/domain/use-cases';
import { toHistoryView } from '../../../functions/domain/views';
import { heic, indexOfBytes, jpeg } from '../../support/images';
import { fakePorts } from '../support/fakes';
import {
  AGENT,
  at,
  defined,
  jobIn,
  MANAGER,
  MINUTE,
  NOW,
  OTHER_RESIDENT,
  OTHER_TECH_ID,
  policyFrom,
  RESIDENT,
  rejectionOf,
  TECH,
  thrownBy,
  webhookEvent,
} from '../support/fixtures';

const ME: Uploader = { by: 'resident', id: RESIDENT.sub, actor: `resident:${RESIDENT.sub}` };
const TECHNICIAN: Uploader = { by: 'technician', id: TECH.id, actor: `technician:${TECH.id}` };
const JPEG = { contentType: 'image/jpeg', bytes: 2048 } as const;
let n = 0;
const id = () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;

function photo(overrides: Partial<Photo> = {}): Photo {
  return {
    photoId: id(),
    by: 'resident',
    uploaderId: RESIDENT.sub,
    stage: null,
    contentType: 'image/jpeg',
    bytes: 2048,
    state: 'accepted',
    reason: null,
    requestedAt: NOW.toISOString(),
    uploadExpiresAt: at(NOW, 10 * MINUTE).toISOString(),
    checkedAt: NOW.toISOString(),
    ...overrides,
  };
}
const withPhotos = (job: Job, photos: Photo[]): Job => ({ ...job, photos });
const times = <T>(count: number, make: () => T) => Array.from({ length: count }, make);

describe('adding a photo', () => {
  it('adds a pending photo holding its place for the 10 minutes of its upload, with its history', () => {
    const d = addPhoto(jobIn('booked'), ME, JPEG, 'p-1', NOW);

    expect(d.job.photos).toEqual([
      expect.objectContaining({
        photoId: 'p-1',
        by: 'resident',
        state: 'pending',
        stage: null,
        uploadExpiresAt: at(NOW, UPLOAD_SECONDS * 1000).toISOString(),
      }),
    ]);
    expect(d.job.version).toBe(4);
    expect(d.history).toEqual([
      expect.objectContaining({ type: 'job.photo_added', actor: 'resident:r-1', data: expect.any(Object) }),
    ]);
  });

  it("refuses the resident's 7th photo; rejected ones and unused upload windows hold no place", () => {
    const six = withPhotos(
      jobIn('booked'),
      times(6, () => photo()),
    );
    expect(thrownBy(() => addPhoto(six, ME, JPEG, 'p-7', NOW))).toBeInstanceOf(ConflictError);

    const freed = withPhotos(jobIn('booked'), [
      ...times(4, () => photo()),
      photo({ state: 'rejected', reason: 'type_mismatch' }),
      photo({ state: 'pending', uploadExpiresAt: at(NOW, -1).toISOString() }),
    ]);
    expect(addPhoto(freed, ME, JPEG, 'p-7', NOW).job.photos).toHaveLength(7);
  });

  it("counts the technician's photos apart from the resident's, up to 12", () => {
    const job = withPhotos(
      jobIn('arrived'),
      times(6, () => photo()),
    );
    expect(addPhoto(job, TECHNICIAN, JPEG, 'p-t', NOW).job.photos).toHaveLength(7);
    const full = withPhotos(
      jobIn('arrived'),
      times(12, () => photo({ by: 'technician', uploaderId: TECH.id })),
    );
    expect(thrownBy(() => addPhoto(full, TECHNICIAN, JPEG, 'p-13', NOW))).toBeInstanceOf(ConflictError);
  });

  it('stops after 36 uploads of any outcome, so the job item stays small', () => {
    const tried = withPhotos(
      jobIn('booked'),
      times(MAX_PHOTO_RECORDS, () => photo({ state: 'rejected', reason: 'type_mismatch' })),
    );
    expect(thrownBy(() => addPhoto(tried, ME, JPEG, 'p-x', NOW))).toBeInstanceOf(ConflictError);
  });

  it('takes no resident photo on a closed, cancelled or declined job', () => {
    for (const status of ['closed', 'cancelled', 'declined'] as const)
      expect(thrownBy(() => addPhoto(jobIn(status), ME, JPEG, 'p', NOW))).toBeInstanceOf(ConflictError);
  });

  it('takes a technician photo only from the technician holding the job, while on it', () => {
    const other: Uploader = { ...TECHNICIAN, id: OTHER_TECH_ID };
    expect(thrownBy(() => addPhoto(jobIn('arrived'), other, JPEG, 'p', NOW))).toBeInstanceOf(ForbiddenError);
    expect(thrownBy(() => addPhoto(jobIn('booked'), TECHNICIAN, JPEG, 'p', NOW))).toBeInstanceOf(
      ForbiddenError,
    );
    expect(thrownBy(() => addPhoto(jobIn('signed'), TECHNICIAN, JPEG, 'p', NOW))).toBeInstanceOf(
      ConflictError,
    );
  });
});

describe("the content check's verdict", () => {
  it('is recorded once: a second verdict on the same photo changes nothing', () => {
    const pending = photo({ state: 'pending', checkedAt: null });
    const job = withPhotos(jobIn('booked'), [pending]);

    const d = defined(recordCheck(job, pending.photoId, { state: 'rejected', reason: 'type_mismatch' }, NOW));

    expect(d.job.photos?.[0]).toMatchObject({ state: 'rejected', reason: 'type_mismatch' });
    expect(d.history[0]).toMatchObject({ type: 'job.photo_checked', actor: 'system' });
    expect(recordCheck(d.job, pending.photoId, { state: 'accepted', removed: [] }, NOW)).toBeNull();
    expect(recordCheck(job, 'unknown', { state: 'accepted', removed: [] }, NOW)).toBeNull();
  });
});

describe("naming the technician's photos in job.arrived and job.completed", () => {
  const mine = photo({ by: 'technician', uploaderId: TECH.id, state: 'pending' });
  const theirs = photo({ by: 'technician', uploaderId: OTHER_TECH_ID });
  const residents = photo();
  const rejected = photo({ by: 'technician', uploaderId: TECH.id, state: 'rejected' });
  const job = withPhotos(jobIn('en_route'), [mine, theirs, residents, rejected]);

  it('marks the named photos before on arrival (pending ones too)', () => {
    const arrived = webhookEvent('job.arrived', {
      data: {
        kit: { tools: true, floorMat: true, cloth: true, shoeCovers: true },
        photoIds: [mine.photoId],
      },
    });

    const d = applyWebhook(job, arrived, NOW, policyFrom());

    expect(d.job.photos?.find((p) => p.photoId === mine.photoId)?.stage).toBe('before');
    expect(d.history.at(-1)?.data.photoIds).toEqual([mine.photoId]);
  });

  it("refuses, as a 400 on data.photoIds, an unknown id, another's photo, the resident's, a rejected one", () => {
    for (const bad of ['nope', theirs.photoId, residents.photoId, rejected.photoId]) {
      const e = thrownBy(() => namePhotos(job, TECH.id, [bad], 'before'));
      expect(e).toBeInstanceOf(ValidationError);
      expect((e as ValidationError).errors).toEqual([
        { path: 'data.photoIds', message: expect.stringContaining(bad) },
      ]);
    }
  });

  it('does not name a before photo after as well', () => {
    const named = withPhotos(job, namePhotos(job, TECH.id, [mine.photoId], 'before') ?? []);
    expect(thrownBy(() => namePhotos(named, TECH.id, [mine.photoId], 'after'))).toBeInstanceOf(
      ValidationError,
    );
  });

  it('leaves the photos alone when an event names none', () => {
    expect(namePhotos(job, TECH.id, undefined, 'after')).toBe(job.photos);
  });
});

describe('who sees which photos', () => {
  const residents = photo();
  const techs = photo({ by: 'technician', uploaderId: TECH.id, stage: 'after' });
  const job = withPhotos(jobIn('completed'), [residents, techs]);

  it('shows a resident their own uploads, staff every photo', () => {
    expect(visiblePhotos(job, RESIDENT)).toEqual([residents]);
    expect(visiblePhotos(job, AGENT)).toEqual([residents, techs]);
    expect(visiblePhotos(job, OTHER_RESIDENT)).toEqual([]);
  });

  it('gives GET /jobs/{id} a 5-minute URL of the clean copy of accepted photos only', async () => {
    const p = fakePorts();
    const pending = photo({ state: 'pending', checkedAt: null });
    p.store.put(withPhotos(job, [residents, techs, pending]));

    const view = await getJob(p, MANAGER, job.jobId);

    expect(view.photos.map((x) => [x.kind, x.state, x.url])).toEqual([
      [
        'resident',
        'accepted',
        `https://files.test/photos/${photoKey(job.jobId, residents.photoId)}?expires=300`,
      ],
      ['after', 'accepted', `https://files.test/photos/${photoKey(job.jobId, techs.photoId)}?expires=300`],
      ['resident', 'pending', null],
    ]);
    expect((await getJob(p, RESIDENT, job.jobId)).photos.map((x) => x.photoId)).toEqual([
      residents.photoId,
      pending.photoId,
    ]);
  });
});

describe('the photo use cases', () => {
  it("answer the owner's upload form: its key, the declared type, at most the declared size, 10 minutes", async () => {
    const p = fakePorts();
    p.store.put(jobIn('booked'));

    const r = await addResidentPhoto(p, RESIDENT, 'job-1', JPEG);

    expect(p.files.forms).toEqual([
      {
        bucket: 'photos',
        key: uploadKey('job-1', r.photoId),
        rules: { contentType: 'image/jpeg', maxBytes: 2048, expiresSeconds: 600 },
      },
    ]);
    expect(uploadOf(uploadKey('job-1', r.photoId))).toEqual({ jobId: 'job-1', photoId: r.photoId });
    expect(p.store.jobs.get('job-1')?.photos).toHaveLength(1);
  });

  it("refuse another resident's job (404) and staff (403), and change nothing", async () => {
    const p = fakePorts();
    p.store.put(jobIn('booked'));

    expect(await rejectionOf(addResidentPhoto(p, OTHER_RESIDENT, 'job-1', JPEG))).toBeInstanceOf(
      NotFoundError,
    );
    expect(await rejectionOf(addResidentPhoto(p, AGENT, 'job-1', JPEG))).toBeInstanceOf(ForbiddenError);
    expect(p.store.jobs.get('job-1')?.photos).toBeUndefined();
  });

  it("answer a technician's redelivered upload request with the same photo, adding none", async () => {
    const p = fakePorts();
    p.store.put(jobIn('arrived'));
    const body = { jobId: 'job-1', technicianId: TECH.id, ...JPEG };

    const first = await addTechnicianPhoto(p, 'msg_1', body);
    const again = await addTechnicianPhoto(p, 'msg_1', body);

    expect(first.redelivery).toBe(false);
    expect(again).toMatchObject({ redelivery: true, photoId: first.photoId });
    expect(p.store.jobs.get('job-1')?.photos).toHaveLength(1);
  });

  it('check an upload: a clean copy under photos/, the upload deleted, the photo accepted', async () => {
    const p = fakePorts();
    p.store.put(jobIn('booked'));
    const { photoId } = await addResidentPhoto(p, RESIDENT, 'job-1', JPEG);
    const { bytes, gps } = jpeg({ orientation: 6 });
    await p.files.put('photos', uploadKey('job-1', photoId), bytes, 'image/jpeg');

    expect(await checkUpload(p, uploadKey('job-1', photoId))).toBe('accepted');

    const copy = defined(await p.files.get('photos', photoKey('job-1', photoId)));
    expect(indexOfBytes(copy.body, gps)).toBe(-1);
    expect(copy.contentType).toBe('image/jpeg');
    expect(await p.files.get('photos', uploadKey('job-1', photoId))).toBeNull();
    expect(p.store.jobs.get('job-1')?.photos?.[0]).toMatchObject({ state: 'accepted', reason: null });
    // A redelivered notification finds it checked.
    expect(await checkUpload(p, uploadKey('job-1', photoId))).toBe('already_checked');
  });

  it('discard an upload that is not the declared type: deleted, rejected with the reason, logged and counted', async () => {
    const p = fakePorts();
    p.store.put(jobIn('booked'));
    const { photoId } = await addResidentPhoto(p, RESIDENT, 'job-1', {
      contentType: 'image/heic',
      bytes: 999,
    });
    await p.files.put('photos', uploadKey('job-1', photoId), jpeg().bytes, 'image/heic');

    expect(await checkUpload(p, uploadKey('job-1', photoId))).toBe('rejected');

    expect(p.files.objects.size).toBe(0);
    expect(p.store.jobs.get('job-1')?.photos?.[0]).toMatchObject({
      state: 'rejected',
      reason: 'type_mismatch',
    });
    expect(p.logger.lines).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        message: 'photo rejected',
        extra: expect.objectContaining({ photoId }),
      }),
    );
    expect(p.metrics.points).toContainEqual({ name: 'PhotosRejected', value: 1, type: 'type_mismatch' });
  });

  it('reject an upload larger than declared (S3 enforces it; a local server may not)', async () => {
    const p = fakePorts();
    p.store.put(jobIn('booked'));
    const file = heic().bytes;
    const { photoId } = await addResidentPhoto(p, RESIDENT, 'job-1', {
      contentType: 'image/heic',
      bytes: file.length - 1,
    });
    await p.files.put('photos', uploadKey('job-1', photoId), file, 'image/heic');

    expect(await checkUpload(p, uploadKey('job-1', photoId))).toBe('rejected');
    expect(p.store.jobs.get('job-1')?.photos?.[0]?.reason).toBe('too_large');
  });

  it('delete an object under uploads/ that no photo announced, and leave photos/ copies alone', async () => {
    const p = fakePorts();
    p.store.put(jobIn('booked'));
    const stray = uploadKey('job-1', '11111111-1111-4111-8111-111111111111');
    await p.files.put('photos', stray, jpeg().bytes, 'image/jpeg');

    expect(await checkUpload(p, stray)).toBe('orphan');
    expect(await p.files.get('photos', stray)).toBeNull();
    expect(await checkUpload(p, photoKey('job-1', 'x'))).toBe('not_an_upload');
  });
});

describe("the history of a job's photos", () => {
  it("shows a resident neither the technician's photos nor the ids an event named", () => {
    const job = jobIn('arrived');
    const added = addPhoto(job, TECHNICIAN, JPEG, 'p-t', NOW);
    const own = addPhoto(added.job, ME, JPEG, 'p-r', NOW);
    const checked = defined(recordCheck(own.job, 'p-t', { state: 'accepted', removed: [] }, NOW));
    const arrived = {
      type: 'job.arrived',
      at: NOW.toISOString(),
      actor: 'technician:t-1',
      data: { photoIds: ['p-t'] },
    };
    const items = [...added.history, ...own.history, ...checked.history, arrived];

    expect(toHistoryView(items, RESIDENT).map((h) => [h.type, h.data.photoId ?? h.data])).toEqual([
      ['job.photo_added', 'p-r'],
      ['job.arrived', {}],
    ]);
    expect(toHistoryView(items, AGENT)).toHaveLength(4);
  });
});
