import {
  applyWebhook,
  bookJob,
  cancelJob,
  onTimer,
  recordCallback,
} from '../../../functions/domain/lifecycle';
import {
  csvCell,
  monthOf,
  type ReportFact,
  reportFacts,
  type StoredReport,
  techniciansCsv,
  toMonthlyReport,
} from '../../../functions/domain/reports';
import type { BookingRequest } from '../../../functions/domain/schemas';
import { CATEGORIES, type Job } from '../../../functions/domain/types';
import {
  AGENT,
  at,
  DAY,
  iso,
  jobIn,
  MANAGER,
  MINUTE,
  makeJob,
  NOW,
  RESIDENT,
  settings,
  TECH,
  webhookEvent,
} from '../support/fixtures';

// The monthly figures are facts about changes: each test makes the change with the real
// lifecycle (the decision a request or a timer commits) and reads what the stream would carry,
// the job before and after.

const ZONE = 'Asia/Shanghai';
const BOOKING: BookingRequest = {
  unitId: 'B2-1203',
  category: 'electrical',
  description: 'The lights flicker',
  priority: 'urgent',
  contactPhone: '+8613800138000',
  locale: 'en',
};

const booked = (when = NOW, extra: Partial<BookingRequest> = {}) =>
  bookJob({ ...BOOKING, ...extra }, RESIDENT, 'job-1', when).job;
const hook = (job: Job, type: Parameters<typeof webhookEvent>[0], when: Date, policy = settings()) =>
  applyWebhook(job, webhookEvent(type), when, policy).job;

/** The facts, each as `month property counter [technician] +by`, easy to read in a failure. */
const facts = (before: Job | null, after: Job, zone = ZONE) =>
  reportFacts(before, after, zone).map(
    (f: ReportFact) =>
      `${f.month} ${f.property} ${f.counter}${f.technician ? ` ${f.technician.id}` : ''} +${f.by}`,
  );

