import { useEffect, useState } from 'preact/hooks';
import type {
  Category,
  ComplaintCategory,
  ComplaintStatus,
  Locale,
  Status,
} from '../../functions/domain/types';
import { CATEGORY_WORDS } from '../../functions/domain/words';

// Words for both pages in zh-CN (the default) and en. Each page adds its own table; a string
// missing from one language is a type error, so switching language changes every word.

export type Words<K extends string> = Record<Locale, Record<K, string>>;

const LANGUAGE_KEY = 'home-repair.language';

/** The page language: zh-CN unless the user chose English (a preference, not a secret). */
export function useLocale(): [Locale, (l: Locale) => void] {
  const [locale, setLocale] = useState<Locale>(() =>
    globalThis.localStorage?.getItem(LANGUAGE_KEY) === 'en' ? 'en' : 'zh-CN',
  );
  useEffect(() => {
    document.documentElement.lang = locale;
    localStorage.setItem(LANGUAGE_KEY, locale);
  }, [locale]);
  return [locale, setLocale];
}

/** A category's name as a label: the notices' word, capitalised ("Door lock"). */
export function categoryLabel(locale: Locale, category: Category): string {
  const word = CATEGORY_WORDS[locale][category];
  return word.charAt(0).toUpperCase() + word.slice(1);
}

export const STATUS_WORDS: Record<Locale, Record<Status, string>> = {
  'zh-CN': {
    booked: '已预约,等待接单',
    accepted: '师傅已接单',
    en_route: '师傅正在路上',
    awaiting_reschedule: '上门未遇,待改约',
    arrived: '师傅已到达',
    diagnosed: '已说明故障和价格',
    in_progress: '正在维修',
    completed: '维修完成,已当面试用',
    cleaned: '现场已清理',
    signed: '已签字确认',
    closed: '已回访,工单关闭',
    cancelled: '已取消',
    declined: '报价未接受',
    needs_follow_up: '需要再次上门',
  },
  en: {
    booked: 'Booked, waiting for a technician',
    accepted: 'Technician assigned',
    en_route: 'Technician on the way',
    awaiting_reschedule: 'Nobody home, to be rescheduled',
    arrived: 'Technician arrived',
    diagnosed: 'Fault and price explained',
    in_progress: 'Repair in progress',
    completed: 'Repaired and tested with you',
    cleaned: 'Site cleaned',
    signed: 'Form signed',
    closed: 'Called back, job closed',
    cancelled: 'Cancelled',
    declined: 'Quote declined',
    needs_follow_up: 'Needs another visit',
  },
};

/** A complaint's category and status, for the console's queue and the resident's own complaints. */
export const COMPLAINT_CATEGORY_WORDS: Record<Locale, Record<ComplaintCategory, string>> = {
  'zh-CN': { conduct: '服务态度', quality: '维修质量', lateness: '上门迟到', price: '收费', other: '其他' },
  en: { conduct: 'Conduct', quality: 'Repair quality', lateness: 'Lateness', price: 'Price', other: 'Other' },
};

export const COMPLAINT_STATUS_WORDS: Record<Locale, Record<ComplaintStatus, string>> = {
  'zh-CN': { received: '已受理,调查中', investigated: '已调查,待回访', closed: '已回访,已结案' },
  en: {
    received: 'Received, being investigated',
    investigated: 'Investigated, callback due',
    closed: 'Called back, closed',
  },
};

/** The company's time zone (from /config.json): every time on the pages is shown in it. */
let timeZone = 'Asia/Shanghai';
export const setTimeZone = (zone: string) => {
  timeZone = zone;
};
export const companyTimeZone = () => timeZone;

/** "12月3日 14:05" / "Dec 3, 14:05" in the page language and the company's time zone. */
export function formatTime(iso: string, locale: Locale, withDate = true): string {
  return new Intl.DateTimeFormat(locale, {
    ...(withDate && { month: 'short', day: 'numeric' }),
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
    timeZone,
  }).format(new Date(iso));
}
