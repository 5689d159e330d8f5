import {
  businessHoursOn,
  businessHoursText,
  closingTime,
  defaultCalendar,
  investigationDueAt,
  isBusinessDay,
  isWithinBusinessHours,
  nextBusinessDay,
  nextBusinessWindow,
  nextOpening,
  windowOutsideHours,
  workingMsBetween,
} from '../../../functions/domain/business-calendar';
import { CN_2026 } from '../../../functions/domain/holiday-calendars';
import type { BusinessCalendar } from '../../../functions/domain/policy';

// The business-calendar maths: which local dates are worked, how much working time lies between
// two instants, when a complaint's investigation is due, and which appointment windows fit.

const HOUR = 3600_000;
const SHANGHAI = defaultCalendar('Asia/Shanghai');
/** Shanghai with the State Council's 2026 holidays and make-up workdays. */
const CHINA_2026: BusinessCalendar = { ...SHANGHAI, ...CN_2026 };
const BERLIN = defaultCalendar('Europe/Berlin');
const NEW_YORK = defaultCalendar('America/New_York');

const due = (calendar: BusinessCalendar, iso: string) =>
  investigationDueAt(calendar, new Date(iso)).toISOString();
const hours = (calendar: BusinessCalendar, from: string, to: string) =>
  workingMsBetween(calendar, new Date(from), new Date(to)) / HOUR;
const window = (start: string, end: string) => ({ start, end });

describe('business days', () => {
  it('are the workdays by ISO weekday: Monday to Friday by default', () => {
    expect(isBusinessDay(SHANGHAI, '2026-11-23')).toBe(true); // Monday
    expect(isBusinessDay(SHANGHAI, '2026-11-27')).toBe(true); // Friday
    expect(isBusinessDay(SHANGHAI, '2026-11-28')).toBe(false); // Saturday
    expect(isBusinessDay(SHANGHAI, '2026-11-29')).toBe(false); // Sunday
  });

  it('follow a property whose week differs (Tuesday to Saturday)', () => {
    const shop = { ...SHANGHAI, workdays: [2, 3, 4, 5, 6] };
    expect(isBusinessDay(shop, '2026-11-23')).toBe(false);
    expect(isBusinessDay(shop, '2026-11-28')).toBe(true);
  });

  it('leave out the holidays and add the make-up workdays: the 2026 Spring Festival week', () => {
    expect(isBusinessDay(CHINA_2026, '2026-02-13')).toBe(true); // Friday before
    expect(isBusinessDay(CHINA_2026, '2026-02-14')).toBe(true); // make-up Saturday
    for (const day of ['16', '17', '18', '19', '20', '23'])
      expect(isBusinessDay(CHINA_2026, `2026-02-${day}`)).toBe(false);
    expect(isBusinessDay(CHINA_2026, '2026-02-24')).toBe(true); // back on Tuesday
    expect(isBusinessDay(CHINA_2026, '2026-02-28')).toBe(true); // the second make-up Saturday
  });

  it('count a date that is both a holiday and a make-up workday as worked', () => {
    expect(
      isBusinessDay({ ...SHANGHAI, holidays: ['2026-11-28'], extraWorkdays: ['2026-11-28'] }, '2026-11-28'),
    ).toBe(true);
  });

  it('the next one after an instant skips the weekend and the holidays', () => {
    expect(nextBusinessDay(SHANGHAI, new Date('2026-11-27T10:00:00.000Z'))).toBe('2026-11-30'); // Fri → Mon
    expect(nextBusinessDay(CHINA_2026, new Date('2026-02-13T10:00:00.000Z'))).toBe('2026-02-14');
    expect(nextBusinessDay(CHINA_2026, new Date('2026-02-14T10:00:00.000Z'))).toBe('2026-02-24');
    expect(nextBusinessDay(CHINA_2026, new Date('2026-09-30T10:00:00.000Z'))).toBe('2026-10-08');
  });

  it('the next one is the local day after, though UTC still shows the day before', () => {
    // 00:30 on Saturday in Shanghai is Friday in UTC: the next business day is Monday.
    expect(nextBusinessDay(SHANGHAI, new Date('2026-11-27T16:30:00.000Z'))).toBe('2026-11-30');
  });

  it('a calendar that never works has no next business day', () => {
    expect(nextBusinessDay({ ...SHANGHAI, workdays: [] }, new Date('2026-11-27T10:00:00.000Z'))).toBeNull();
  });
});

