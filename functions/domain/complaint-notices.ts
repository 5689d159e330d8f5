import type { Catalogue } from './notifications';
import { formatDelay, formatTime, type Notice, type RenderOptions, render, type Vars } from './notifications';
import type { Complaint, ComplaintCategory, HistoryItem, Locale, PendingAlert } from './types';

// A complaint's words: what the resident is told (received, with the times we answer by; the
// result of the investigation; thanks after the callback) in their language, and the
// managers' alerts for a missed deadline in the staff's.

const CATEGORY: Record<Locale, Record<ComplaintCategory, string>> = {
  'zh-CN': { conduct: '服务态度', quality: '维修质量', lateness: '上门迟到', price: '收费', other: '其他' },
  en: { conduct: 'conduct', quality: 'repair quality', lateness: 'lateness', price: 'price', other: 'other' },
};

const RESIDENT: Record<Locale, Catalogue> = {
  'zh-CN': {
    'complaint.received': {
      subject: '投诉已受理',
      message:
        '您关于{category}的投诉已受理(编号 {complaintId})。我们将于 {investigationDue} 前完成调查,并于 {callbackDue} 前给您回电。',
    },
    'complaint.investigated': {
      subject: '投诉处理结果',
      message: '您的投诉(编号 {complaintId})已调查完毕:{result}。我们会尽快回电听取您的意见。',
    },
    'complaint.called_back': {
      subject: '感谢您的反馈',
      message: '感谢您接听我们的回访(投诉编号 {complaintId}),我们会继续改进服务。',
    },
  },
  en: {
    'complaint.received': {
      subject: 'Complaint received',
      message:
        'We have received your complaint about {category} (no. {complaintId}). We will have looked into it by {investigationDue} and will call you back by {callbackDue}.',
    },
    'complaint.investigated': {
      subject: 'Your complaint: what we found',
      message:
        'We have looked into your complaint (no. {complaintId}): {result}. We will call you soon to hear what you think.',
    },
    'complaint.called_back': {
      subject: 'Thank you',
      message:
        'Thank you for taking our call about your complaint (no. {complaintId}). It helps us serve you better.',
    },
  },
};

const STAFF: Record<Locale, Catalogue> = {
  'zh-CN': {
    'sla.complaint_investigation_missed': {
      subject: '投诉调查超时',
      message: '投诉 {complaintId}(单元 {unitId},{category})未在当天 {investigationDue} 前完成调查。',
    },
    'sla.complaint_investigation_missed.late': {
      subject: '投诉调查超时',
      message: '投诉 {complaintId}(单元 {unitId},{category})于 {at} 才完成调查,超时 {late}。',
    },
    'sla.complaint_callback_missed': {
      subject: '投诉回访超时',
      message: '投诉 {complaintId}(单元 {unitId},{category})未在 {callbackDue} 前回访投诉人。',
    },
  },
  en: {
    'sla.complaint_investigation_missed': {
      subject: 'Complaint investigation overdue',
      message:
        'Complaint {complaintId} (unit {unitId}, {category}) was not investigated by {investigationDue}, the end of its day.',
    },
    'sla.complaint_investigation_missed.late': {
      subject: 'Complaint investigation overdue',
      message:
        'Complaint {complaintId} (unit {unitId}, {category}) was investigated only at {at}, {late} late.',
    },
    'sla.complaint_callback_missed': {
      subject: 'Complaint callback overdue',
      message:
        'The complainant of {complaintId} (unit {unitId}, {category}) was not called back by {callbackDue}.',
    },
  },
};

function vars(c: Complaint, locale: Locale, opts: RenderOptions, extra: Vars = {}): Vars {
  const time = (iso: string) => formatTime(iso, locale, opts.timeZone);
  return {
    complaintId: c.complaintId,
    unitId: c.unitId,
    category: CATEGORY[locale][c.category],
    investigationDue: time(c.sla.investigationDueAt),
    callbackDue: time(c.sla.callbackDueAt),
    result: c.investigation?.result ?? '',
    ...extra,
  };
}

const RESIDENT_TOLD = ['complaint.received', 'complaint.investigated', 'complaint.called_back'];

/** The resident's notices of a committed complaint decision, one per history item that tells them something. */
export function complaintNoticesFor(
  decision: { complaint: Complaint; history: readonly HistoryItem[] },
  opts: RenderOptions,
): Notice[] {
  const c = decision.complaint;
  return decision.history
    .filter((item) => RESIDENT_TOLD.includes(item.type))
    .map((item) => ({
      topic: 'residents',
      type: item.type,
      ...render(RESIDENT[c.locale], item.type, vars(c, c.locale, opts)),
    }));
}

/**
 * A queued complaint alert's words, in the staff's language. An investigation filed late says
 * how late it was; a callback miss is always the deadline passing without one.
 */
export function complaintAlertText(c: Complaint, alert: PendingAlert, opts: RenderOptions) {
  const locale = opts.staffLocale;
  const at = c.sla.investigatedAt;
  if (alert.type === 'sla.complaint_investigation_missed' && at) {
    const late = formatDelay(Date.parse(at) - Date.parse(c.sla.investigationDueAt), locale);
    const extra = { at: formatTime(at, locale, opts.timeZone), late };
    return render(STAFF[locale], `${alert.type}.late`, vars(c, locale, opts, extra));
  }
  return render(STAFF[locale], alert.type, vars(c, locale, opts));
}
