// Reads a PDF's text with pdfjs-dist, as a reader would: `node pdf-text.mjs FILE` prints
// {"pages": n, "text": ["page 1's strings joined by spaces", …]}. A child process, because
// pdfjs-dist is ESM only and jest runs the tests as CommonJS (test/support/pdf.ts).
import { readFileSync } from 'node:fs';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

const data = new Uint8Array(readFileSync(process.argv[2]));
const doc = await getDocument({ data, verbosity: 0 }).promise;
const text = [];
for (let i = 1; i <= doc.numPages; i++) {
  const content = await (await doc.getPage(i)).getTextContent();
  text.push(content.items.map((item) => item.str).join(' '));
}
process.stdout.write(JSON.stringify({ pages: doc.numPages, text }));
