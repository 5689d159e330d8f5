import { assertCanRead, authorize } from './access';
import { decideAndCommit, jobWrite } from './commits';
import { NotFoundError } from './errors';
import { formKey, sha256Hex } from './form-files';
import { repairFormOf } from './form-words';
import { commit, type Decision } from './lifecycle';
import type { Ports } from './ports';
import type { RecordedEvent } from './recorded-events';
import type { ArchivedForm, Caller, HistoryItem, Job, StoredFile } from './types';

// The signed repair form as evidence (S12, S14, S23): the resident's signature image is kept in
// the forms bucket instead of the job's history, and once the signature has committed, the
// table's stream renders the form as a PDF, archives it and records it on the job.

/** How long a GET /jobs/{id}/form redirect works, unless the settings say otherwise. */
export const FORM_URL_SECONDS = 300;

/**
 * Writes the image a job.form_signed decision names, before that decision commits: nothing is
 * half-written (an image whose commit then fails is an orphan nobody names, harmless).
 */
export async function storeSignature(p: Ports, decision: Decision, base64Png: string): Promise<void> {
  const file = decision.job.signature;
  if (!file) return;
  await p.files.put('forms', file.key, Buffer.from(base64Png, 'base64'), 'image/png');
}

/** The signature's PNG: in the bucket, or inline (base64) in a history item written before 0.9. */
async function signatureOf(p: Ports, signed: HistoryItem): Promise<Uint8Array> {
  const s = signed.data.signature;
  if (typeof s === 'string') return Buffer.from(s, 'base64');
  const file = s as StoredFile | undefined;
  const stored = file?.key ? await p.files.get('forms', file.key) : null;
  // Written before the commit that names it: missing or altered is a fault to retry and alarm on.
  if (!stored || sha256Hex(stored.body) !== file?.sha256)
    throw new Error(`The signature image of ${signed.type} is missing or does not match its hash`);
  return stored.body;
}

/**
 * The job with its archived form: a write conditional on the version like any other (the job
 * item is written whole, so a writer that read it before must read it again), and no history
 * item: the archive is bookkeeping of the signature, which the history has, and it lands at a
 * moment of the stream's choosing, not of the visit's.
 */
const recordForm = (job: Job, form: ArchivedForm, now: Date): Decision =>
  commit(job, { ...job, form }, now, []);

/**
 * The follower of job.form_signed: renders the form, archives it and records it on the job (`form`), once.
 * A redelivered event finds the record and does nothing; one that comes after the PDF was put but
 * before its record committed (a crash between the two) records the PDF that is there, so the
 * versioned bucket never holds a second version of a form.
 */
export async function archiveForm(p: Ports, event: RecordedEvent): Promise<void> {
  if (event.subject !== 'job' || event.item.type !== 'job.form_signed') return;
  const key = formKey(event.id);
  let pdf: Uint8Array | null = null;
  await decideAndCommit(
    p,
    () => p.store.get(event.id),
    'job',
    async (job) => {
      if (job.form) return null;
      if (!pdf) pdf = (await p.files.get('forms', key))?.body ?? null;
      if (!pdf) {
        const now = p.clock.now();
        const form = repairFormOf(
          job,
          await p.store.history(job.jobId),
          await signatureOf(p, event.item),
          p.settings.timeZone,
          now,
        );
        pdf = await p.formRenderer.render(form);
        await p.files.put('forms', key, pdf, 'application/pdf');
      }
      const now = p.clock.now();
      const archived = { key, sha256: sha256Hex(pdf), bytes: pdf.length, archivedAt: now.toISOString() };
      return [jobWrite(recordForm(job, archived, now), job.version)];
    },
  );
}

/** GET /jobs/{id}/form: a short-lived URL of the archived PDF, for whoever may read the job. */
export async function formLocation(p: Ports, caller: Caller, jobId: string): Promise<string> {
  authorize(caller, 'read');
  const job = assertCanRead(await p.store.get(jobId), caller);
  if (!job.form) throw new NotFoundError(`Job ${jobId} has no archived form yet`);
  return p.files.downloadUrl('forms', job.form.key, p.settings.formUrlSeconds ?? FORM_URL_SECONDS);
}
