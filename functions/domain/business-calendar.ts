import { addDays, endOfLocalDate, instantAt, isoWeekday, localDate } from './calendar';
import { type BusinessCalendar, DEFAULT_PROPERTY } from './policy';

// When a property works, and the deadlines and windows that follow from it. Business hours are
// wall-clock times on the property's local dates, so each day's hours are found afresh in its
// zone: a daylight-saving day is as long as the clocks say, and 09:00 stays 09:00.

/** The calendar of a property nobody configured, in `timeZone` (policyFor gives it the deployment's). */
export const defaultCalendar = (timeZone: string): BusinessCalendar => ({
  timeZone,
  businessHours: DEFAULT_PROPERTY.businessHours,
  workdays: DEFAULT_PROPERTY.workdays,
  holidays: DEFAULT_PROPERTY.holidays,
  extraWorkdays: DEFAULT_PROPERTY.extraWorkdays,
});

/** How far ahead a search for a business day looks: a calendar that never works ends it. */
const SEARCH_DAYS = 2 * 366;

/**
 * Is the local date (YYYY-MM-DD) worked? Its weekday must be a workday and the date no holiday,
 * unless it is a make-up workday (extraWorkdays), which is worked whatever its weekday — and
 * wins over a holiday of the same date, as the list's name says.
 */
export function isBusinessDay(calendar: BusinessCalendar, date: string): boolean {
  if (calendar.extraWorkdays.includes(date)) return true;
  if (calendar.holidays.includes(date)) return false;
  return calendar.workdays.includes(isoWeekday(date));
}

/** The business hours of a local date as instants; null when the date is not worked. */
export function businessHoursOn(
  calendar: BusinessCalendar,
  date: string,
): { open: Date; close: Date } | null {
  if (!isBusinessDay(calendar, date)) return null;
  const { start, end } = calendar.businessHours;
  return { open: instantAt(date, start, calendar.timeZone), close: instantAt(date, end, calendar.timeZone) };
}

/** The first business day after the local date `date`; null if none within two years. */
function businessDayAfter(calendar: BusinessCalendar, date: string): string | null {
  for (let i = 1; i <= SEARCH_DAYS; i++) {
    const next = addDays(date, i);
    if (isBusinessDay(calendar, next)) return next;
  }
  return null;
}

/** The first business day after the local day of `instant` (YYYY-MM-DD); null if none within two years. */
export function nextBusinessDay(calendar: BusinessCalendar, instant: Date): string | null {
  return businessDayAfter(calendar, localDate(instant, calendar.timeZone));
}

/** Closing time of the local day of `instant` when that day is worked; null when it is not. */
export function closingTime(calendar: BusinessCalendar, instant: Date): Date | null {
  return businessHoursOn(calendar, localDate(instant, calendar.timeZone))?.close ?? null;
}

/** The milliseconds of business hours of business days between two instants (0 when `to` is not later). */
export function workingMsBetween(calendar: BusinessCalendar, from: Date, to: Date): number {
  let total = 0;
  const last = localDate(to, calendar.timeZone);
  for (let date = localDate(from, calendar.timeZone); date <= last; date = addDays(date, 1)) {
    const hours = businessHoursOn(calendar, date);
    if (!hours) continue;
    const start = Math.max(hours.open.getTime(), from.getTime());
    const end = Math.min(hours.close.getTime(), to.getTime());
    if (end > start) total += end - start;
  }
  return total;
}

/**
 * When the investigation of a complaint received at `receivedAt` is due (api-contract, business
 * calendars): 23:59:59.999 local of that day when it is a business day and the complaint came
 * before closing time (at any hour before it, early morning too); otherwise 23:59:59.999 of the
 * next business day. A calendar with no business day ahead keeps the day of receipt: the
 * investigation is owed all the same.
 */
export function investigationDueAt(calendar: BusinessCalendar, receivedAt: Date): Date {
  const today = localDate(receivedAt, calendar.timeZone);
  const hours = businessHoursOn(calendar, today);
  const day =
    hours && receivedAt.getTime() < hours.close.getTime()
      ? today
      : (businessDayAfter(calendar, today) ?? today);
  return endOfLocalDate(day, calendar.timeZone);
}

export interface AppointmentWindow {
  start: string;
  end: string;
}

/**
 * Which ends of an appointment window lie outside business hours: none when the whole window is
 * within the hours of one business day. The start must be at or after opening and before
 * closing of a business day; the end after opening and at or before closing of the start's day
 * (of its own day when the start is already wrong, so each end is judged).
 */
export function windowOutsideHours(
  calendar: BusinessCalendar,
  window: AppointmentWindow,
): ('start' | 'end')[] {
  const start = new Date(window.start);
  const end = new Date(window.end);
  const zone = calendar.timeZone;
  const startHours = businessHoursOn(calendar, localDate(start, zone));
  const startOk =
    startHours !== null && start >= startHours.open && start.getTime() < startHours.close.getTime();
  const endHours = startOk ? startHours : businessHoursOn(calendar, localDate(end, zone));
  const endOk = endHours !== null && end > endHours.open && end.getTime() <= endHours.close.getTime();
  return [...(startOk ? [] : ['start' as const]), ...(endOk ? [] : ['end' as const])];
}

/** Does the window lie within business hours of one business day? */
export const isWithinBusinessHours = (calendar: BusinessCalendar, window: AppointmentWindow) =>
  windowOutsideHours(calendar, window).length === 0;

/** The hours in words, for a message: "09:00–18:00 on a business day (Asia/Shanghai)". */
export const businessHoursText = (calendar: BusinessCalendar) =>
  `${calendar.businessHours.start}–${calendar.businessHours.end} on a business day (${calendar.timeZone})`;

/** The first opening of a business day at or after `after`; null when none is within two years. */
export function nextOpening(calendar: BusinessCalendar, after: Date): Date | null {
  let date = localDate(after, calendar.timeZone);
  for (let i = 0; i <= SEARCH_DAYS; i++, date = addDays(date, 1)) {
    const open = businessHoursOn(calendar, date)?.open;
    if (open && open >= after) return open;
  }
  return null;
}

/**
 * The earliest window of `lengthMs` starting at or after `after` within the hours of one
 * business day; null when none is within two years (hours shorter than the window, or no
 * business day at all).
 */
export function nextBusinessWindow(
  calendar: BusinessCalendar,
  after: Date,
  lengthMs: number,
): AppointmentWindow | null {
  let date = localDate(after, calendar.timeZone);
  for (let i = 0; i <= SEARCH_DAYS; i++, date = addDays(date, 1)) {
    const hours = businessHoursOn(calendar, date);
    if (!hours) continue;
    const start = Math.max(hours.open.getTime(), after.getTime());
    if (start + lengthMs <= hours.close.getTime())
      return { start: new Date(start).toISOString(), end: new Date(start + lengthMs).toISOString() };
  }
  return null;
}
