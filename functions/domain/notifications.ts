import type { Decision } from './lifecycle';
import {
  type HistoryItem,
  type Job,
  type Locale,
  type PendingAlert,
  type Priority,
  propertyOf,
  REJECTED_ALERT,
  type Severity,
} from './types';
import { CATEGORY_WORDS } from './words';

// The words: resident and technician notices and managers' alerts, rendered in the reader's
// language from what a decision recorded. Resident messages never mention the S1 quick-fix
// waiver: it is an internal policy, not a promise. The resident's phone goes to one technician
// only, the one who accepted the job (S7: they phone before the visit; S22: nobody else).

export type Topic = 'residents' | 'technicians' | 'alerts';
export interface Notice {
  topic: Topic;
  type: string;
  subject: string;
  message: string;
  severity?: Severity;
  /**
   * More message attributes to filter or route on: `technicianId` on a notice addressed to one
   * technician (the technicians' app routes by it), `property` and `alertId` on a staff warning.
   */
  attributes?: Record<string, string>;
}

/** What a message is about: its SNS attributes, which subscribers filter on. */
export type About = { jobId: string } | { complaintId: string; jobId?: string };

export interface RenderOptions {
  timeZone: string;
  staffLocale: Locale;
}

// Building an Intl.DateTimeFormat costs far more than using one (a booking formats 8 times).
const formats = new Map<string, Intl.DateTimeFormat>();

