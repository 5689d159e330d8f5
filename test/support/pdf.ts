import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What a PDF reader finds in `pdf`: its page count and each page's text (pdfjs-dist, test/support/pdf-text.mjs). */
export function pdfText(pdf: Uint8Array): { pages: number; text: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'pdf-'));
  try {
    const file = join(dir, 'form.pdf');
    writeFileSync(file, pdf);
    const run = spawnSync(process.execPath, [join(__dirname, 'pdf-text.mjs'), file], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    if (run.status !== 0) throw new Error(`pdfjs could not read the PDF: ${run.stderr}`);
    return JSON.parse(run.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
