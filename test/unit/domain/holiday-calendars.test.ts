import { isoWeekday } from '../../../functions/domain/calendar';
import { CN_2026, HOLIDAY_PRESETS } from '../../../functions/domain/holiday-calendars';

// The preset is data copied from the State Council's notice of 4 November 2025: these checks
// catch a slip in typing it (a wrong day count, a make-up day that is not a weekend day).

describe("the People's Republic of China 2026 preset", () => {
  it('has the 33 days off of the seven holidays (3 + 9 + 3 + 5 + 3 + 3 + 7), once each, in order', () => {
    expect(CN_2026.holidays).toHaveLength(33);
    expect(new Set(CN_2026.holidays).size).toBe(33);
    expect([...CN_2026.holidays].sort()).toEqual(CN_2026.holidays);
  });

  it('runs the Spring Festival from Sunday 15 to Monday 23 February', () => {
    const spring = CN_2026.holidays.filter((d) => d.startsWith('2026-02'));
    expect([spring[0], spring.at(-1), spring.length]).toEqual(['2026-02-15', '2026-02-23', 9]);
    expect(isoWeekday('2026-02-15')).toBe(7);
    expect(isoWeekday('2026-02-23')).toBe(1);
  });

  it('has six make-up workdays, each a Saturday or Sunday and none a holiday', () => {
    expect(CN_2026.extraWorkdays).toEqual([
      '2026-01-04',
      '2026-02-14',
      '2026-02-28',
      '2026-05-09',
      '2026-09-20',
      '2026-10-10',
    ]);
    for (const d of CN_2026.extraWorkdays) expect([6, 7]).toContain(isoWeekday(d));
    for (const d of CN_2026.extraWorkdays) expect(CN_2026.holidays).not.toContain(d);
  });

  it('is offered by key', () => {
    expect(HOLIDAY_PRESETS['CN-2026']).toBe(CN_2026);
  });
});
