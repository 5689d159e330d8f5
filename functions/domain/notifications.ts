import type { HistoryItem, Job, Locale, PendingAlert, Severity } from './types';
import { CATEGORY_WORDS } from './words';

// The words: resident and technician notices and managers' alerts, rendered in the reader's
// language from what a decision recorded. Resident messages never mention the S1 quick-fix
// waiver: it is an internal policy, not a promise.

export type Topic = 'residents' | 'technicians' | 'alerts';
export interface Notice {
  topic: Topic;
  type: string;
  subject: string;
  message: string;
  severity?: Severity;
}

/** What a message is about: its SNS attributes, which subscribers filter on. */
export type About = { jobId: string } | { complaintId: string; jobId?: string };

export interface RenderOptions {
  timeZone: string;
  staffLocale: Locale;
}

// Building an Intl.DateTimeFormat costs far more than using one (a booking formats 8 times).
const formats = new Map<string, Intl.DateTimeFormat>();

export function formatTime(iso: string, locale: Locale, timeZone: string): string {
  const key = `${locale}|${timeZone}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, {
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZone,
    });
    formats.set(key, format);
  }
  return format.format(new Date(iso));
}

export type Vars = Record<string, string>;
type Template = { subject: string; message: string };
export type Catalogue = Record<string, Template>;

const RESIDENT: Record<Locale, Catalogue> = {
  'zh-CN': {
    'job.booked.urgent': {
      subject: '报修已受理',
      message: '您的{category}急修已受理(工单 {jobId}),维修人员将于 {due} 前到场。',
    },
    'job.booked.regular': {
      subject: '报修已受理',
      message: '您的{category}报修已受理(工单 {jobId}),维修人员将按预约时间 {start}–{end} 上门。',
    },
    'job.accepted': { subject: '已派工', message: '维修人员{technician}已接单,将为您处理工单 {jobId}。' },
    'job.en_route': { subject: '维修人员已出发', message: '{technician}已出发{eta},请保持电话畅通。' },
    'job.form_signed': {
      subject: '维修已完成',
      message: '工单 {jobId} 已完成并由您签字确认。如以后有任何问题,请随时与我们联系。',
    },
    'job.declined': {
      subject: '未进行维修',
      message: '已按您的意愿不进行维修(工单 {jobId})。如需再次报修,请随时联系我们。',
    },
    'job.unable_to_fix': {
      subject: '需后续处理',
      message: '工单 {jobId} 未能现场修复,我们会尽快与您联系安排后续处理。{receipt}',
    },
    'job.cancelled': { subject: '报修已取消', message: '工单 {jobId} 已取消。' },
    'job.closed': { subject: '感谢您的反馈', message: '感谢您接受回访并提出宝贵意见(工单 {jobId})。' },
    'job.no_access': {
      subject: '上门未能入户',
      message: '维修人员已上门,但未能联系到您(工单 {jobId})。客服将与您联系,另约上门时间。',
    },
    'job.rescheduled': {
      subject: '上门时间已更改',
      message: '工单 {jobId} 的上门时间已改为 {start}–{end}。',
    },
  },
  en: {
    'job.booked.urgent': {
      subject: 'Repair booked',
      message:
        'Your urgent {category} repair is booked (job {jobId}). A technician will be with you by {due}.',
    },
    'job.booked.regular': {
      subject: 'Repair booked',
      message:
        'Your {category} repair is booked (job {jobId}). A technician will come at your booked time, {start}–{end}.',
    },
    'job.accepted': {
      subject: 'Technician assigned',
      message: '{technician} will handle your repair (job {jobId}).',
    },
    'job.en_route': {
      subject: 'Technician on the way',
      message: '{technician} is on the way{eta}. Please keep your phone at hand.',
    },
    'job.form_signed': {
      subject: 'Repair finished',
      message:
        'Job {jobId} is finished and signed off by you. If anything goes wrong later, please contact us.',
    },
    'job.declined': {
      subject: 'No repair carried out',
      message:
        'As you chose, no repair was carried out (job {jobId}). Contact us whenever you want to book again.',
    },
    'job.unable_to_fix': {
      subject: 'Follow-up needed',
      message:
        'Job {jobId} could not be fixed on site. We will contact you soon to arrange the next step.{receipt}',
    },
    'job.cancelled': { subject: 'Repair cancelled', message: 'Job {jobId} is cancelled.' },
    'job.closed': { subject: 'Thank you', message: 'Thank you for your feedback on job {jobId}.' },
    'job.no_access': {
      subject: 'We could not get in',
      message:
        'The technician came but could not reach you (job {jobId}). An agent will contact you to agree a new time.',
    },
    'job.rescheduled': {
      subject: 'New visit time',
      message: 'The visit for job {jobId} is moved to {start}–{end}.',
    },
  },
};

const STAFF: Record<Locale, Catalogue> = {
  'zh-CN': {
    'job.booked': {
      subject: '新工单',
      message: '新{priority}工单 {jobId}:{category},单元 {unitId},{due} 前到场。',
    },
    'job.cancelled': { subject: '工单已取消', message: '工单 {jobId}(单元 {unitId})已取消。' },
    'job.rescheduled': {
      subject: '上门时间已更改',
      message: '工单 {jobId}(单元 {unitId})上门时间改为 {start}–{end},{due} 前到场。',
    },
    'sla.acceptance_warning': {
      subject: '急修无人接单',
      message: '工单 {jobId}({priority},单元 {unitId})报修已 {elapsed},仍无人接单,应于 {due} 前到场。',
    },
    'sla.arrival_at_risk': {
      subject: '即将超时未到场',
      message:
        '工单 {jobId}({priority},单元 {unitId})报修已 {elapsed},仍无人到场,应于 {due} 前到场,还剩 {left}。技术员:{technician}。',
    },
    'sla.arrival_missed': {
      subject: '超时未到场',
      message: '工单 {jobId}({priority},单元 {unitId})应于 {due} 前到场,至今无人到场。技术员:{technician}。',
    },
    'sla.arrival_missed.late': {
      subject: '超时到场',
      message:
        '工单 {jobId}({priority},单元 {unitId})应于 {due} 前到场,技术员迟到 {late},于 {at} 到场。技术员:{technician}。',
    },
    'sla.arrival_missed.cancelled': {
      subject: '超时未到场',
      message:
        '工单 {jobId}({priority},单元 {unitId})应于 {due} 前到场,取消前一直无人到场。技术员:{technician}。',
    },
    'sla.callback_missed': {
      subject: '回访超时',
      message: '工单 {jobId}(单元 {unitId})应于 {callbackDue} 前完成回访,尚未完成。',
    },
    'sla.callback_missed.late': {
      subject: '回访超时',
      message: '工单 {jobId}(单元 {unitId})应于 {callbackDue} 前完成回访,实际于 {at} 完成,超时 {late}。',
    },
    'callback.reminder': {
      subject: '回访提醒',
      message: '工单 {jobId}(单元 {unitId})需在 {callbackDue} 前完成一周回访。',
    },
    'job.unable_to_fix': {
      subject: '未能现场修复',
      message: '工单 {jobId}(单元 {unitId})未能现场修复:{reason}。技术员:{technician}。',
    },
    'job.recall': {
      subject: '30 天内重复报修',
      message:
        '工单 {jobId}(单元 {unitId},{category})在工单 {recallOf} 签字后 30 天内再次报修。原技术员:{recallTechnician}。',
    },
  },
  en: {
    'job.booked': {
      subject: 'New job',
      message: 'New {priority} job {jobId}: {category} at unit {unitId}, on site by {due}.',
    },
    'job.cancelled': { subject: 'Job cancelled', message: 'Job {jobId} (unit {unitId}) was cancelled.' },
    'job.rescheduled': {
      subject: 'Job rescheduled',
      message: 'Job {jobId} (unit {unitId}) is moved to {start}–{end}, on site by {due}.',
    },
    'sla.acceptance_warning': {
      subject: 'Urgent job not accepted',
      message:
        'Job {jobId} ({priority}, unit {unitId}) is still not accepted {elapsed} after booking; it is due on site by {due}.',
    },
    'sla.arrival_at_risk': {
      subject: 'Arrival at risk',
      message:
        'Job {jobId} ({priority}, unit {unitId}): nobody on site {elapsed} after booking; due on site by {due}, {left} left. Technician: {technician}.',
    },
    'sla.arrival_missed': {
      subject: 'Arrival SLA missed',
      message:
        'Job {jobId} ({priority}, unit {unitId}) was due on site by {due}; nobody has arrived. Technician: {technician}.',
    },
    'sla.arrival_missed.late': {
      subject: 'Arrival SLA missed',
      message:
        'Job {jobId} ({priority}, unit {unitId}) was due on site by {due}; the technician arrived {late} late, at {at}. Technician: {technician}.',
    },
    'sla.arrival_missed.cancelled': {
      subject: 'Arrival SLA missed',
      message:
        'Job {jobId} ({priority}, unit {unitId}) was due on site by {due}; nobody had arrived when it was cancelled. Technician: {technician}.',
    },
    'sla.callback_missed': {
      subject: 'Callback SLA missed',
      message:
        'Job {jobId} (unit {unitId}) was due its one-week callback by {callbackDue}; it has not been made.',
    },
    'sla.callback_missed.late': {
      subject: 'Callback SLA missed',
      message:
        'Job {jobId} (unit {unitId}) was due its one-week callback by {callbackDue}; it was made {late} late, at {at}.',
    },
    'callback.reminder': {
      subject: 'Callback due',
      message: 'Job {jobId} (unit {unitId}) needs its one-week callback by {callbackDue}.',
    },
    'job.unable_to_fix': {
      subject: 'Unable to fix on site',
      message: 'Job {jobId} (unit {unitId}) could not be fixed on site: {reason}. Technician: {technician}.',
    },
    'job.recall': {
      subject: 'Recall within 30 days',
      message:
        'Job {jobId} (unit {unitId}, {category}) was booked within 30 days of job {recallOf} being signed. Technician then: {recallTechnician}.',
    },
  },
};

const PRIORITY: Record<Locale, Record<Job['priority'], string>> = {
  'zh-CN': { urgent: '急修', regular: '零修' },
  en: { urgent: 'urgent', regular: 'regular' },
};

const fill = (text: string, vars: Vars) => text.replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? '');

function jobVars(job: Job, locale: Locale, opts: RenderOptions, extra: Vars): Vars {
  const time = (iso: string | null | undefined) => (iso ? formatTime(iso, locale, opts.timeZone) : '');
  return {
    jobId: job.jobId,
    unitId: job.unitId,
    category: CATEGORY_WORDS[locale][job.category],
    priority: PRIORITY[locale][job.priority],
    due: time(job.sla.arrivalDueAt),
    callbackDue: time(job.sla.callbackDueAt),
    start: time(job.appointment?.start),
    end: time(job.appointment?.end),
    technician: job.technician?.name ?? '-',
    recallOf: job.recall?.jobId ?? '',
    recallTechnician: job.recall?.technician?.name ?? '-',
    ...extra,
  };
}

export function render(catalogue: Catalogue, key: string, vars: Vars): Template {
  const t = catalogue[key];
  if (!t) throw new Error(`no template ${key}`);
  return { subject: fill(t.subject, vars), message: fill(t.message, vars) };
}

/** A message to the job's resident, in the job's locale; `key` names the template. */
export function residentNotice(job: Job, key: string, opts: RenderOptions, extra: Vars = {}): Notice {
  const t = render(RESIDENT[job.locale], key, jobVars(job, job.locale, opts, extra));
  return { topic: 'residents', type: key.replace(/\.(urgent|regular)$/, ''), ...t };
}

export function technicianNotice(
  job: Job,
  type: 'job.booked' | 'job.cancelled' | 'job.rescheduled',
  opts: RenderOptions,
): Notice {
  const t = render(STAFF[opts.staffLocale], type, jobVars(job, opts.staffLocale, opts, {}));
  return { topic: 'technicians', type, ...t };
}

const ETA: Record<Locale, (minutes: number) => string> = {
  'zh-CN': (m) => `,约 ${m} 分钟到达`,
  en: (m) => `, about ${m} minutes away`,
};
const RECEIPT: Record<Locale, (no: string) => string> = {
  'zh-CN': (no) => `取机凭证号:${no}。`,
  en: (no) => ` Receipt no. ${no}.`,
};

/** What each history item tells the resident and the technicians, if anything. */
function noticesOf(item: HistoryItem, job: Job, opts: RenderOptions): Notice[] {
  const data = item.data as { etaMinutes?: number; takeAway?: { receiptNo?: string } };
  switch (item.type) {
    case 'job.booked':
      return [
        residentNotice(job, `job.booked.${job.priority}`, opts),
        technicianNotice(job, 'job.booked', opts),
      ];
    case 'job.accepted':
    case 'job.form_signed':
      return [residentNotice(job, item.type, opts)];
    case 'job.en_route': {
      const eta = data.etaMinutes === undefined ? '' : ETA[job.locale](data.etaMinutes);
      return [residentNotice(job, 'job.en_route', opts, { eta })];
    }
    case 'job.quote_declined':
      return [residentNotice(job, 'job.declined', opts)];
    case 'job.unable_to_fix': {
      const receiptNo = data.takeAway?.receiptNo;
      return [
        residentNotice(job, 'job.unable_to_fix', opts, {
          receipt: receiptNo ? RECEIPT[job.locale](receiptNo) : '',
        }),
      ];
    }
    case 'job.cancelled':
      return [
        residentNotice(job, 'job.cancelled', opts),
        ...(job.technician ? [technicianNotice(job, 'job.cancelled', opts)] : []),
      ];
    case 'callback.completed':
      return [residentNotice(job, 'job.closed', opts)];
    case 'job.no_access':
      return [residentNotice(job, 'job.no_access', opts)];
    case 'job.rescheduled':
      return [
        residentNotice(job, 'job.rescheduled', opts),
        ...(job.technician ? [technicianNotice(job, 'job.rescheduled', opts)] : []),
      ];
    default:
      return [];
  }
}

/**
 * The notices a committed decision sends, rendered in one pass from what happened (its history)
 * and the job as it now is. Alerts are not among them: the workflow sends those (alertText).
 */
export function noticesFor(
  decision: { job: Job; history: readonly HistoryItem[] },
  opts: RenderOptions,
): Notice[] {
  return decision.history.flatMap((item) => noticesOf(item, decision.job, opts));
}

/**
 * A queued alert's words, in the staff's language. A miss recorded by the late milestone itself
 * says how late it was ("arrived 25 minutes late"); one recorded by a cancellation says nobody came.
 */
export function alertText(
  job: Job,
  alert: PendingAlert,
  opts: RenderOptions,
): { subject: string; message: string } {
  const { lateAt, cancelledAt, reason } = alert.detail ?? {};
  const locale = opts.staffLocale;
  const extra: Vars = { ...(reason !== undefined && { reason }), ...ladderVars(job, alert, locale) };
  let template: string = alert.type;
  if (lateAt) {
    const due = alert.type === 'sla.callback_missed' ? job.sla.callbackDueAt : job.sla.arrivalDueAt;
    extra.late = formatDelay(Date.parse(lateAt) - Date.parse(due ?? lateAt), locale);
    extra.at = formatTime(lateAt, locale, opts.timeZone);
    template = `${alert.type}.late`;
  } else if (cancelledAt) template = `${alert.type}.cancelled`;
  return render(STAFF[locale], template, jobVars(job, locale, opts, extra));
}

/**
 * A ladder warning's times, from the instants recorded on the job (so a warning sent late, after
 * a restart, says the same): how long since booking, and how long it left before the deadline.
 */
function ladderVars(job: Job, alert: PendingAlert, locale: Locale): Vars {
  const at =
    alert.type === 'sla.acceptance_warning'
      ? job.sla.acceptWarnAt
      : alert.type === 'sla.arrival_at_risk'
        ? job.sla.arrivalRiskAt
        : null;
  if (!at) return {};
  const t = Date.parse(at);
  return {
    elapsed: formatDelay(t - Date.parse(job.createdAt), locale),
    left: formatDelay(Date.parse(job.sla.arrivalDueAt) - t, locale),
  };
}

const UNITS: Record<Locale, { minute: (n: number) => string; hour: string; day: string }> = {
  'zh-CN': { minute: (n) => `${n} 分钟`, hour: '小时', day: '天' },
  en: { minute: (n) => (n === 1 ? '1 minute' : `${n} minutes`), hour: 'hours', day: 'days' },
};

/** A delay in words: whole minutes (rounded up, so never "0") under two hours, then hours, then days. */
export function formatDelay(ms: number, locale: Locale): string {
  const minutes = Math.max(1, Math.ceil(ms / 60_000));
  const u = UNITS[locale];
  if (minutes < 120) return u.minute(minutes);
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} ${u.hour}`;
  return `${Math.floor(hours / 24)} ${u.day}`;
}
