import { formKey, sha256Hex, signatureFile } from '../../../functions/domain/form-files';
import { type RepairForm, repairFormOf } from '../../../functions/domain/form-words';
import { archiveForm, formLocation } from '../../../functions/domain/forms';
import type { RecordedEvent } from '../../../functions/domain/recorded-events';
import type { HistoryItem, Job } from '../../../functions/domain/types';
import { technicianEvent } from '../../../functions/domain/use-cases';
import { type FakePorts, fakePorts } from '../support/fakes';
import {
  AGENT,
  iso,
  jobIn,
  MANAGER,
  MINUTE,
  NOW,
  OTHER_RESIDENT,
  RESIDENT,
  VALID_PNG,
  webhookEvent,
} from '../support/fixtures';

// The signed form as a document: the signature image moves to the forms bucket before the commit
// that names it; the stream's follower renders and archives the PDF once; GET /jobs/{id}/form.

let p: FakePorts;
beforeEach(() => {
  p = fakePorts();
});

const PNG = Buffer.from(VALID_PNG, 'base64');

function history(signature: unknown): HistoryItem[] {
  const tech = 'technician:t-1';
  return [
    { type: 'job.booked', at: iso(NOW), actor: 'resident:r-1', data: {} },
    {
      type: 'job.arrived',
      at: iso(NOW, 20 * MINUTE),
      actor: tech,
      data: { kit: { tools: true, floorMat: true, cloth: false, shoeCovers: true } },
    },
    {
      type: 'job.completed',
      at: iso(NOW, 60 * MINUTE),
      actor: tech,
      data: {
        testedWithResident: true,
        explanation: { cause: '阀芯磨损', fix: '更换阀芯和密封圈', advice: '关水时不要用力过猛' },
        laborWaived: true,
      },
    },
    {
      type: 'job.site_cleaned',
      at: iso(NOW, 65 * MINUTE),
      actor: tech,
      data: { siteClean: true, belongingsRestored: true },
    },
    {
      type: 'job.form_signed',
      at: iso(NOW, 70 * MINUTE),
      actor: tech,
      data: { signerName: '李娜', signature },
    },
  ];
}

function signedJob(overrides: Partial<Job> = {}): Job {
  return jobIn('signed', {
    description: '厨房水龙头漏水',
    quote: { labor: 50, parts: 12.5, currency: 'CNY', covered: false, fault: '水龙头阀芯损坏' },
    laborWaived: true,
    workStartedAt: iso(NOW, 30 * MINUTE),
    completedAt: iso(NOW, 60 * MINUTE),
    signedAt: iso(NOW, 70 * MINUTE),
    signature: signatureFile('job-1', VALID_PNG),
    version: 9,
    ...overrides,
  });
}

const rowsOf = (form: RepairForm) => Object.fromEntries(form.sections.flatMap((s) => s.rows));

describe('the repair form in words (repairFormOf)', () => {
  it('prints the job, fault, quote, coverage, kit, test, explanation, cleanup and signer in Chinese', () => {
    const form = repairFormOf(signedJob({ locale: 'zh-CN' }), history({}), PNG, 'Asia/Shanghai', NOW);

    expect(form.title).toBe('维修服务单');
    expect(form.sections.map((s) => s.heading)).toEqual([
      '报修信息',
      '上门',
      '检查与报价',
      '维修',
      '清理',
      '住户签字',
    ]);
    expect(rowsOf(form)).toMatchObject({
      住户描述: '厨房水龙头漏水',
      类别: '水路',
      故障: '水龙头阀芯损坏',
      保修: '不在保修范围内',
      人工费: '¥50.00',
      材料费: '¥12.50',
      合计: '¥62.50 CNY',
      随身工具: '✓ 工具   ✓ 地垫   × 抹布   ✓ 鞋套',
      当面测试: '已与住户当面测试',
      原因: '阀芯磨损',
      处理: '更换阀芯和密封圈',
      建议: '关水时不要用力过猛',
      现场已清理: '是',
      物品已归位: '是',
      签字人: '李娜',
      维修人员: 'Wang Wei (t-1)',
    });
    expect(form.signature.png).toEqual(PNG);
    expect(form.signature.caption).toContain('李娜');
  });

  it('prints the same form in English for an English-speaking resident', () => {
    const form = repairFormOf(signedJob({ locale: 'en' }), history({}), PNG, 'Asia/Shanghai', NOW);

    expect(form.title).toBe('Repair service form');
    expect(rowsOf(form)).toMatchObject({
      Fault: '水龙头阀芯损坏',
      Coverage: 'Not covered by the warranty',
      Labour: '¥50.00',
      Total: '¥62.50 CNY',
      'Kit brought': '✓ tools   ✓ floor mat   × cloth   ✓ shoe covers',
      Test: 'Tested in front of the resident',
      'Site left clean': 'yes',
      'Signed by': '李娜',
    });
    expect(form.footer).toMatch(/two years/);
  });

  it.each(['zh-CN', 'en'] as const)('never prints the staff-only S1 waiver (%s)', (locale) => {
    const form = repairFormOf(signedJob({ locale }), history({}), PNG, 'Asia/Shanghai', NOW);
    expect(JSON.stringify(form.sections)).not.toMatch(/waive|免/i);
  });
});

