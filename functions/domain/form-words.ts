import { formatTime } from './notifications';
import { type HistoryItem, type Job, type Locale, type Priority, propertyOf } from './types';
import { CATEGORY_WORDS } from './words';

// The repair form (S12) as a document: what it says, in the job's locale, worked out here from
// the job and its history; the renderer (functions/adapters/form-pdf.ts) only lays it out.

/** One labelled line of the form. */
export type FormRow = readonly [label: string, value: string];

export interface FormSection {
  heading: string;
  rows: FormRow[];
}

/** Everything printed on the form, already in words; the signature as the PNG it was signed with. */
export interface RepairForm {
  locale: Locale;
  title: string;
  /** Under the title: the job's id and its unit. */
  subtitle: string;
  sections: FormSection[];
  signature: { label: string; png: Uint8Array; caption: string };
  footer: string;
}

interface Words {
  title: string;
  subtitle: (jobId: string, unit: string) => string;
  job: string;
  unit: string;
  property: string;
  category: string;
  priority: Record<Priority, string>;
  priorityLabel: string;
  bookedAt: string;
  appointment: string;
  reported: string;
  technician: string;
  visit: string;
  arrivedAt: string;
  kit: string;
  kitItems: { tools: string; floorMat: string; cloth: string; shoeCovers: string };
  diagnosis: string;
  fault: string;
  coverage: string;
  covered: (yes: boolean) => string;
  quote: string;
  labor: string;
  parts: string;
  total: string;
  work: string;
  startedAt: string;
  completedAt: string;
  test: string;
  tested: (yes: boolean) => string;
  cause: string;
  fix: string;
  advice: string;
  cleanup: string;
  siteClean: string;
  belongings: string;
  signOff: string;
  signer: string;
  signedAt: string;
  signature: string;
  caption: (signer: string, at: string) => string;
  footer: (at: string) => string;
  yes: string;
  no: string;
  none: string;
}

const WORDS: Record<Locale, Words> = {
  'zh-CN': {
    title: '维修服务单',
    subtitle: (jobId, unit) => `工单号 ${jobId} · 房号 ${unit}`,
    job: '报修信息',
    unit: '房号',
    property: '小区',
    category: '类别',
    priority: { urgent: '紧急', regular: '普通' },
    priorityLabel: '紧急程度',
    bookedAt: '报修时间',
    appointment: '预约时间',
    reported: '住户描述',
    technician: '维修人员',
    visit: '上门',
    arrivedAt: '到达时间',
    kit: '随身工具',
    kitItems: { tools: '工具', floorMat: '地垫', cloth: '抹布', shoeCovers: '鞋套' },
    diagnosis: '检查与报价',
    fault: '故障',
    coverage: '保修',
    covered: (yes) => (yes ? '在保修范围内' : '不在保修范围内'),
    quote: '报价',
    labor: '人工费',
    parts: '材料费',
    total: '合计',
    work: '维修',
    startedAt: '开工时间',
    completedAt: '完工时间',
    test: '当面测试',
    tested: (yes) => (yes ? '已与住户当面测试' : '未测试'),
    cause: '原因',
    fix: '处理',
    advice: '建议',
    cleanup: '清理',
    siteClean: '现场已清理',
    belongings: '物品已归位',
    signOff: '住户签字',
    signer: '签字人',
    signedAt: '签字时间',
    signature: '签名',
    caption: (signer, at) => `${signer} 于 ${at} 签字确认`,
    footer: (at) => `本单由系统于 ${at} 归档，保存两年。`,
    yes: '是',
    no: '否',
    none: '—',
  },
  en: {
    title: 'Repair service form',
    subtitle: (jobId, unit) => `Job ${jobId} · unit ${unit}`,
    job: 'The request',
    unit: 'Unit',
    property: 'Property',
    category: 'Category',
    priority: { urgent: 'urgent', regular: 'regular' },
    priorityLabel: 'Priority',
    bookedAt: 'Booked',
    appointment: 'Appointment',
    reported: "Resident's description",
    technician: 'Technician',
    visit: 'The visit',
    arrivedAt: 'Arrived',
    kit: 'Kit brought',
    kitItems: { tools: 'tools', floorMat: 'floor mat', cloth: 'cloth', shoeCovers: 'shoe covers' },
    diagnosis: 'Diagnosis and quote',
    fault: 'Fault',
    coverage: 'Coverage',
    covered: (yes) => (yes ? 'Covered by the warranty' : 'Not covered by the warranty'),
    quote: 'Quote',
    labor: 'Labour',
    parts: 'Parts',
    total: 'Total',
    work: 'The repair',
    startedAt: 'Work started',
    completedAt: 'Completed',
    test: 'Test',
    tested: (yes) => (yes ? 'Tested in front of the resident' : 'Not tested'),
    cause: 'Cause',
    fix: 'What was done',
    advice: 'Advice',
    cleanup: 'Cleanup',
    siteClean: 'Site left clean',
    belongings: 'Belongings put back',
    signOff: 'Sign-off',
    signer: 'Signed by',
    signedAt: 'Signed',
    signature: 'Signature',
    caption: (signer, at) => `Signed by ${signer} on ${at}`,
    footer: (at) => `Archived by the system on ${at}; kept for two years.`,
    yes: 'yes',
    no: 'no',
    none: '—',
  },
};