/** A moment in the reader's locale and zone; `withYear` for a document kept two years (the form). */
export function formatTime(iso: string, locale: Locale, timeZone: string, withYear = false): string {
  const key = `${locale}|${timeZone}|${withYear}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, {
      ...(withYear ? { year: 'numeric' } : {}),
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
    'job.rejected': {
      subject: '正在为您另派维修人员',
      message: '原维修人员无法上门,我们正在为工单 {jobId} 另派维修人员,到场时间仍为 {due} 前。',
    },
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
    'job.rejected': {
      subject: 'Finding another technician',
      message:
        'The technician for job {jobId} can no longer come. We are finding another, to be with you by {due}.',
    },
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
    'job.rejected': {
      subject: '技术员退单',
      message:
        '技术员 {rejectedBy} 退回工单 {jobId}({priority},单元 {unitId}):{reason}。工单待重新派工,{due} 前到场。',
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
    'job.rejected': {
      subject: 'Job given back',
      message:
        'Technician {rejectedBy} gave back job {jobId} ({priority}, unit {unitId}): {reason}. It needs a technician again, on site by {due}.',
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

/**
 * What technicians are told. `{details}` is the job as a technician needs it (DETAILS); the
 * resident's phone (`{phone}`) is in the accepting technician's notice only: jobVars never has it.
 */
const TECHNICIAN: Record<Locale, Catalogue> = {
  'zh-CN': {
    'job.booked': { subject: '新工单', message: '新{priority}工单 {jobId}:{details}' },
    'job.available': { subject: '工单重新待接', message: '{priority}工单 {jobId} 重新待接:{details}' },
    'job.assigned': { subject: '派工', message: '工单 {jobId}({priority})派给您:{details}' },
    'job.accepted': {
      subject: '已接单',
      message: '您已接单 {jobId}({category},单元 {unitId})。上门前请致电住户 {phone}。',
    },
    'job.cancelled': { subject: '工单已取消', message: '工单 {jobId}(单元 {unitId})已取消。' },
    'job.rescheduled': {
      subject: '上门时间已更改',
      message: '工单 {jobId}(单元 {unitId})上门时间改为 {start}–{end},{due} 前到场。',
    },
  },
  en: {
    'job.booked': { subject: 'New job', message: 'New {priority} job {jobId}: {details}' },
    'job.available': {
      subject: 'Job open again',
      message: 'The {priority} job {jobId} is open again: {details}',
    },
    'job.assigned': {
      subject: 'Job offered to you',
      message: 'Job {jobId} ({priority}) is offered to you: {details}',
    },
    'job.accepted': {
      subject: 'Job accepted',
      message:
        'You accepted job {jobId} ({category}, unit {unitId}). Before the visit, phone the resident at {phone}.',
    },
    'job.cancelled': { subject: 'Job cancelled', message: 'Job {jobId} (unit {unitId}) was cancelled.' },
    'job.rescheduled': {
      subject: 'Job rescheduled',
      message: 'Job {jobId} (unit {unitId}) is moved to {start}–{end}, on site by {due}.',
    },
  },
};
export type TechnicianNoticeType =
  | 'job.booked'
  | 'job.available'
  | 'job.assigned'
  | 'job.accepted'
  | 'job.cancelled'
  | 'job.rescheduled';

const DETAILS: Record<Locale, Record<Priority, string>> = {
  'zh-CN': {
    urgent: '{category},单元 {unitId},{due} 前到场。故障:{description}',
    regular: '{category},单元 {unitId},预约 {start}–{end}。故障:{description}',
  },
  en: {
    urgent: '{category} at unit {unitId}, on site by {due}. Fault: {description}',
    regular: '{category} at unit {unitId}, booked for {start}–{end}. Fault: {description}',
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
    description: job.description,
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

/**
 * A message on the technicians topic, in the staff's language: to `technicianId` (its message
 * attribute, which the technicians' app routes by), or without one to every technician.
 */
export function technicianNotice(
  job: Job,
  type: TechnicianNoticeType,
  opts: RenderOptions,
  technicianId?: string,
  extra: Vars = {},
): Notice {
  const locale = opts.staffLocale;
  const vars = jobVars(job, locale, opts, extra);
  const t = render(TECHNICIAN[locale], type, { ...vars, details: fill(DETAILS[locale][job.priority], vars) });
  return { topic: 'technicians', type, ...t, ...(technicianId && { attributes: { technicianId } }) };
}

/** A job up for taking, told to its pool (Decision.pool) one notice each, or to the whole topic. */
const toPool = (job: Job, type: TechnicianNoticeType, pool: Decision['pool'], opts: RenderOptions) =>
  pool === undefined
    ? [technicianNotice(job, type, opts)]
    : pool.map((id) => technicianNotice(job, type, opts, id));

/**
 * A job given back warns the property's staff at once, every time: published by the use case,
 * not queued for the workflow (a queued alert is sent once per type per job). Its alertId is one
 * per rejection (the job's version), so a subscriber can still drop a redelivery.
 */
function rejectionWarning(job: Job, item: HistoryItem, opts: RenderOptions): Notice {
  const locale = opts.staffLocale;
  const data = item.data as { reason?: string; technicianName?: string | null };
  const id = item.actor.replace(/^technician:/, '');
  const rejectedBy = data.technicianName ? `${data.technicianName} (${id})` : id;
  const vars = jobVars(job, locale, opts, { reason: data.reason ?? '', rejectedBy });
  return {
    topic: 'alerts',
    type: REJECTED_ALERT,
    severity: 'warning',
    ...render(STAFF[locale], REJECTED_ALERT, vars),
    attributes: {
      property: propertyOf(job.unitId),
      alertId: `${job.jobId}:${REJECTED_ALERT}:${job.version}`,
    },
  };
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
function noticesOf(item: HistoryItem, decision: NoticeSource, opts: RenderOptions): Notice[] {
  const { job, pool } = decision;
  const data = item.data as {
    etaMinutes?: number;
    takeAway?: { receiptNo?: string };
    technicianId?: string;
    from?: string;
  };
  switch (item.type) {
    case 'job.booked':
      return [
        residentNotice(job, `job.booked.${job.priority}`, opts),
        ...toPool(job, 'job.booked', pool, opts),
      ];
    case 'job.assigned':
      return [technicianNotice(job, 'job.assigned', opts, data.technicianId)];
    case 'job.accepted':
      return [
        residentNotice(job, 'job.accepted', opts),
        technicianNotice(job, 'job.accepted', opts, job.technician?.id, { phone: job.contactPhone }),
      ];
    case 'job.rejected':
      return [
        rejectionWarning(job, item, opts),
        // Told who was coming, the resident hears that another is being found; an offer never reached them.
        ...(data.from === 'accepted' ? [residentNotice(job, 'job.rejected', opts)] : []),
        ...toPool(job, 'job.available', pool, opts),
      ];
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
    case 'job.cancelled': {
      // The technician on it, or the one it was offered to: nobody else ever heard it was theirs.
      const theirs = job.technician?.id ?? job.offer?.technicianId;
      return [
        residentNotice(job, 'job.cancelled', opts),
        ...(theirs ? [technicianNotice(job, 'job.cancelled', opts, theirs)] : []),
      ];
    }
    case 'callback.completed':
      return [residentNotice(job, 'job.closed', opts)];
    case 'job.no_access':
      return [residentNotice(job, 'job.no_access', opts)];
    case 'job.rescheduled':
      return [
        residentNotice(job, 'job.rescheduled', opts),
        ...(job.technician ? [technicianNotice(job, 'job.rescheduled', opts, job.technician.id)] : []),
      ];
    default:
      return [];
  }
}

/**
 * The notices a committed decision sends, rendered in one pass from what happened (its history)
 * and the job as it now is. Alerts are not among them: the workflow sends those (alertText).
 */
export function noticesFor(decision: NoticeSource, opts: RenderOptions): Notice[] {
  return decision.history.flatMap((item) => noticesOf(item, decision, opts));
}

/** What the notices are rendered from: a decision's job, its history and its pool. */
type NoticeSource = Pick<Decision, 'job' | 'pool'> & { history: readonly HistoryItem[] };

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