describe('the signature moves out of the job item (job.form_signed)', () => {
  beforeEach(() => {
    p.store.put(jobIn('cleaned', { version: 4 }));
  });

  it('puts the PNG in the forms bucket under its hash and keeps only the key and SHA-256', async () => {
    await technicianEvent(p, 'msg-1', webhookEvent('job.form_signed'));

    const expected = { key: `forms/job-1/signature-${sha256Hex(PNG)}.png`, sha256: sha256Hex(PNG) };
    expect(p.files.objects.get(`forms/${expected.key}`)).toEqual({ body: PNG, contentType: 'image/png' });
    const job = p.store.jobs.get('job-1');
    expect(job?.signature).toEqual(expected);
    const signed = p.store.histories.get('job-1')?.find((i) => i.type === 'job.form_signed');
    expect(signed?.data.signature).toEqual(expected);
    expect(JSON.stringify([job, p.store.histories.get('job-1')])).not.toContain(VALID_PNG);
  });

  it('writes the image before the commit: a commit that fails leaves only an orphan image', async () => {
    p.store.beforeSave = () => {
      expect(p.files.puts).toEqual([`forms/forms/job-1/signature-${sha256Hex(PNG)}.png`]);
      throw new Error('the table is down');
    };

    await expect(technicianEvent(p, 'msg-1', webhookEvent('job.form_signed'))).rejects.toThrow('down');
    expect(p.store.jobs.get('job-1')?.status).toBe('cleaned');
  });

  it('writes nothing for a signature its job refuses (not cleaned yet)', async () => {
    p.store.put(jobIn('completed', { version: 4 }));

    await expect(technicianEvent(p, 'msg-1', webhookEvent('job.form_signed'))).rejects.toThrow();
    expect(p.files.puts).toEqual([]);
  });
});

const recorded = (item: HistoryItem, subject: 'job' | 'complaint' = 'job'): RecordedEvent => ({
  subject,
  id: 'job-1',
  position: `EVT#${item.at}#000009#0`,
  item,
});

function signedWithStoredImage(): RecordedEvent {
  const file = signatureFile('job-1', VALID_PNG);
  const items = history(file);
  p.store.put(signedJob());
  p.store.histories.set('job-1', items);
  p.files.objects.set(`forms/${file.key}`, { body: PNG, contentType: 'image/png' });
  return recorded(items.at(-1) as HistoryItem);
}