describe('reportFacts', () => {
  it('counts a booking, and its category, in the month it was booked', () => {
    expect(facts(null, booked())).toEqual(['2026-11 B2 booked +1', '2026-11 B2 category:electrical +1']);
  });

  it('counts in the configured time zone: 2026-11-30T16:30Z is December in Shanghai, November in UTC', () => {
    const late = new Date('2026-11-30T16:30:00.000Z');

    expect(facts(null, booked(late))).toEqual(['2026-12 B2 booked +1', '2026-12 B2 category:electrical +1']);
    expect(facts(null, booked(late), 'UTC')[0]).toBe('2026-11 B2 booked +1');
    expect(monthOf('2026-12-31T15:59:59.999Z', ZONE)).toBe('2026-12');
    expect(monthOf('2026-12-31T16:00:00.000Z', ZONE)).toBe('2027-01');
  });

  it("counts a job for the technician who accepted it, in the month of acceptance, under the unit's property", () => {
    const before = booked(new Date('2026-10-31T10:00:00.000Z'), { unitId: 'A7-0101' });
    const after = hook(before, 'job.accepted', new Date('2026-11-02T01:00:00.000Z'));

    expect(facts(before, after)).toEqual(['2026-11 A7 jobs t-1 +1']);
  });

  it('counts an arrival on time as met, for its priority and the technician on the job', () => {
    const accepted = hook(booked(), 'job.accepted', at(NOW, MINUTE));
    const arrived = hook(accepted, 'job.arrived', at(NOW, 5 * MINUTE));

    expect(facts(accepted, arrived)).toEqual([
      '2026-11 B2 arrival:urgent:met +1',
      '2026-11 B2 arrival:met t-1 +1',
    ]);
  });

  it('counts a late arrival as missed, for a regular job too', () => {
    const regular = booked(NOW, {
      priority: 'regular',
      appointment: { start: iso(NOW, DAY), end: iso(NOW, DAY + 60 * MINUTE) },
    });
    const accepted = hook(regular, 'job.accepted', at(NOW, MINUTE));
    const arrived = hook(accepted, 'job.arrived', at(NOW, DAY + 30 * MINUTE));

    expect(facts(accepted, arrived)).toEqual([
      '2026-11 B2 arrival:regular:missed +1',
      '2026-11 B2 arrival:missed t-1 +1',
    ]);
  });

  it('counts a miss recorded before anyone accepted in the totals only', () => {
    const before = booked();
    const missed = onTimer(before, at(NOW, 11 * MINUTE))?.job as Job;

    expect(facts(before, missed)).toEqual(['2026-11 B2 arrival:urgent:missed +1']);
  });

  it('counts the miss the timer recorded once: the late arrival after it settles nothing new', () => {
    const accepted = hook(booked(), 'job.accepted', at(NOW, MINUTE));
    const missed = onTimer(accepted, at(NOW, 11 * MINUTE))?.job as Job;
    const arrived = hook(missed, 'job.arrived', at(NOW, 20 * MINUTE));

    expect(facts(accepted, missed)).toEqual([
      '2026-11 B2 arrival:urgent:missed +1',
      '2026-11 B2 arrival:missed t-1 +1',
    ]);
    expect(facts(missed, arrived)).toEqual([]);
  });

  it('counts each ending in the month the job reached it', () => {
    const cancelled = cancelJob(booked(), MANAGER, 'duplicate', at(NOW, MINUTE)).job;
    const diagnosed = jobIn('diagnosed', { updatedAt: iso(NOW) });
    const declined = hook(diagnosed, 'job.quote_declined', at(NOW, 40 * DAY));

    expect(facts(booked(), cancelled)).toEqual(['2026-11 B2 cancelled +1']);
    expect(facts(diagnosed, declined)).toEqual(['2027-01 B2 declined +1']);
  });

  it('counts a visit that could not fix it as needs-follow-up, and unable-to-fix for its technician', () => {
    const arrived = jobIn('arrived', { sla: { arrivalMet: true } });
    const after = hook(arrived, 'job.unable_to_fix', at(NOW, MINUTE));

    expect(facts(arrived, after)).toEqual(['2026-11 B2 needsFollowUp +1', '2026-11 B2 unableToFix t-1 +1']);
  });

  it('counts the S1 quick fix for the technician when the labour was waived', () => {
    const started = jobIn('in_progress', { workStartedAt: iso(NOW) });
    const fixed = hook(started, 'job.completed', at(NOW, 5 * MINUTE));
    const slow = hook(started, 'job.completed', at(NOW, 30 * MINUTE));

    expect(fixed.laborWaived).toBe(true);
    expect(facts(started, fixed)).toEqual(['2026-11 B2 laborWaived t-1 +1']);
    expect(facts(started, slow)).toEqual([]);
  });

  it('counts a callback made in time as met and the satisfaction it recorded, in the month the job closed', () => {
    const signed = jobIn('signed');
    const closed = recordCallback(
      signed,
      AGENT,
      { reached: true, satisfaction: 4, issueResolved: true },
      at(NOW, DAY),
    ).job;

    expect(facts(signed, closed)).toEqual([
      '2026-11 B2 callback:met +1',
      '2026-11 B2 closed +1',
      '2026-11 B2 satisfaction:count +1',
      '2026-11 B2 satisfaction:sum +4',
      '2026-11 B2 satisfaction:count t-1 +1',
      '2026-11 B2 satisfaction:sum t-1 +4',
    ]);
  });

  it('counts a callback missed in the month the timer found it (December here), and nothing for an attempt', () => {
    const signed = jobIn('signed');
    const attempted = recordCallback(signed, AGENT, { reached: false }, at(NOW, DAY)).job;
    const missed = onTimer(attempted, at(NOW, 8 * DAY))?.job as Job;

    expect(facts(signed, attempted)).toEqual([]);
    expect(facts(attempted, missed)).toEqual(['2026-12 B2 callback:missed +1']);
  });

  it('adds nothing for changes that settle no figure: a parked token, an alert marked sent, a rating', () => {
    const job = jobIn('accepted');
    const parked = {
      ...job,
      wait: { token: 'tok', milestone: 'arrival' as const },
      version: job.version + 1,
    };
    const alerted = makeJob({ alerts: { 'sla.arrival_missed': { type: 'sla.arrival_missed', sent: true } } });
    const rated = { ...jobIn('signed'), rating: { score: 5, comment: null, at: iso(NOW) } };

    expect(facts(job, parked)).toEqual([]);
    expect(facts(makeJob(), alerted)).toEqual([]);
    expect(facts(jobIn('signed'), rated)).toEqual([]);
  });

  it('adds nothing when the same image comes again: each fact needs its field to change', () => {
    const closed = jobIn('closed', { satisfaction: 5, sla: { arrivalMet: true, callbackMet: true } });

    expect(facts(closed, closed)).toEqual([]);
  });

  it('counts no satisfaction that is not a score of 1 to 5', () => {
    const signed = jobIn('signed');
    const odd = { ...jobIn('closed'), satisfaction: 7 };

    expect(facts(signed, odd)).toEqual(['2026-11 B2 closed +1']);
  });

  it('names the technician by id and name, as the job has them', () => {
    const accepted = hook(booked(), 'job.accepted', NOW);

    expect(reportFacts(booked(), accepted, ZONE)[0]?.technician).toEqual(TECH);
  });
});

const EMPTY: StoredReport = { totals: {}, technicians: [] };