/** The newest history item of a type (a second visit's arrival replaces the first's). */
const last = (history: readonly HistoryItem[], type: string) => history.findLast((i) => i.type === type);

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v : null);

/** What is printed on the form of a signed job, from the job, its history and the signature's image. */
export function repairFormOf(
  job: Job,
  history: readonly HistoryItem[],
  signaturePng: Uint8Array,
  timeZone: string,
  archivedAt: Date,
): RepairForm {
  const w = WORDS[job.locale];
  const time = (iso: string | null | undefined) =>
    iso ? formatTime(iso, job.locale, timeZone, true) : w.none;
  const yesNo = (v: unknown) => (v === true ? w.yes : v === false ? w.no : w.none);
  const money = (n: number) => `¥${n.toFixed(2)}`;

  const arrived = last(history, 'job.arrived');
  const kit = (arrived?.data.kit ?? null) as Record<keyof Words['kitItems'], boolean> | null;
  const kitText = kit
    ? (Object.keys(w.kitItems) as (keyof Words['kitItems'])[])
        .map((k) => `${kit[k] ? '✓' : '×'} ${w.kitItems[k]}`)
        .join('   ')
    : w.none;
  const completed = last(history, 'job.completed');
  const explanation = (completed?.data.explanation ?? {}) as Record<string, unknown>;
  const cleaned = last(history, 'job.site_cleaned');
  const signed = last(history, 'job.form_signed');
  const signer = text(signed?.data.signerName) ?? w.none;
  const q = job.quote;

  return {
    locale: job.locale,
    title: w.title,
    subtitle: w.subtitle(job.jobId, job.unitId),
    sections: [
      {
        heading: w.job,
        rows: [
          [w.property, propertyOf(job.unitId)],
          [w.unit, job.unitId],
          [w.category, CATEGORY_WORDS[job.locale][job.category]],
          [w.priorityLabel, w.priority[job.priority]],
          [w.bookedAt, time(job.createdAt)],
          [
            w.appointment,
            job.appointment ? `${time(job.appointment.start)} – ${time(job.appointment.end)}` : w.none,
          ],
          [w.reported, job.description],
          [w.technician, job.technician ? `${job.technician.name} (${job.technician.id})` : w.none],
        ],
      },
      {
        heading: w.visit,
        rows: [
          [w.arrivedAt, time(arrived?.at ?? job.sla.arrivedAt)],
          [w.kit, kitText],
        ],
      },
      {
        heading: w.diagnosis,
        rows: q
          ? [
              [w.fault, q.fault],
              [w.coverage, w.covered(q.covered)],
              [w.labor, money(q.labor)],
              [w.parts, money(q.parts)],
              [w.total, `${money(q.labor + q.parts)} ${q.currency}`],
            ]
          : [[w.quote, w.none]],
      },
      {
        heading: w.work,
        rows: [
          [w.startedAt, time(job.workStartedAt)],
          [w.completedAt, time(job.completedAt)],
          [w.test, w.tested(completed?.data.testedWithResident === true)],
          [w.cause, text(explanation.cause) ?? w.none],
          [w.fix, text(explanation.fix) ?? w.none],
          [w.advice, text(explanation.advice) ?? w.none],
        ],
      },
      {
        heading: w.cleanup,
        rows: [
          [w.siteClean, yesNo(cleaned?.data.siteClean)],
          [w.belongings, yesNo(cleaned?.data.belongingsRestored)],
        ],
      },
      {
        heading: w.signOff,
        rows: [
          [w.signer, signer],
          [w.signedAt, time(job.signedAt ?? signed?.at)],
        ],
      },
    ],
    signature: {
      label: w.signature,
      png: signaturePng,
      caption: w.caption(signer, time(job.signedAt ?? signed?.at)),
    },
    footer: w.footer(time(archivedAt.toISOString())),
  };
}
