import type { Category, Locale } from './types';

// What each fault category is called, in a sentence ("your plumbing repair"): the notices,
// the pages and the reports' labels read the same word.

export const CATEGORY_WORDS: Record<Locale, Record<Category, string>> = {
  'zh-CN': {
    plumbing: '水路',
    electrical: '电路',
    appliance: '家电',
    door_lock: '门锁',
    hvac: '空调暖通',
    other: '其他',
  },
  en: {
    plumbing: 'plumbing',
    electrical: 'electrical',
    appliance: 'appliance',
    door_lock: 'door lock',
    hvac: 'heating and cooling',
    other: 'other',
  },
};
