import { applyWebhook, bookJob, cancelJob, recordCallback } from '../../../functions/domain/lifecycle';
import {
  alertText,
  formatDelay,
  formatTime,
  type Notice,
  residentNotice,
  technicianNotice,
} from '../../../functions/domain/notifications';
import { ALERT_SEVERITY, type AlertType, type Job, type Locale } from '../../../functions/domain/types';
import {
  at,
  defined,
  jobIn,
  MINUTE,
  makeJob,
  NOW,
  policyFrom,
  RESIDENT,
  settings,
  told,
  webhookEvent,
} from '../support/fixtures';

const SH = 'Asia/Shanghai';
const enJob = jobIn('accepted', {
  locale: 'en',
  sla: { callbackDueAt: '2026-11-30T08:00:00.000Z' },
  appointment: { start: '2026-11-24T02:00:00.000Z', end: '2026-11-24T04:00:00.000Z' },
});
const zhJob: Job = { ...enJob, locale: 'zh-CN', technician: { id: 't-1', name: '王师傅' } };
type PendingAlertShape = { severity: string; subject: string; message: string };

const opts = (staffLocale: Locale) => ({ timeZone: SH, staffLocale });

describe('formatTime', () => {
  it('shows Chinese times in Asia/Shanghai (UTC+8)', () => {
    expect(formatTime('2026-11-23T08:10:00.000Z', 'zh-CN', SH)).toBe('11月23日 16:10');
  });

  it('shows English times in Asia/Shanghai (UTC+8)', () => {
    expect(formatTime('2026-11-23T08:10:00.000Z', 'en', SH)).toBe('Nov 23, 16:10');
  });

  it('moves to the next day in Shanghai when UTC is still on the previous one', () => {
    expect(formatTime('2026-11-23T16:05:00.000Z', 'zh-CN', SH)).toBe('11月24日 00:05');
  });

  it('uses a 24-hour clock', () => {
    expect(formatTime('2026-11-23T06:30:00.000Z', 'en', SH)).toBe('Nov 23, 14:30');
  });
});

describe('resident messages in English', () => {
  const cases: Array<[string, Record<string, string>, string, string]> = [
    [
      'job.booked.urgent',
      {},
      'Repair booked',
      'Your urgent plumbing repair is booked (job job-1). A technician will be with you by Nov 23, 16:10.',
    ],
    [
      'job.booked.regular',
      {},
      'Repair booked',
      'Your plumbing repair is booked (job job-1). A technician will come at your booked time, Nov 24, 10:00–Nov 24, 12:00.',
    ],
    ['job.accepted', {}, 'Technician assigned', 'Wang Wei will handle your repair (job job-1).'],
    [
      'job.en_route',
      { eta: ', about 5 minutes away' },
      'Technician on the way',
      'Wang Wei is on the way, about 5 minutes away. Please keep your phone at hand.',
    ],
    [
      'job.form_signed',
      {},
      'Repair finished',
      'Job job-1 is finished and signed off by you. If anything goes wrong later, please contact us.',
    ],
    [
      'job.declined',
      {},
      'No repair carried out',
      'As you chose, no repair was carried out (job job-1). Contact us whenever you want to book again.',
    ],
    [
      'job.unable_to_fix',
      { receipt: ' Receipt no. R-77.' },
      'Follow-up needed',
      'Job job-1 could not be fixed on site. We will contact you soon to arrange the next step. Receipt no. R-77.',
    ],
    ['job.cancelled', {}, 'Repair cancelled', 'Job job-1 is cancelled.'],
    ['job.closed', {}, 'Thank you', 'Thank you for your feedback on job job-1.'],
  ];

  it.each(cases)('renders %s', (key, extra, subject, message) => {
    const notice = residentNotice(enJob, key, opts('zh-CN'), extra);

    expect(notice).toEqual({
      topic: 'residents',
      type: key.replace(/\.(urgent|regular)$/, ''),
      subject,
      message,
    });
  });
});

