import type { ComplaintView, JobView } from '../../../client/api-client';
import { isWithinBusinessHours } from '../../../functions/domain/business-calendar';
import { instantAt } from '../../../functions/domain/calendar';
import { CN_2026 } from '../../../functions/domain/holiday-calendars';
import { DEFAULT_PROPERTY } from '../../../functions/domain/policy';
import {
  byComplaintDeadline,
  byRisk,
  complaintDeadline,
  complaintMisses,
  countdown,
  nextDeadline,
} from '../../../pages/shared/sla';
import { localInputInstant, nextSlots } from '../../../pages/shared/slots';

// What the board shows for each job's next promise, what the complaints queue shows for each
// complaint's, and the windows a regular repair offers.

const NOW = new Date('2026-12-01T02:00:00.000Z');
const SHANGHAI = { ...DEFAULT_PROPERTY, timeZone: 'Asia/Shanghai' };
const MIN = 60_000;
const at = (ms: number) => new Date(NOW.getTime() + ms).toISOString();

function job(id: string, sla: Partial<JobView['sla']>): JobView {
  return {
    jobId: id,
    sla: {
      arrivalDueAt: at(10 * MIN),
      arrivedAt: null,
      arrivalMet: null,
      callbackDueAt: null,
      callbackMet: null,
      ...sla,
    },
  } as JobView;
}

describe('nextDeadline', () => {
  it.each([
    ['ok with more than 3 minutes to go', { arrivalDueAt: at(4 * MIN) }, 'arrival', 'ok'],
    ['soon within 3 minutes', { arrivalDueAt: at(3 * MIN) }, 'arrival', 'soon'],
    ['missed once past, before the timer records it', { arrivalDueAt: at(-1000) }, 'arrival', 'missed'],
    ['missed when the server recorded it', { arrivalMet: false }, 'arrival', 'missed'],
    [
      'the callback once arrival was met',
      { arrivalMet: true, callbackDueAt: at(3 * 86_400_000) },
      'callback',
      'ok',
    ],
    [
      'a callback due within a day is soon',
      { arrivalMet: true, callbackDueAt: at(3600_000) },
      'callback',
      'soon',
    ],
  ] as const)('is %s', (_what, sla, kind, risk) => {
    expect(nextDeadline(job('j', sla), NOW)).toMatchObject({ kind, risk });
  });

  it('is null when every promise is kept', () => {
    expect(
      nextDeadline(job('j', { arrivalMet: true, callbackDueAt: at(MIN), callbackMet: true }), NOW),
    ).toBeNull();
  });
});

test('the board puts missed first, then the least time left, then jobs with nothing due', () => {
  const jobs = [
    job('done', { arrivalMet: true }),
    job('later', { arrivalDueAt: at(9 * MIN) }),
    job('missed', { arrivalMet: false }),
    job('sooner', { arrivalDueAt: at(2 * MIN) }),
  ];

  expect(jobs.sort(byRisk(NOW)).map((j) => j.jobId)).toEqual(['missed', 'sooner', 'later', 'done']);
});

function complaint(
  id: string,
  status: ComplaintView['status'],
  sla: Partial<ComplaintView['sla']> = {},
): ComplaintView {
  return {
    complaintId: id,
    status,
    sla: {
      investigationDueAt: at(60 * MIN),
      investigatedAt: null,
      investigationMet: null,
      callbackDueAt: at(3 * 86_400_000),
      calledBackAt: null,
      callbackMet: null,
      ...sla,
    },
  } as ComplaintView;
}

describe('complaintDeadline', () => {
  it.each([
    [
      'the investigation while received, soon within 2 hours',
      complaint('c', 'received'),
      'investigation',
      'soon',
    ],
    [
      'the investigation, ok further off',
      complaint('c', 'received', { investigationDueAt: at(3 * 3600_000) }),
      'investigation',
      'ok',
    ],
    [
      'the investigation missed when the server recorded it',
      complaint('c', 'received', { investigationMet: false }),
      'investigation',
      'missed',
    ],
    [
      'the investigation missed once past, before the timer records it',
      complaint('c', 'received', { investigationDueAt: at(-1000) }),
      'investigation',
      'missed',
    ],
    [
      'the callback once investigated',
      complaint('c', 'investigated', { investigatedAt: at(-MIN), investigationMet: true }),
      'callback',
      'ok',
    ],
    [
      'the callback, soon within a day',
      complaint('c', 'investigated', { callbackDueAt: at(3600_000) }),
      'callback',
      'soon',
    ],
  ] as const)('is %s', (_what, c, kind, risk) => {
    expect(complaintDeadline(c, NOW)).toMatchObject({ kind, risk });
  });

  it('is null once closed', () => {
    expect(complaintDeadline(complaint('c', 'closed'), NOW)).toBeNull();
  });
});

