// Wall-clock maths in a time zone, without a date library: Intl tells the local date of an
// instant; the instant of a local time is found by correcting a guess with the zone's offset
// at that guess (twice, so a daylight-saving change between the two is honoured).

// Building an Intl.DateTimeFormat costs far more than using one: one per time zone.
const partsFormats = new Map<string, Intl.DateTimeFormat>();

function formatIn(timeZone: string): Intl.DateTimeFormat {
  let format = partsFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    partsFormats.set(timeZone, format);
  }
  return format;
}

/** A date and time on the wall clock of a zone (month 1–12). */
export interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** What the clocks in `timeZone` show at `instant`. */
export function localTime(instant: Date, timeZone: string): LocalTime {
  const parts = formatIn(timeZone).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  return {
    year: part('year'),
    month: part('month'),
    day: part('day'),
    hour: part('hour'),
    minute: part('minute'),
    second: part('second'),
  };
}

/** How far the zone's clocks are ahead of UTC at `instant`, in milliseconds (whole seconds). */
function offsetAt(instant: number, timeZone: string): number {
  const t = localTime(new Date(instant), timeZone);
  const asUtc = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant the zone's clocks show this local time. `day` may run past the month's end
 * (Date.UTC carries it over). A local time skipped by a daylight-saving change moves forward
 * by the gap (02:30 on a spring-forward night is 03:30), as Temporal's "compatible" does.
 */
export function instantOf(t: Omit<LocalTime, 'second'> & { second?: number }, timeZone: string): Date {
  const wall = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second ?? 0);
  let guess = wall - offsetAt(wall, timeZone);
  guess = wall - offsetAt(guess, timeZone);
  return new Date(guess);
}

/** The local date (YYYY-MM-DD) in `timeZone` of an instant. */
export function localDate(instant: Date, timeZone: string): string {
  const t = localTime(instant, timeZone);
  return isoDate(t.year, t.month, t.day);
}

const isoDate = (year: number, month: number, day: number) =>
  `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;

/** A local date's year, month (1–12) and day. */
export function dateParts(date: string): { year: number; month: number; day: number } {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return { year, month, day };
}

/** The local date `days` after `date` (before it when negative); a calendar date has no zone. */
export function addDays(date: string, days: number): string {
  const { year, month, day } = dateParts(date);
  const d = new Date(Date.UTC(year, month - 1, day + days));
  return isoDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

/** The ISO weekday of a local date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  const { year, month, day } = dateParts(date);
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay() || 7;
}

/** The instant the clocks of `timeZone` show `time` ('HH:MM') on the local `date`. */
export function instantAt(date: string, time: string, timeZone: string): Date {
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  return instantOf({ ...dateParts(date), hour, minute }, timeZone);
}

/** The last millisecond of a local date in `timeZone` (23:59:59.999 on its clocks). */
export function endOfLocalDate(date: string, timeZone: string): Date {
  return new Date(instantAt(addDays(date, 1), '00:00', timeZone).getTime() - 1);
}

/**
 * The last millisecond of the local day `instant` falls on in `timeZone` (23:59:59.999 on its
 * clocks): a complaint received at 23:50 in Shanghai is due ten minutes later, not tomorrow.
 */
export function endOfLocalDay(instant: Date, timeZone: string): Date {
  return endOfLocalDate(localDate(instant, timeZone), timeZone);
}