describe('the archive follower (archiveForm)', () => {
  it('renders the form, puts the PDF under its one key and records it on the job', async () => {
    const event = signedWithStoredImage();

    await archiveForm(p, event);

    expect(p.formRenderer.rendered).toHaveLength(1);
    expect(p.formRenderer.rendered[0]?.signature.png).toEqual(PNG);
    const pdf = p.files.objects.get(`forms/${formKey('job-1')}`);
    expect(pdf?.contentType).toBe('application/pdf');
    const job = p.store.jobs.get('job-1');
    expect(job?.form).toEqual({
      key: 'forms/job-1/form-v1.pdf',
      sha256: sha256Hex(pdf?.body as Uint8Array),
      bytes: pdf?.body.length,
      archivedAt: NOW.toISOString(),
    });
    expect(job?.version).toBe(10);
  });

  it('is idempotent: a redelivered event renders nothing and makes no second version', async () => {
    const event = signedWithStoredImage();

    await archiveForm(p, event);
    await archiveForm(p, event);

    expect(p.formRenderer.rendered).toHaveLength(1);
    expect(p.files.puts.filter((k) => k.endsWith('.pdf'))).toEqual([`forms/${formKey('job-1')}`]);
    expect(p.store.jobs.get('job-1')?.version).toBe(10);
  });

  it('records a PDF put before a crash, without rendering or putting it again', async () => {
    const event = signedWithStoredImage();
    const earlier = new TextEncoder().encode('%PDF-1.7 archived before the crash');
    p.files.objects.set(`forms/${formKey('job-1')}`, { body: earlier, contentType: 'application/pdf' });

    await archiveForm(p, event);

    expect(p.formRenderer.rendered).toEqual([]);
    expect(p.files.puts).toEqual([]);
    expect(p.store.jobs.get('job-1')?.form?.sha256).toBe(sha256Hex(earlier));
  });

  it("renders an old job's inline base64 signature", async () => {
    const items = history(VALID_PNG);
    p.store.put(signedJob({ signature: null }));
    p.store.histories.set('job-1', items);

    await archiveForm(p, recorded(items.at(-1) as HistoryItem));

    expect(p.formRenderer.rendered[0]?.signature.png).toEqual(PNG);
    expect(p.store.jobs.get('job-1')?.form?.key).toBe(formKey('job-1'));
  });

  it('fails (the stream retries) when the stored image is missing or does not match its hash', async () => {
    const event = signedWithStoredImage();
    const file = signatureFile('job-1', VALID_PNG);
    p.files.objects.set(`forms/${file.key}`, { body: new Uint8Array([1, 2, 3]), contentType: 'image/png' });

    await expect(archiveForm(p, event)).rejects.toThrow(/does not match/);
    expect(p.store.jobs.get('job-1')?.form).toBeNull();
  });

  it('ignores every other event, and complaints', async () => {
    const event = signedWithStoredImage();

    await archiveForm(p, { ...event, item: { ...event.item, type: 'job.site_cleaned' } });
    await archiveForm(p, { ...event, subject: 'complaint' });

    expect(p.formRenderer.rendered).toEqual([]);
    expect(p.store.jobs.get('job-1')?.form).toBeNull();
  });
});

describe('GET /jobs/{id}/form (formLocation)', () => {
  const archived = () =>
    p.store.put(
      signedJob({
        form: { key: formKey('job-1'), sha256: 'a'.repeat(64), bytes: 1234, archivedAt: NOW.toISOString() },
      }),
    );

  it('answers a short-lived URL of the PDF to the owner, an agent and a manager', async () => {
    archived();
    for (const caller of [RESIDENT, AGENT, MANAGER]) {
      expect(await formLocation(p, caller, 'job-1')).toBe(
        'https://files.test/forms/forms/job-1/form-v1.pdf?expires=300',
      );
    }
  });

  it('presigns for as long as the settings say', async () => {
    archived();
    p.settings.formUrlSeconds = 1;
    expect(await formLocation(p, MANAGER, 'job-1')).toMatch(/expires=1$/);
  });

  it('is 404 before the form is archived, and for anyone who may not read the job', async () => {
    p.store.put(signedJob());
    await expect(formLocation(p, MANAGER, 'job-1')).rejects.toMatchObject({ code: 'not_found' });
    archived();
    await expect(formLocation(p, OTHER_RESIDENT, 'job-1')).rejects.toMatchObject({ code: 'not_found' });
    await expect(formLocation(p, MANAGER, 'job-9')).rejects.toMatchObject({ code: 'not_found' });
  });
});