describe('resident messages in Chinese', () => {
  const cases: Array<[string, Record<string, string>, string, string]> = [
    [
      'job.booked.urgent',
      {},
      '报修已受理',
      '您的水路急修已受理(工单 job-1),维修人员将于 11月23日 16:10 前到场。',
    ],
    [
      'job.booked.regular',
      {},
      '报修已受理',
      '您的水路报修已受理(工单 job-1),维修人员将按预约时间 11月24日 10:00–11月24日 12:00 上门。',
    ],
    ['job.accepted', {}, '已派工', '维修人员王师傅已接单,将为您处理工单 job-1。'],
    [
      'job.en_route',
      { eta: ',约 5 分钟到达' },
      '维修人员已出发',
      '王师傅已出发,约 5 分钟到达,请保持电话畅通。',
    ],
    [
      'job.form_signed',
      {},
      '维修已完成',
      '工单 job-1 已完成并由您签字确认。如以后有任何问题,请随时与我们联系。',
    ],
    ['job.declined', {}, '未进行维修', '已按您的意愿不进行维修(工单 job-1)。如需再次报修,请随时联系我们。'],
    [
      'job.unable_to_fix',
      { receipt: '取机凭证号:R-77。' },
      '需后续处理',
      '工单 job-1 未能现场修复,我们会尽快与您联系安排后续处理。取机凭证号:R-77。',
    ],
    ['job.cancelled', {}, '报修已取消', '工单 job-1 已取消。'],
    ['job.closed', {}, '感谢您的反馈', '感谢您接受回访并提出宝贵意见(工单 job-1)。'],
  ];

  it.each(cases)('renders %s', (key, extra, subject, message) => {
    const notice = residentNotice(zhJob, key, opts('en'), extra);

    expect(notice).toEqual({
      topic: 'residents',
      type: key.replace(/\.(urgent|regular)$/, ''),
      subject,
      message,
    });
  });
});

describe('resident messages follow the job, not the staff locale', () => {
  it('writes to an English-speaking resident in English when staff read Chinese', () => {
    expect(residentNotice(enJob, 'job.cancelled', opts('zh-CN')).subject).toBe('Repair cancelled');
  });

  it('writes to a Chinese-speaking resident in Chinese when staff read English', () => {
    expect(residentNotice(zhJob, 'job.cancelled', opts('en')).subject).toBe('报修已取消');
  });

  it('names the category in the resident language', () => {
    const job = { ...enJob, category: 'door_lock' as const };

    expect(residentNotice(job, 'job.booked.urgent', opts('en')).message).toContain('urgent door lock repair');
    expect(residentNotice({ ...job, locale: 'zh-CN' }, 'job.booked.urgent', opts('en')).message).toContain(
      '您的门锁急修',
    );
  });

  it('refuses a template key that does not exist', () => {
    expect(() => residentNotice(enJob, 'job.unknown', opts('en'))).toThrow('no template job.unknown');
  });
});

describe('technician messages', () => {
  it('announces a new job in English', () => {
    expect(technicianNotice(enJob, 'job.booked', opts('en'))).toEqual({
      topic: 'technicians',
      type: 'job.booked',
      subject: 'New job',
      message:
        'New urgent job job-1: plumbing at unit B2-1203, on site by Nov 23, 16:10. Fault: Kitchen tap leaking',
    });
  });

  it('announces a new job in Chinese', () => {
    expect(technicianNotice(enJob, 'job.booked', opts('zh-CN'))).toEqual({
      topic: 'technicians',
      type: 'job.booked',
      subject: '新工单',
      message: '新急修工单 job-1:水路,单元 B2-1203,11月23日 16:10 前到场。故障:Kitchen tap leaking',
    });
  });

  it('announces a cancellation in both languages', () => {
    expect(technicianNotice(enJob, 'job.cancelled', opts('en')).message).toBe(
      'Job job-1 (unit B2-1203) was cancelled.',
    );
    expect(technicianNotice(enJob, 'job.cancelled', opts('zh-CN')).message).toBe(
      '工单 job-1(单元 B2-1203)已取消。',
    );
  });

  it('calls a regular job 零修 in Chinese', () => {
    expect(
      technicianNotice({ ...enJob, priority: 'regular' }, 'job.booked', opts('zh-CN')).message,
    ).toContain('新零修工单');
  });
});

