import { instantOf, localTime } from '../../functions/domain/calendar';
import { companyTimeZone } from './i18n';

// The appointment windows a regular repair is offered: two-hour slots in working hours of the
// next days, in the company's time zone. (Per-property hours and holidays come with the
// business calendar; until then 09:00–18:00 every day.)

const WINDOWS = [
  ['09:00', '11:00'],
  ['11:00', '13:00'],
  ['14:00', '16:00'],
  ['16:00', '18:00'],
] as const;

export interface Slot {
  start: string;
  end: string;
}

/** The instant of a wall-clock time on a local date in `zone`. */
export function zonedInstant(date: string, time: string, zone: string): Date {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  return instantOf({ year, month, day, hour, minute }, zone);
}

/**
 * A `datetime-local` input's value ("2026-12-01T14:30"), read as wall-clock time in `zone`, as
 * the API's ISO instant; null when it is not one.
 */
export function localInputInstant(value: string, zone: string): string | null {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(value);
  if (!m?.[1] || !m[2]) return null;
  const at = zonedInstant(m[1], m[2], zone);
  return Number.isNaN(at.getTime()) ? null : at.toISOString();
}

/** The local date (YYYY-MM-DD) in `zone` of an instant. */
export function localDate(at: Date, zone: string): string {
  const t = localTime(at, zone);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${t.year}-${two(t.month)}-${two(t.day)}`;
}

/** The next `count` free-to-offer slots after `now` (at least an hour ahead). */
export function nextSlots(now: Date, count = 8, zone = companyTimeZone()): Slot[] {
  const slots: Slot[] = [];
  for (let day = 0; slots.length < count && day < 14; day++) {
    const date = localDate(new Date(now.getTime() + day * 86_400_000), zone);
    for (const [from, to] of WINDOWS) {
      const start = zonedInstant(date, from, zone);
      if (start.getTime() - now.getTime() < 3600_000) continue;
      slots.push({ start: start.toISOString(), end: zonedInstant(date, to, zone).toISOString() });
      if (slots.length === count) break;
    }
  }
  return slots;
}