test('a complaint names each deadline it missed, recorded or passed', () => {
  expect(complaintMisses(complaint('c', 'received'), NOW)).toEqual([]);
  expect(complaintMisses(complaint('c', 'received', { investigationDueAt: at(-1) }), NOW)).toEqual([
    'investigation',
  ]);
  expect(
    complaintMisses(
      complaint('c', 'closed', {
        investigationMet: false,
        investigatedAt: at(-MIN),
        callbackMet: false,
        calledBackAt: at(-1),
      }),
      NOW,
    ),
  ).toEqual(['investigation', 'callback']);
  expect(
    complaintMisses(complaint('c', 'closed', { investigatedAt: at(-MIN), calledBackAt: at(-1) }), NOW),
  ).toEqual([]);
});

test('the complaints queue puts the nearest next deadline first, as the API orders it', () => {
  const complaints = [
    complaint('investigated-later', 'investigated', { callbackDueAt: at(2 * 86_400_000) }),
    complaint('received-today', 'received', { investigationDueAt: at(5 * 3600_000) }),
    complaint('missed', 'received', { investigationDueAt: at(-3600_000), investigationMet: false }),
    complaint('callback-soon', 'investigated', { callbackDueAt: at(3600_000) }),
  ];

  expect(complaints.sort(byComplaintDeadline(NOW)).map((c) => c.complaintId)).toEqual([
    'missed',
    'callback-soon',
    'received-today',
    'investigated-later',
  ]);
});

test.each([
  [9 * MIN + 41_000, '9:41'],
  [-(2 * MIN + 5000), '-2:05'],
  [3 * 3600_000 + 7 * MIN, '3h07'],
  [3 * 86_400_000, '3d'],
])('countdown(%d) is %s', (ms, text) => {
  expect(countdown(ms)).toBe(text);
});

describe('appointment windows', () => {
  it('turns a wall-clock time in a zone into its instant', () => {
    expect(instantAt('2026-12-01', '09:00', 'Asia/Shanghai').toISOString()).toBe('2026-12-01T01:00:00.000Z');
    expect(instantAt('2026-07-01', '09:00', 'Europe/Berlin').toISOString()).toBe('2026-07-01T07:00:00.000Z');
  });

  it("reads a datetime-local value as the company's wall-clock time", () => {
    expect(localInputInstant('2030-01-02T10:30', 'Asia/Shanghai')).toBe('2030-01-02T02:30:00.000Z');
    expect(localInputInstant('', 'Asia/Shanghai')).toBeNull();
    expect(localInputInstant('not a time', 'Asia/Shanghai')).toBeNull();
  });

  it('offers two-hour windows at least an hour ahead, in business hours of the company zone', () => {
    // Tuesday 10:00 in Shanghai: 09-11 has begun, 11-13 is just an hour away; then the afternoon, then tomorrow.
    const slots = nextSlots(NOW, 4, SHANGHAI);

    expect(slots).toEqual([
      { start: '2026-12-01T03:00:00.000Z', end: '2026-12-01T05:00:00.000Z' },
      { start: '2026-12-01T06:00:00.000Z', end: '2026-12-01T08:00:00.000Z' },
      { start: '2026-12-01T08:00:00.000Z', end: '2026-12-01T10:00:00.000Z' },
      { start: '2026-12-02T01:00:00.000Z', end: '2026-12-02T03:00:00.000Z' },
    ]);
  });

  it('offers nothing at the weekend: after Friday afternoon comes Monday morning', () => {
    const friday = new Date('2026-12-04T06:30:00.000Z'); // 14:30 in Shanghai
    expect(nextSlots(friday, 2, SHANGHAI)).toEqual([
      { start: '2026-12-04T08:00:00.000Z', end: '2026-12-04T10:00:00.000Z' },
      { start: '2026-12-07T01:00:00.000Z', end: '2026-12-07T03:00:00.000Z' },
    ]);
  });

  it("offers only windows the property's calendar accepts: past the Spring Festival, the make-up Saturday included", () => {
    const china = { ...SHANGHAI, ...CN_2026 };
    const slots = nextSlots(new Date('2026-02-13T10:00:00.000Z'), 12, china); // Friday 18:00
    expect(slots.every((s) => isWithinBusinessHours(china, s))).toBe(true);
    expect(slots.slice(0, 5).map((s) => s.start)).toEqual([
      '2026-02-14T01:00:00.000Z', // the make-up Saturday
      '2026-02-14T03:00:00.000Z',
      '2026-02-14T06:00:00.000Z',
      '2026-02-14T08:00:00.000Z',
      '2026-02-24T01:00:00.000Z', // back after the holiday
    ]);
  });

  it('offers the windows in the business hours of another zone', () => {
    const berlin = { ...DEFAULT_PROPERTY, timeZone: 'Europe/Berlin' };
    // Monday 30 March 2026, 07:00 UTC = 09:00 CEST: 11-13 local is the first an hour ahead.
    expect(nextSlots(new Date('2026-03-30T07:00:00.000Z'), 1, berlin)).toEqual([
      { start: '2026-03-30T09:00:00.000Z', end: '2026-03-30T11:00:00.000Z' },
    ]);
  });
});
