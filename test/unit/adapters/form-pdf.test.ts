import { join } from 'node:path';
import { pdfFormRenderer, wrap } from '../../../functions/adapters/form-pdf';
import type { RepairForm } from '../../../functions/domain/form-words';
import { FORM_FONT } from '../../../functions/names';
import { pdfText } from '../../support/pdf';
import { VALID_PNG } from '../support/fixtures';

// The real renderer with the committed font: a PDF reader finds the Chinese text again, and the
// subset keeps the file small although the font is 2 MB.

const renderer = pdfFormRenderer(join(__dirname, '..', '..', '..', FORM_FONT));

const form = (rows: [string, string][]): RepairForm => ({
  locale: 'zh-CN',
  title: '维修服务单',
  subtitle: '工单号 job-1 · 房号 B2-1001',
  sections: [{ heading: '检查与报价', rows }],
  signature: {
    label: '签名',
    png: Buffer.from(VALID_PNG, 'base64'),
    caption: '李娜 于 11月23日 16:10 签字确认',
  },
  footer: '本单由系统于 11月23日 16:11 归档，保存两年。',
});

describe('the form PDF (pdf-lib, the GB2312 cut of Noto Sans SC)', () => {
  it('prints Chinese that a PDF reader reads back, with the signature, in a small file', async () => {
    const pdf = await renderer.render(
      form([
        ['故障', '水龙头漏水'],
        ['合计', '¥62.50 CNY'],
      ]),
    );

    expect(Buffer.from(pdf.subarray(0, 5)).toString()).toBe('%PDF-');
    const { pages, text } = pdfText(pdf);
    expect(pages).toBe(1);
    expect(text[0]).toContain('维修服务单');
    expect(text[0]).toContain('水龙头漏水');
    expect(text[0]).toContain('¥62.50 CNY');
    expect(text[0]).toContain('李娜 于 11月23日 16:10 签字确认');
    // The subset: tens of KB, not the font's 2 MB.
    expect(pdf.length).toBeLessThan(60_000);
  });

  it('wraps a long text and turns the page when the form runs long', async () => {
    const long = '厨房水槽下方的管道接头松动导致漏水，已更换密封圈并重新紧固。'.repeat(8);
    const pdf = await renderer.render(
      form(Array.from({ length: 40 }, (_, i) => [`第${i + 1}项`, long] as [string, string])),
    );

    const { pages, text } = pdfText(pdf);
    expect(pages).toBeGreaterThan(1);
    expect(text.join(' ')).toContain('第40项');
    expect(text.at(-1)).toContain(`${pages}/${pages}`);
  });
});

describe('wrap', () => {
  const font = { widthOfTextAtSize: (s: string, size: number) => [...s].length * size } as never;

  it('breaks Latin text at spaces and Chinese between characters', () => {
    expect(wrap('the tap drips here', font, 1, 8)).toEqual(['the tap', 'drips', 'here']);
    expect(wrap('水龙头漏水了', font, 1, 4)).toEqual(['水龙头漏', '水了']);
  });

  it('keeps the lines a text was typed with', () => {
    expect(wrap('第一行\n第二行', font, 1, 10)).toEqual(['第一行', '第二行']);
  });
});