describe('business hours of a day', () => {
  it('open and close at the local times, as instants', () => {
    expect(businessHoursOn(SHANGHAI, '2026-11-23')).toEqual({
      open: new Date('2026-11-23T01:00:00.000Z'),
      close: new Date('2026-11-23T10:00:00.000Z'),
    });
    expect(businessHoursOn(SHANGHAI, '2026-11-28')).toBeNull();
  });

  it('close at 18:00 local on either side of a daylight-saving change in New York', () => {
    expect(closingTime(NEW_YORK, new Date('2026-03-06T15:00:00.000Z'))?.toISOString()).toBe(
      '2026-03-06T23:00:00.000Z', // EST, UTC−5
    );
    expect(closingTime(NEW_YORK, new Date('2026-03-09T15:00:00.000Z'))?.toISOString()).toBe(
      '2026-03-09T22:00:00.000Z', // EDT, UTC−4
    );
  });

  it('have no closing time on a day that is not worked', () => {
    expect(closingTime(SHANGHAI, new Date('2026-11-28T03:00:00.000Z'))).toBeNull();
  });

  it('are described for a message', () => {
    expect(businessHoursText(SHANGHAI)).toBe('09:00–18:00 on a business day (Asia/Shanghai)');
  });
});

describe('working time between two instants', () => {
  it('counts only business hours: from 16:00 to 10:00 the next day is three hours', () => {
    expect(hours(SHANGHAI, '2026-11-23T08:00:00.000Z', '2026-11-24T02:00:00.000Z')).toBe(3);
  });

  it('counts nothing over a weekend: Friday 17:00 to Monday 10:00 is two hours', () => {
    expect(hours(SHANGHAI, '2026-11-27T09:00:00.000Z', '2026-11-30T02:00:00.000Z')).toBe(2);
  });

  it('counts nothing on the holidays and a full day on a make-up Saturday', () => {
    // Friday 13 February 09:00 to Tuesday 24 February 09:00: Friday and Saturday 14th, 9 h each.
    expect(hours(CHINA_2026, '2026-02-13T01:00:00.000Z', '2026-02-24T01:00:00.000Z')).toBe(18);
  });

  it('is zero within a non-working stretch and when the end is not later', () => {
    expect(hours(SHANGHAI, '2026-11-28T01:00:00.000Z', '2026-11-29T10:00:00.000Z')).toBe(0);
    expect(hours(SHANGHAI, '2026-11-24T02:00:00.000Z', '2026-11-23T08:00:00.000Z')).toBe(0);
  });

  it('counts a working day across the spring-forward night in Berlin as the nine hours on its clocks', () => {
    // Friday 27 March 09:00 CET to Monday 30 March 18:00 CEST: Friday and Monday, 9 h each.
    expect(hours(BERLIN, '2026-03-27T08:00:00.000Z', '2026-03-30T16:00:00.000Z')).toBe(18);
  });
});

