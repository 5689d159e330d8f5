import type { ValidationError } from '../../../functions/domain/errors';
import { CN_2026 } from '../../../functions/domain/holiday-calendars';
import { bookJob } from '../../../functions/domain/lifecycle';
import { openFollowUp } from '../../../functions/domain/links';
import type { PropertyPolicy } from '../../../functions/domain/policy';
import type { BookingRequest } from '../../../functions/domain/schemas';
import { jobIn, MANAGER, NOW, policyFrom, RESIDENT, thrownBy } from '../support/fixtures';

// A regular repair's window must lie within business hours of a business day of its property
// (api-contract, business calendars); an urgent repair comes at any hour.

const DEFAULT = policyFrom(); // 09:00–18:00, Monday to Friday, Asia/Shanghai
const HOURS = 'must be within business hours, 09:00–18:00 on a business day (Asia/Shanghai)';

const regular = (start: string, end: string): BookingRequest => ({
  unitId: 'B2-1203',
  category: 'plumbing',
  description: 'Kitchen tap leaking',
  priority: 'regular',
  contactPhone: '+8613800138000',
  locale: 'en',
  appointment: { start, end },
});
const book = (req: BookingRequest, policy: PropertyPolicy = DEFAULT, now = NOW) =>
  bookJob(req, RESIDENT, 'job-9', now, {}, policy);
const refusal = (fn: () => unknown) => (thrownBy(fn) as ValidationError).errors;

describe('a regular appointment on the default calendar', () => {
  it('is booked from opening to 11:00 on a weekday', () => {
    // Tuesday 24 November 2026, 09:00–11:00 in Shanghai.
    expect(book(regular('2026-11-24T01:00:00.000Z', '2026-11-24T03:00:00.000Z')).job.status).toBe('booked');
  });

  it('is booked up to closing time exactly', () => {
    expect(book(regular('2026-11-24T08:00:00.000Z', '2026-11-24T10:00:00.000Z')).job.status).toBe('booked');
  });

  it('is refused at appointment.start when it starts before opening', () => {
    expect(refusal(() => book(regular('2026-11-24T00:00:00.000Z', '2026-11-24T02:00:00.000Z')))).toEqual([
      { path: 'appointment.start', message: HOURS },
    ]);
  });

  it('is refused at appointment.end when it runs past closing time', () => {
    expect(refusal(() => book(regular('2026-11-24T09:00:00.000Z', '2026-11-24T11:00:00.000Z')))).toEqual([
      { path: 'appointment.end', message: HOURS },
    ]);
  });

  it('is refused at both ends on a Saturday', () => {
    const e = refusal(() => book(regular('2026-11-28T02:00:00.000Z', '2026-11-28T04:00:00.000Z')));
    expect(e.map((x) => x.path)).toEqual(['appointment.start', 'appointment.end']);
  });

  it('reports a past start and the hours together, the past first', () => {
    // Monday 07:00–08:00, already gone at NOW (Monday 16:00).
    const e = refusal(() => book(regular('2026-11-22T23:00:00.000Z', '2026-11-23T00:00:00.000Z')));
    expect(e).toEqual([
      { path: 'appointment.start', message: 'must be in the future' },
      { path: 'appointment.start', message: HOURS },
      { path: 'appointment.end', message: HOURS },
    ]);
  });
});

describe("a regular appointment on a configured property's calendar", () => {
  const china: PropertyPolicy = { ...DEFAULT, ...CN_2026, configured: true };
  const before = new Date('2026-02-01T00:00:00.000Z');

  it('is refused on a public holiday (the Spring Festival, a Tuesday)', () => {
    const e = refusal(() =>
      book(regular('2026-02-17T02:00:00.000Z', '2026-02-17T04:00:00.000Z'), china, before),
    );
    expect(e.map((x) => x.path)).toEqual(['appointment.start', 'appointment.end']);
  });

  it('is booked on a make-up Saturday', () => {
    const { job } = book(regular('2026-02-14T02:00:00.000Z', '2026-02-14T04:00:00.000Z'), china, before);
    expect(job.status).toBe('booked');
  });

  it("names the property's own hours and zone", () => {
    const ny: PropertyPolicy = {
      ...DEFAULT,
      timeZone: 'America/New_York',
      businessHours: { start: '08:00', end: '16:00' },
      configured: true,
    };
    // Tuesday 24 November 2026, 16:00–17:00 EST.
    const e = refusal(() => book(regular('2026-11-24T21:00:00.000Z', '2026-11-24T22:00:00.000Z'), ny));
    expect(e).toEqual([
      {
        path: 'appointment.start',
        message: 'must be within business hours, 08:00–16:00 on a business day (America/New_York)',
      },
      {
        path: 'appointment.end',
        message: 'must be within business hours, 08:00–16:00 on a business day (America/New_York)',
      },
    ]);
  });
});

describe('an urgent repair', () => {
  it('is booked at any hour: 03:00 on a Sunday', () => {
    const sunday = new Date('2026-11-28T19:00:00.000Z');
    const { appointment: _none, ...fields } = regular('2026-11-30T01:00:00.000Z', '2026-11-30T03:00:00.000Z');
    const urgent: BookingRequest = { ...fields, priority: 'urgent' };
    expect(book(urgent, DEFAULT, sunday).job.status).toBe('booked');
  });
});

describe('a follow-up visit', () => {
  it('is held to the same hours: a window at 20:00 is refused at appointment.start and .end', () => {
    const e = refusal(() =>
      openFollowUp(
        jobIn('needs_follow_up'),
        { start: '2026-11-24T12:00:00.000Z', end: '2026-11-24T13:00:00.000Z' },
        MANAGER,
        'job-2',
        NOW,
        DEFAULT,
      ),
    );
    expect(e.map((x) => x.path)).toEqual(['appointment.start', 'appointment.end']);
  });
});