describe('staff alerts', () => {
  const cases: Array<[AlertType, Locale, PendingAlertShape]> = [
    [
      'sla.arrival_missed',
      'en',
      {
        severity: 'critical',
        subject: 'Arrival SLA missed',
        message:
          'Job job-1 (urgent, unit B2-1203) was due on site by Nov 23, 16:10; nobody has arrived. Technician: Wang Wei.',
      },
    ],
    [
      'sla.arrival_missed',
      'zh-CN',
      {
        severity: 'critical',
        subject: '超时未到场',
        message: '工单 job-1(急修,单元 B2-1203)应于 11月23日 16:10 前到场,至今无人到场。技术员:Wang Wei。',
      },
    ],
    [
      'sla.callback_missed',
      'en',
      {
        severity: 'warning',
        subject: 'Callback SLA missed',
        message:
          'Job job-1 (unit B2-1203) was due its one-week callback by Nov 30, 16:00; it has not been made.',
      },
    ],
    [
      'sla.callback_missed',
      'zh-CN',
      {
        severity: 'warning',
        subject: '回访超时',
        message: '工单 job-1(单元 B2-1203)应于 11月30日 16:00 前完成回访,尚未完成。',
      },
    ],
    [
      'callback.reminder',
      'en',
      {
        severity: 'info',
        subject: 'Callback due',
        message: 'Job job-1 (unit B2-1203) needs its one-week callback by Nov 30, 16:00.',
      },
    ],
    [
      'callback.reminder',
      'zh-CN',
      {
        severity: 'info',
        subject: '回访提醒',
        message: '工单 job-1(单元 B2-1203)需在 11月30日 16:00 前完成一周回访。',
      },
    ],
    [
      'job.unable_to_fix',
      'en',
      {
        severity: 'warning',
        subject: 'Unable to fix on site',
        message: 'Job job-1 (unit B2-1203) could not be fixed on site: Needs a part. Technician: Wang Wei.',
      },
    ],
    [
      'job.unable_to_fix',
      'zh-CN',
      {
        severity: 'warning',
        subject: '未能现场修复',
        message: '工单 job-1(单元 B2-1203)未能现场修复:Needs a part。技术员:Wang Wei。',
      },
    ],
  ];

  it.each(cases)('renders %s in %s', (type, staffLocale, expected) => {
    const words = alertText(
      enJob,
      { type, sent: false, detail: { reason: 'Needs a part' } },
      opts(staffLocale),
    );

    expect({ severity: ALERT_SEVERITY[type], ...words }).toEqual(expected);
  });

  it('writes a dash for the technician when nobody accepted the job', () => {
    const alert = alertText(jobIn('booked'), { type: 'sla.arrival_missed', sent: false }, opts('en'));

    expect(alert.message).toContain('Technician: -.');
  });
});

describe('late-milestone alerts: the same alert type, worded as how late it happened', () => {
  const arrivedAt = new Date('2026-11-23T08:35:00.000Z');
  const calledAt = new Date('2026-12-02T08:00:00.000Z');
  const late = (type: 'sla.arrival_missed' | 'sla.callback_missed', at: Date, staffLocale: Locale) =>
    alertText(enJob, { type, sent: false, detail: { lateAt: at.toISOString() } }, opts(staffLocale));
  const arrival = (staffLocale: Locale) => late('sla.arrival_missed', arrivedAt, staffLocale);
  const callback = (staffLocale: Locale) => late('sla.callback_missed', calledAt, staffLocale);

  it('tells English-reading managers the technician arrived 25 minutes late', () => {
    expect(arrival('en')).toEqual({
      subject: 'Arrival SLA missed',
      message:
        'Job job-1 (urgent, unit B2-1203) was due on site by Nov 23, 16:10; the technician arrived 25 minutes late, at Nov 23, 16:35. Technician: Wang Wei.',
    });
  });

  it('tells Chinese-reading managers the same', () => {
    expect(arrival('zh-CN')).toMatchObject({
      subject: '超时到场',
      message:
        '工单 job-1(急修,单元 B2-1203)应于 11月23日 16:10 前到场,技术员迟到 25 分钟,于 11月23日 16:35 到场。技术员:Wang Wei。',
    });
  });

  it('tells managers in both languages a callback was made 2 days late', () => {
    expect(callback('en')).toMatchObject({
      subject: 'Callback SLA missed',
      message:
        'Job job-1 (unit B2-1203) was due its one-week callback by Nov 30, 16:00; it was made 2 days late, at Dec 2, 16:00.',
    });
    expect(callback('zh-CN').message).toBe(
      '工单 job-1(单元 B2-1203)应于 11月30日 16:00 前完成回访,实际于 12月2日 16:00 完成,超时 2 天。',
    );
  });

  it('words a cancellation with nobody on site after the deadline in both languages', () => {
    const render = (l: Locale) =>
      alertText(
        enJob,
        { type: 'sla.arrival_missed', sent: false, detail: { cancelledAt: NOW.toISOString() } },
        opts(l),
      ).message;

    expect(render('en')).toBe(
      'Job job-1 (urgent, unit B2-1203) was due on site by Nov 23, 16:10; nobody had arrived when it was cancelled. Technician: Wang Wei.',
    );
    expect(render('zh-CN')).toBe(
      '工单 job-1(急修,单元 B2-1203)应于 11月23日 16:10 前到场,取消前一直无人到场。技术员:Wang Wei。',
    );
  });
});

