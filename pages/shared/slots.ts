import { defaultCalendar, isWithinBusinessHours } from '../../functions/domain/business-calendar';
import { addDays, instantAt, localDate } from '../../functions/domain/calendar';
import { companyTimeZone } from './i18n';

// The appointment windows a regular repair is offered: two-hour slots within the business
// hours of the next business days. The pages cannot read a property's calendar (GET
// /properties is the managers'), so they offer the defaults in the company's zone, which every
// property nobody configured keeps; a configured property with other hours refuses a window
// outside them with a 400 naming appointment.start or .end, and the form shows it.

/** The windows of a day that may be offered: those within the calendar's hours are. */
const WINDOWS = [
  ['09:00', '11:00'],
  ['11:00', '13:00'],
  ['14:00', '16:00'],
  ['16:00', '18:00'],
] as const;

/** How many days ahead slots are looked for: past a long public holiday and its weekends. */
const HORIZON_DAYS = 21;

export interface Slot {
  start: string;
  end: string;
}

/** The calendar the pages offer slots in: the defaults (09:00–18:00, Monday to Friday) in the company's zone. */
export const offeredCalendar = () => defaultCalendar(companyTimeZone());

/**
 * A `datetime-local` input's value ("2026-12-01T14:30"), read as wall-clock time in `zone`, as
 * the API's ISO instant; null when it is not one.
 */
export function localInputInstant(value: string, zone: string): string | null {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(value);
  if (!m?.[1] || !m[2]) return null;
  const at = instantAt(m[1], m[2], zone);
  return Number.isNaN(at.getTime()) ? null : at.toISOString();
}

/** The next `count` slots after `now` (at least an hour ahead) within the calendar's business hours. */
export function nextSlots(now: Date, count = 8, calendar = offeredCalendar()): Slot[] {
  const slots: Slot[] = [];
  let date = localDate(now, calendar.timeZone);
  for (let day = 0; slots.length < count && day < HORIZON_DAYS; day++, date = addDays(date, 1)) {
    for (const [from, to] of WINDOWS) {
      const start = instantAt(date, from, calendar.timeZone);
      const slot = { start: start.toISOString(), end: instantAt(date, to, calendar.timeZone).toISOString() };
      if (start.getTime() - now.getTime() < 3600_000 || !isWithinBusinessHours(calendar, slot)) continue;
      slots.push(slot);
      if (slots.length === count) break;
    }
  }
  return slots;
}
