import { createHash } from 'node:crypto';
import type { StoredFile } from './types';

// The forms bucket's keys (functions/domain/forms.ts writes and reads them).

export const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** One PDF per job: a redelivered event finds it (or its record) and renders nothing again. */
export const formKey = (jobId: string) => `forms/${jobId}/form-v1.pdf`;

/**
 * Where a signature image lives: named by its own hash, so a redelivered webhook writes the same
 * object, and a second signature refused by the job's status cannot replace the first one's.
 */
export function signatureFile(jobId: string, base64Png: string): StoredFile {
  const sha256 = sha256Hex(Buffer.from(base64Png, 'base64'));
  return { key: `forms/${jobId}/signature-${sha256}.png`, sha256 };
}
