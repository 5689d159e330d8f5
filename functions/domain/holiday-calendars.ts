import type { BusinessCalendar } from './policy';

// Public-holiday presets a property's settings may copy (holidays and extraWorkdays of PUT
// /properties/{propertyId}); nothing applies one by itself. Each is the published schedule, dated
// and sourced, because a government announces it year by year and it cannot be computed.

/** Every local date from `first` to `last` (YYYY-MM-DD, both included, within one month). */
function run(first: string, last: string): string[] {
  const prefix = first.slice(0, 8);
  const dates: string[] = [];
  for (let day = Number(first.slice(8)); day <= Number(last.slice(8)); day++)
    dates.push(`${prefix}${String(day).padStart(2, '0')}`);
  return dates;
}

export interface HolidayPreset extends Pick<BusinessCalendar, 'holidays' | 'extraWorkdays'> {
  name: string;
  source: string;
}

/**
 * The People's Republic of China, 2026: 国务院办公厅关于2026年部分节假日安排的通知 (General Office
 * of the State Council, 4 November 2025, published by Xinhua). Every day off of each holiday is
 * listed, weekends inside a holiday too, as the notice gives them; the make-up workdays (调休上班)
 * are the Saturdays and Sundays worked in exchange.
 */
export const CN_2026: HolidayPreset = {
  name: "People's Republic of China 2026 (State Council)",
  // The notice as Xinhua carried it (checked against it for this preset); its number on gov.cn
  // was not checked, so it is not quoted.
  source: 'https://politics.gmw.cn/2025-11/04/content_38391083.htm',
  holidays: [
    ...run('2026-01-01', '2026-01-03'), // New Year's Day, Thu–Sat
    ...run('2026-02-15', '2026-02-23'), // Spring Festival, Sun (腊月二十八) – Mon (正月初七), 9 days
    ...run('2026-04-04', '2026-04-06'), // Qingming, Sat–Mon
    ...run('2026-05-01', '2026-05-05'), // Labour Day, Fri–Tue
    ...run('2026-06-19', '2026-06-21'), // Dragon Boat, Fri–Sun
    ...run('2026-09-25', '2026-09-27'), // Mid-Autumn, Fri–Sun
    ...run('2026-10-01', '2026-10-07'), // National Day, Thu–Wed
  ],
  extraWorkdays: [
    '2026-01-04', // Sun, for New Year's Day
    '2026-02-14', // Sat, for the Spring Festival
    '2026-02-28', // Sat, for the Spring Festival
    '2026-05-09', // Sat, for Labour Day
    '2026-09-20', // Sun, for National Day
    '2026-10-10', // Sat, for National Day
  ],
};

/** The presets the console may offer, by key. */
export const HOLIDAY_PRESETS = { 'CN-2026': CN_2026 } as const;
