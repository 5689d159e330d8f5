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

/**
 * The last millisecond of the local day `instant` falls on in `timeZone` (23:59:59.999 on its
 * clocks): a complaint received at 23:50 in Shanghai is due ten minutes later, not tomorrow.
 */
export function endOfLocalDay(instant: Date, timeZone: string): Date {
  const t = localTime(instant, timeZone);
  const nextMidnight = instantOf(
    { year: t.year, month: t.month, day: t.day + 1, hour: 0, minute: 0 },
    timeZone,
  );
  return new Date(nextMidnight.getTime() - 1);
}