describe("a complaint's investigation deadline", () => {
  it('is the end of the day of receipt on a business day before closing time', () => {
    expect(due(SHANGHAI, '2026-11-23T08:00:00.000Z')).toBe('2026-11-23T15:59:59.999Z'); // Monday 16:00
  });

  it('is the same day for a receipt before opening too (07:00 is before closing)', () => {
    expect(due(SHANGHAI, '2026-11-22T23:00:00.000Z')).toBe('2026-11-23T15:59:59.999Z');
  });

  it('is the same day a millisecond before closing, the next business day at closing time', () => {
    expect(due(SHANGHAI, '2026-11-23T09:59:59.999Z')).toBe('2026-11-23T15:59:59.999Z');
    expect(due(SHANGHAI, '2026-11-23T10:00:00.000Z')).toBe('2026-11-24T15:59:59.999Z');
  });

  it('is the end of the next business day for a receipt after closing (23:50 on a Monday)', () => {
    expect(due(SHANGHAI, '2026-11-23T15:50:00.000Z')).toBe('2026-11-24T15:59:59.999Z');
  });

  it('is ten minutes on where business hours run until 23:59 and the complaint came at 23:50', () => {
    const late = { ...SHANGHAI, businessHours: { start: '09:00', end: '23:59' } };
    expect(due(late, '2026-11-23T15:50:00.000Z')).toBe('2026-11-23T15:59:59.999Z');
  });

  it('is the end of Monday for a receipt on Friday evening or at the weekend', () => {
    expect(due(SHANGHAI, '2026-11-27T12:00:00.000Z')).toBe('2026-11-30T15:59:59.999Z'); // Friday 20:00
    expect(due(SHANGHAI, '2026-11-28T03:00:00.000Z')).toBe('2026-11-30T15:59:59.999Z'); // Saturday 11:00
  });

  it('is the end of the first business day after a holiday received on the holiday', () => {
    expect(due(CHINA_2026, '2026-10-01T02:00:00.000Z')).toBe('2026-10-08T15:59:59.999Z'); // National Day
    expect(due(CHINA_2026, '2026-02-17T02:00:00.000Z')).toBe('2026-02-24T15:59:59.999Z'); // Spring Festival
  });

  it('falls on a make-up Saturday, which is a business day', () => {
    expect(due(CHINA_2026, '2026-02-14T03:00:00.000Z')).toBe('2026-02-14T15:59:59.999Z'); // Saturday 11:00
    expect(due(CHINA_2026, '2026-02-13T12:00:00.000Z')).toBe('2026-02-14T15:59:59.999Z'); // Friday 20:00
  });

  it('ends the local day in New York, across the spring-forward weekend', () => {
    // Friday 6 March 2026, 19:00 EST (after closing) → Monday 9 March, 23:59:59.999 EDT (UTC−4).
    expect(due(NEW_YORK, '2026-03-07T00:00:00.000Z')).toBe('2026-03-10T03:59:59.999Z');
  });

  it('ends the local day in Berlin on the fall-back Monday after a Sunday receipt', () => {
    // Sunday 25 October 2026 (the 25-hour day) → Monday 26 October 23:59:59.999 CET (UTC+1).
    expect(due(BERLIN, '2026-10-25T10:00:00.000Z')).toBe('2026-10-26T22:59:59.999Z');
  });

  it('stays on the day of receipt for a calendar that never works', () => {
    expect(due({ ...SHANGHAI, workdays: [] }, '2026-11-23T12:00:00.000Z')).toBe('2026-11-23T15:59:59.999Z');
  });
});