describe('formatDelay', () => {
  it.each([
    [1, 'en', '1 minute'],
    [60_000, 'en', '1 minute'],
    [60_001, 'en', '2 minutes'],
    [119 * MINUTE, 'en', '119 minutes'],
    [120 * MINUTE, 'en', '2 hours'],
    [47 * 60 * MINUTE + 59 * MINUTE, 'en', '47 hours'],
    [48 * 60 * MINUTE, 'en', '2 days'],
    [25 * MINUTE, 'zh-CN', '25 分钟'],
    [3 * 60 * MINUTE, 'zh-CN', '3 小时'],
    [9 * 24 * 60 * MINUTE, 'zh-CN', '9 天'],
  ] as Array<[number, Locale, string]>)(
    'says %d ms in %s as "%s", never "0 minutes"',
    (ms, locale, words) => {
      expect(formatDelay(ms, locale)).toBe(words);
    },
  );
});

// S1: the quick-fix waiver is an internal policy and never appears in what residents read.
const WAIVER_WORDS = /免|waive|labou?r/i;
const RESIDENT_KEYS = [
  'job.booked.urgent',
  'job.booked.regular',
  'job.accepted',
  'job.en_route',
  'job.form_signed',
  'job.declined',
  'job.unable_to_fix',
  'job.cancelled',
  'job.closed',
];

describe('S1: resident messages never mention the labour waiver', () => {
  const waived = (locale: Locale): Job => ({
    ...enJob,
    locale,
    laborWaived: true,
    quote: { labor: 50, parts: 0, currency: 'CNY', covered: false, fault: 'Worn washer' },
  });

  it.each(RESIDENT_KEYS.flatMap((key) => (['en', 'zh-CN'] as const).map((locale) => [key, locale])))(
    '%s in %s says nothing about the waiver, even when labour was waived',
    (key, locale) => {
      const notice = residentNotice(waived(locale as Locale), key, opts('en'));

      expect(`${notice.subject} ${notice.message}`).not.toMatch(WAIVER_WORDS);
    },
  );

  it.each(['en', 'zh-CN'] as const)(
    'a quick fix from booking to closing sends %s residents no waiver words',
    (locale) => {
      const notices: Notice[] = [];
      const s = settings({ policy: { default: { quickFixWaiver: true } } });
      const request = {
        unitId: 'B2-1203',
        category: 'plumbing' as const,
        description: 'Tap',
        priority: 'urgent' as const,
        contactPhone: '+8613800138000',
        locale,
      };
      const booked = bookJob(request, RESIDENT, 'job-1', NOW, {}, policyFrom());
      notices.push(...told(booked));
      let job = booked.job;
      const steps = [
        'job.accepted',
        'job.en_route',
        'job.arrived',
        'job.diagnosed',
        'job.work_started',
        'job.completed',
        'job.site_cleaned',
        'job.form_signed',
      ] as const;
      steps.forEach((type, i) => {
        const d = applyWebhook(job, webhookEvent(type), at(NOW, i * MINUTE), policyFrom(s));
        notices.push(...told(d));
        job = d.job;
      });
      const closed = recordCallback(
        job,
        { sub: 'a-1', role: 'agent' },
        { reached: true, satisfaction: 5, issueResolved: true },
        at(NOW, 20 * MINUTE),
      );
      notices.push(...told(closed));

      expect(closed.job.laborWaived).toBe(true);
      const toResident = notices.filter((n) => n.topic === 'residents');
      expect(toResident.map((n) => n.type)).toEqual([
        'job.booked',
        'job.accepted',
        'job.en_route',
        'job.form_signed',
        'job.closed',
      ]);
      for (const n of toResident) expect(`${n.subject} ${n.message}`).not.toMatch(WAIVER_WORDS);
    },
  );

  it('a waived job that is cancelled by a manager sends no waiver words either', () => {
    const job = makeJob({
      status: 'diagnosed',
      technician: { id: 't-1', name: 'Wang Wei' },
      laborWaived: true,
    });

    const notices = told(cancelJob(job, { sub: 'm-1', role: 'manager' }, 'x', NOW));

    const resident = defined(
      notices.find((n) => n.topic === 'residents'),
      'resident notice',
    );
    expect(resident.message).not.toMatch(WAIVER_WORDS);
  });
});
