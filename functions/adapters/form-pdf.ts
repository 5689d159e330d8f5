import { readFile } from 'node:fs/promises';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, type PDFFont, type PDFPage, rgb } from 'pdf-lib';
import type { RepairForm } from '../domain/form-words';
import type { FormRenderer } from '../domain/ports';

// The repair form laid out on A4 with pdf-lib. The font is a GB2312 cut of Noto Sans SC
// (functions/adapters/fonts/, 2 MB) read once per process; each PDF embeds only the glyphs it
// prints (subset), so a form is tens of KB. A character outside the cut prints as a blank box.

const A4 = [595.28, 841.89] as const;
const MARGIN = 48;
const LABEL_WIDTH = 120;
const SIZE = { title: 18, subtitle: 10, heading: 12, text: 10, footer: 8 } as const;
const LINE = 1.45;
const INK = rgb(0.1, 0.1, 0.12);
const MUTED = rgb(0.42, 0.42, 0.46);
const RULE = rgb(0.8, 0.8, 0.84);
const SIGNATURE_BOX = { width: 220, height: 90 } as const;

/** Breaks `text` into lines of at most `width`: at spaces where a line has one, else between characters (CJK). */
export function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.replace(/\t/g, ' ').split(/\r?\n/)) {
    let line = '';
    for (const ch of paragraph) {
      const next = line + ch;
      if (font.widthOfTextAtSize(next, size) <= width || !line) {
        line = next;
        continue;
      }
      const space = line.lastIndexOf(' ');
      if (ch !== ' ' && space > 0) {
        lines.push(line.slice(0, space));
        line = line.slice(space + 1) + ch;
      } else {
        lines.push(line);
        line = ch === ' ' ? '' : ch;
      }
    }
    lines.push(line);
  }
  return lines;
}

/** Draws top-down, adding a page whenever the next block would not fit. */
class Cursor {
  page: PDFPage;
  y: number;

  constructor(private readonly doc: PDFDocument) {
    this.page = doc.addPage([...A4]);
    this.y = A4[1] - MARGIN;
  }

  /** Room for `height` below the cursor, on this page or a new one. */
  need(height: number) {
    if (this.y - height >= MARGIN + SIZE.footer * 3) return;
    this.page = this.doc.addPage([...A4]);
    this.y = A4[1] - MARGIN;
  }
}

export function pdfFormRenderer(fontFile: string): FormRenderer {
  let fontBytes: Promise<Buffer> | null = null;
  return {
    async render(form: RepairForm): Promise<Uint8Array> {
      fontBytes ??= readFile(fontFile);
      const doc = await PDFDocument.create();
      doc.registerFontkit(fontkit);
      const font = await doc.embedFont(await fontBytes, { subset: true });
      doc.setTitle(`${form.title} ${form.subtitle}`);
      doc.setLanguage(form.locale);
      doc.setCreator('home-repair');
      doc.setProducer('home-repair');

      const width = A4[0] - 2 * MARGIN;
      const c = new Cursor(doc);
      const text = (s: string, x: number, size: number, color = INK) => {
        c.page.drawText(s, { x, y: c.y - size, size, font, color });
      };

      text(form.title, MARGIN, SIZE.title);
      c.y -= SIZE.title * LINE;
      text(form.subtitle, MARGIN, SIZE.subtitle, MUTED);
      c.y -= SIZE.subtitle * LINE + 6;

      for (const section of form.sections) {
        c.need(SIZE.heading * LINE * 2 + 8);
        c.y -= 6;
        text(section.heading, MARGIN, SIZE.heading);
        c.y -= SIZE.heading * LINE;
        c.page.drawLine({
          start: { x: MARGIN, y: c.y + 3 },
          end: { x: MARGIN + width, y: c.y + 3 },
          thickness: 0.5,
          color: RULE,
        });
        c.y -= 3;
        for (const [label, value] of section.rows) {
          const lines = wrap(value, font, SIZE.text, width - LABEL_WIDTH);
          c.need(SIZE.text * LINE);
          text(label, MARGIN, SIZE.text, MUTED);
          for (const line of lines) {
            c.need(SIZE.text * LINE);
            text(line, MARGIN + LABEL_WIDTH, SIZE.text);
            c.y -= SIZE.text * LINE;
          }
        }
      }

      const png = await doc.embedPng(form.signature.png);
      const scale = Math.min(1, SIGNATURE_BOX.width / png.width, SIGNATURE_BOX.height / png.height);
      c.need(SIGNATURE_BOX.height + SIZE.text * LINE * 3 + 12);
      c.y -= 10;
      text(form.signature.label, MARGIN, SIZE.text, MUTED);
      const box = { x: MARGIN + LABEL_WIDTH, y: c.y - SIGNATURE_BOX.height, ...SIGNATURE_BOX };
      c.page.drawRectangle({ ...box, borderColor: RULE, borderWidth: 0.5 });
      // At least 1 pt each way: a 1×1 image would vanish, and is still what was signed.
      const drawn = { width: Math.max(1, png.width * scale), height: Math.max(1, png.height * scale) };
      c.page.drawImage(png, {
        x: box.x + (box.width - drawn.width) / 2,
        y: box.y + (box.height - drawn.height) / 2,
        ...drawn,
      });
      c.y -= SIGNATURE_BOX.height + 4;
      text(form.signature.caption, MARGIN + LABEL_WIDTH, SIZE.text, MUTED);

      const pages = doc.getPages();
      pages.forEach((page, i) => {
        const footer = `${form.footer}   ${i + 1}/${pages.length}`;
        page.drawText(footer, { x: MARGIN, y: MARGIN - SIZE.footer, size: SIZE.footer, font, color: MUTED });
      });
      return doc.save();
    },
  };
}