describe('an appointment window', () => {
  const outside = (calendar: BusinessCalendar, start: string, end: string) =>
    windowOutsideHours(calendar, window(start, end));

  it('fits inside business hours of a business day, opening and closing included', () => {
    expect(outside(SHANGHAI, '2026-11-24T01:00:00.000Z', '2026-11-24T03:00:00.000Z')).toEqual([]); // 09–11
    expect(outside(SHANGHAI, '2026-11-24T08:00:00.000Z', '2026-11-24T10:00:00.000Z')).toEqual([]); // 16–18
  });

  it('is refused at its start before opening time', () => {
    expect(outside(SHANGHAI, '2026-11-24T00:00:00.000Z', '2026-11-24T02:00:00.000Z')).toEqual(['start']); // 08–10
  });

  it('is refused at its end when it spans closing time', () => {
    expect(outside(SHANGHAI, '2026-11-24T09:00:00.000Z', '2026-11-24T11:00:00.000Z')).toEqual(['end']); // 17–19
  });

  it('is refused at both ends in the evening and at the weekend', () => {
    expect(outside(SHANGHAI, '2026-11-24T11:00:00.000Z', '2026-11-24T12:00:00.000Z')).toEqual([
      'start',
      'end',
    ]);
    expect(outside(SHANGHAI, '2026-11-28T02:00:00.000Z', '2026-11-28T04:00:00.000Z')).toEqual([
      'start',
      'end',
    ]);
  });

  it('is refused when it starts at closing time', () => {
    expect(outside(SHANGHAI, '2026-11-24T10:00:00.000Z', '2026-11-24T10:30:00.000Z')).toEqual([
      'start',
      'end',
    ]);
  });

  it('is refused on a holiday and allowed on a make-up Saturday', () => {
    expect(
      isWithinBusinessHours(CHINA_2026, window('2026-02-17T02:00:00.000Z', '2026-02-17T04:00:00.000Z')),
    ).toBe(false);
    expect(
      isWithinBusinessHours(CHINA_2026, window('2026-02-14T02:00:00.000Z', '2026-02-14T04:00:00.000Z')),
    ).toBe(true);
  });

  it('is judged on the wall clock of the property: 13:00–15:00 UTC is 09:00 EDT in July, 08:00 EST in January', () => {
    expect(outside(NEW_YORK, '2026-07-14T13:00:00.000Z', '2026-07-14T15:00:00.000Z')).toEqual([]);
    expect(outside(NEW_YORK, '2026-01-13T13:00:00.000Z', '2026-01-13T15:00:00.000Z')).toEqual(['start']);
  });
});

describe('the next business window', () => {
  it('starts at the instant asked when that leaves room before closing', () => {
    expect(nextBusinessWindow(SHANGHAI, new Date('2026-11-23T02:00:00.000Z'), 2 * HOUR)).toEqual(
      window('2026-11-23T02:00:00.000Z', '2026-11-23T04:00:00.000Z'),
    );
  });

  it('moves to the next opening when the day has no room left', () => {
    // Friday 17:00 in Shanghai, two hours wanted: Monday 09:00.
    expect(nextBusinessWindow(SHANGHAI, new Date('2026-11-27T09:00:00.000Z'), 2 * HOUR)).toEqual(
      window('2026-11-30T01:00:00.000Z', '2026-11-30T03:00:00.000Z'),
    );
  });

  it('skips the holidays to a make-up Saturday', () => {
    expect(nextBusinessWindow(CHINA_2026, new Date('2026-02-13T10:00:00.000Z'), HOUR)).toEqual(
      window('2026-02-14T01:00:00.000Z', '2026-02-14T02:00:00.000Z'),
    );
  });

  it('is none when the window is longer than the business hours', () => {
    expect(nextBusinessWindow(SHANGHAI, new Date('2026-11-23T00:00:00.000Z'), 10 * HOUR)).toBeNull();
  });
});

describe('the next opening', () => {
  const opening = (calendar: BusinessCalendar, iso: string) =>
    nextOpening(calendar, new Date(iso))?.toISOString();

  it('is this morning before opening, and the instant itself at opening', () => {
    expect(opening(SHANGHAI, '2026-11-23T00:00:00.000Z')).toBe('2026-11-23T01:00:00.000Z');
    expect(opening(SHANGHAI, '2026-11-23T01:00:00.000Z')).toBe('2026-11-23T01:00:00.000Z');
  });

  it('is the next business morning once the day has opened: Friday 10:00 → Monday 09:00', () => {
    expect(opening(SHANGHAI, '2026-11-27T02:00:00.000Z')).toBe('2026-11-30T01:00:00.000Z');
  });

  it('is 09:00 EDT in New York on the Monday after the spring-forward Sunday', () => {
    expect(opening(NEW_YORK, '2026-03-07T12:00:00.000Z')).toBe('2026-03-09T13:00:00.000Z');
  });
});
