import { endOfLocalDay, instantOf, localTime } from '../../../functions/domain/calendar';

// The end-of-day maths of S16 ("investigated the same day"), in the company's time zone.

const SHANGHAI = 'Asia/Shanghai';
const end = (iso: string, zone = SHANGHAI) => endOfLocalDay(new Date(iso), zone).toISOString();

describe('endOfLocalDay in Asia/Shanghai (UTC+8, no daylight saving)', () => {
  it('ends a morning receipt at 23:59:59.999 local, 15:59:59.999 UTC', () => {
    expect(end('2026-11-23T02:00:00.000Z')).toBe('2026-11-23T15:59:59.999Z');
  });

  it('gives a receipt at 23:50 local only the ten minutes left of its day', () => {
    expect(end('2026-11-23T15:50:00.000Z')).toBe('2026-11-23T15:59:59.999Z');
  });

  it('puts a receipt just after local midnight on the new day, though UTC is still the day before', () => {
    expect(end('2026-11-23T16:00:00.000Z')).toBe('2026-11-24T15:59:59.999Z');
  });

  it('keeps the last millisecond of a day on that day', () => {
    expect(end('2026-11-23T15:59:59.999Z')).toBe('2026-11-23T15:59:59.999Z');
  });

  it('carries over a month end (30 November → 1 December)', () => {
    expect(end('2026-11-30T17:00:00.000Z')).toBe('2026-12-01T15:59:59.999Z');
  });

  it('carries over a year end (31 December local evening)', () => {
    expect(end('2026-12-31T12:00:00.000Z')).toBe('2026-12-31T15:59:59.999Z');
    expect(end('2026-12-31T16:30:00.000Z')).toBe('2027-01-01T15:59:59.999Z');
  });

  it('knows 29 February of a leap year', () => {
    expect(end('2028-02-28T20:00:00.000Z')).toBe('2028-02-29T15:59:59.999Z');
  });
});

describe('endOfLocalDay in zones with daylight saving', () => {
  it('ends a day in New York in winter at 04:59:59.999 UTC the next day (UTC−5)', () => {
    expect(end('2026-01-15T17:00:00.000Z', 'America/New_York')).toBe('2026-01-16T04:59:59.999Z');
  });

  it('ends the 23-hour spring-forward day in Europe/Berlin at 21:59:59.999 UTC (UTC+2 by then)', () => {
    expect(end('2026-03-29T00:30:00.000Z', 'Europe/Berlin')).toBe('2026-03-29T21:59:59.999Z');
  });

  it('ends the 25-hour fall-back day in Europe/Berlin at 22:59:59.999 UTC (UTC+1 by then)', () => {
    expect(end('2026-10-25T00:30:00.000Z', 'Europe/Berlin')).toBe('2026-10-25T22:59:59.999Z');
  });
});

describe('localTime and instantOf', () => {
  it('read the wall clock of a zone and find the instant back', () => {
    const t = localTime(new Date('2026-11-23T15:50:00.000Z'), SHANGHAI);
    expect(t).toEqual({ year: 2026, month: 11, day: 23, hour: 23, minute: 50, second: 0 });
    expect(instantOf(t, SHANGHAI).toISOString()).toBe('2026-11-23T15:50:00.000Z');
  });

  it('move a local time skipped by spring-forward forward by the gap (02:30 → 03:30 CEST)', () => {
    const skipped = { year: 2026, month: 3, day: 29, hour: 2, minute: 30 };
    expect(instantOf(skipped, 'Europe/Berlin').toISOString()).toBe('2026-03-29T01:30:00.000Z');
  });
});