describe('toMonthlyReport', () => {
  it('answers every figure of the contract, zero when nothing was counted', () => {
    expect(toMonthlyReport('2026-12', null, ZONE, EMPTY)).toEqual({
      month: '2026-12',
      property: null,
      timeZone: ZONE,
      jobs: { booked: 0, closed: 0, cancelled: 0, declined: 0, needsFollowUp: 0 },
      byCategory: Object.fromEntries(CATEGORIES.map((c) => [c, 0])),
      arrival: { urgent: { met: 0, missed: 0 }, regular: { met: 0, missed: 0 } },
      callbacks: { met: 0, missed: 0 },
      satisfaction: { count: 0, average: null },
      technicians: [],
    });
  });

  it('reads the stored counters into the figures, the average to two decimals', () => {
    const report = toMonthlyReport('2026-12', 'B2', ZONE, {
      totals: {
        booked: 7,
        closed: 3,
        'category:hvac': 2,
        'arrival:urgent:missed': 1,
        'arrival:regular:met': 4,
        'callback:met': 3,
        'satisfaction:count': 3,
        'satisfaction:sum': 13,
      },
      technicians: [],
    });

    expect(report).toMatchObject({
      property: 'B2',
      jobs: { booked: 7, closed: 3 },
      byCategory: { hvac: 2, plumbing: 0 },
      arrival: { urgent: { met: 0, missed: 1 }, regular: { met: 4, missed: 0 } },
      callbacks: { met: 3, missed: 0 },
      satisfaction: { count: 3, average: 4.33 },
    });
  });

  it('lists technicians by jobs, most first, then by technicianId', () => {
    const row = (id: string, jobs: number) => ({ id, name: `Tech ${id}`, counters: { jobs } });
    const report = toMonthlyReport('2026-12', null, ZONE, {
      totals: {},
      technicians: [row('t-2', 1), row('t-9', 4), row('t-1', 1), row('t-3', 0)],
    });

    expect(report.technicians.map((t) => t.technicianId)).toEqual(['t-9', 't-1', 't-2', 't-3']);
  });

  it("gives each technician's row its figures, a null average when no callback scored them", () => {
    const report = toMonthlyReport('2026-12', null, ZONE, {
      totals: {},
      technicians: [
        {
          id: 't-1',
          name: 'Wang Wei',
          counters: {
            jobs: 5,
            'arrival:met': 4,
            'arrival:missed': 1,
            'satisfaction:count': 2,
            'satisfaction:sum': 9,
            unableToFix: 1,
            laborWaived: 2,
          },
        },
        { id: 't-2', name: 'Li Lei', counters: { jobs: 1 } },
      ],
    });

    expect(report.technicians).toEqual([
      {
        technicianId: 't-1',
        name: 'Wang Wei',
        jobs: 5,
        arrivalMet: 4,
        arrivalMissed: 1,
        satisfactionAverage: 4.5,
        unableToFix: 1,
        laborWaived: 2,
      },
      {
        technicianId: 't-2',
        name: 'Li Lei',
        jobs: 1,
        arrivalMet: 0,
        arrivalMissed: 0,
        satisfactionAverage: null,
        unableToFix: 0,
        laborWaived: 0,
      },
    ]);
  });
});

describe('the technicians CSV', () => {
  const reportWith = (...rows: Array<{ id: string; name: string; counters?: Record<string, number> }>) =>
    toMonthlyReport('2026-12', null, ZONE, {
      totals: {},
      technicians: rows.map((r) => ({ counters: { jobs: 1 }, ...r })),
    });

  it('starts with a BOM and the header row, and ends each line with CRLF', () => {
    const csv = techniciansCsv(reportWith({ id: 't-1', name: 'Wang Wei', counters: { jobs: 2 } }));

    expect(csv.startsWith('\uFEFFtechnicianId,name,jobs,arrivalMet,arrivalMissed,')).toBe(true);
    expect(csv).toBe(
      '\uFEFFtechnicianId,name,jobs,arrivalMet,arrivalMissed,satisfactionAverage,unableToFix,laborWaived\r\n' +
        't-1,Wang Wei,2,0,0,,0,0\r\n',
    );
  });

  it('quotes a field with a comma, a quote or a line break, doubling the quotes', () => {
    const csv = techniciansCsv(
      reportWith(
        { id: 't-1', name: 'Wang, Wei' },
        { id: 't-2', name: 'Li "Lucky" Lei' },
        { id: 't-3', name: 'Zhao\nQian' },
      ),
    );

    expect(csv).toContain('\r\nt-1,"Wang, Wei",1,');
    expect(csv).toContain('\r\nt-2,"Li ""Lucky"" Lei",1,');
    expect(csv).toContain('\r\nt-3,"Zhao\nQian",1,');
  });

  it.each([
    ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    ['+86 138', "'+86 138"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tTab', "'\tTab"],
  ])('neutralises the formula in %j with a leading apostrophe', (name, cell) => {
    expect(csvCell(name)).toBe(cell);
    expect(techniciansCsv(reportWith({ id: 't-1', name }))).toContain(`\r\nt-1,${cell},`);
  });

  it('leaves numbers and ordinary text as they are, and a missing average empty', () => {
    expect([csvCell(4.5), csvCell(0), csvCell('Wang Wei'), csvCell(null)]).toEqual([
      '4.5',
      '0',
      'Wang Wei',
      '',
    ]);
  });
});
