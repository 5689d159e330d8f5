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

/** Minutes the zone is ahead of UTC at `utcMs`. */
function offsetMinutes(utcMs: number, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(new Date(utcMs));
  const n = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  return (Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute')) - utcMs) / 60_000;
}

/** The instant of a wall-clock time on a local date in `zone`. */
export function zonedInstant(date: string, time: string, zone: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  const asUtc = Date.UTC(y, m - 1, d, hh, mm);
  const first = asUtc - offsetMinutes(asUtc, zone) * 60_000;
  return new Date(asUtc - offsetMinutes(first, zone) * 60_000);
}

/** The local date (YYYY-MM-DD) in `zone` of an instant. */
export const localDate = (at: Date, zone: string) =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);

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
