import {
  investigate,
  onComplaintTimer,
  receiveComplaint,
  recordComplaintCallback,
} from '../../../functions/domain/complaints';
import {
  applyWebhook,
  bookJob,
  cancelJob,
  onTimer,
  recordCallback,
} from '../../../functions/domain/lifecycle';
import { bookRework, openFollowUp, recallOf } from '../../../functions/domain/links';
import {
  complaintFacts,
  csvCell,
  monthOf,
  type ReportFact,
  recallRate,
  reportFacts,
  type StoredReport,
  techniciansCsv,
  toMonthlyReport,
} from '../../../functions/domain/reports';
import type { BookingRequest } from '../../../functions/domain/schemas';
import { CATEGORIES, type Complaint, type Job } from '../../../functions/domain/types';
import {
  AGENT,
  at,
  DAY,
  HOUR,
  iso,
  jobIn,
  MANAGER,
  MINUTE,
  makeJob,
  NOW,
  policyFrom,
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
  bookJob({ ...BOOKING, ...extra }, RESIDENT, 'job-1', when, {}, policyFrom()).job;
const hook = (job: Job, type: Parameters<typeof webhookEvent>[0], when: Date, policy = settings()) =>
  applyWebhook(job, webhookEvent(type), when, policyFrom(policy)).job;

/** The facts, each as `month property counter [technician] +by`, easy to read in a failure. */
const readable = (f: ReportFact) =>
  `${f.month} ${f.property} ${f.counter}${f.technician ? ` ${f.technician.id}` : ''} +${f.by}`;
const facts = (before: Job | null, after: Job, zone = ZONE) => reportFacts(before, after, zone).map(readable);

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

describe('reportFacts: signatures and recalls', () => {
  /** The unit's last signed job, signed at `signedAt` by `technician`. */
  const signedJob = (signedAt: Date, technician: Job['technician'] = TECH) =>
    jobIn('signed', { jobId: 'job-0', unitId: BOOKING.unitId, technician, signedAt: signedAt.toISOString() });
  const lastSigned = (j: Job) => ({
    jobId: j.jobId,
    technician: j.technician,
    signedAt: j.signedAt as string,
  });
  /** A booking at `when` of the unit and category of that job, as createJob makes it (recallOf on the last signed). */
  const bookingAfter = (recalled: Job, when = NOW) =>
    bookJob(BOOKING, RESIDENT, 'job-1', when, { recall: recallOf(lastSigned(recalled), when) }, policyFrom())
      .job;

  it('counts a signature in the month the form was signed, in the totals and for the technician who signed', () => {
    const cleaned = jobIn('cleaned');
    // 2026-12-01T08:00Z: December in Shanghai.
    const signed = hook(cleaned, 'job.form_signed', at(NOW, 8 * DAY));

    expect(facts(cleaned, signed)).toEqual(['2026-12 B2 signed +1', '2026-12 B2 signed t-1 +1']);
  });

  it('counts a signature once: the changes after it (a rating, the callback) add no signature', () => {
    const signed = hook(jobIn('cleaned'), 'job.form_signed', NOW);
    const rated = {
      ...signed,
      rating: { score: 5, comment: null, at: iso(NOW) },
      version: signed.version + 1,
    };
    const closed = recordCallback(rated, AGENT, { reached: true, issueResolved: true }, at(NOW, DAY)).job;

    expect(facts(signed, rated)).toEqual([]);
    expect(facts(rated, closed).filter((f) => f.includes('signed'))).toEqual([]);
  });

  it('counts a recall booked on day 29 against the recalled job: its technician, the month of its signature', () => {
    // Signed 2026-10-25 (October), recalled 2026-11-23 (November).
    const recalled = signedJob(at(NOW, -29 * DAY));
    const booking = bookingAfter(recalled);

    expect(booking.links.recallOf).toBe('job-0');
    expect(facts(null, booking)).toEqual([
      '2026-11 B2 booked +1',
      '2026-11 B2 category:electrical +1',
      '2026-10 B2 recalls +1',
      '2026-10 B2 recalls t-1 +1',
    ]);
  });

  it("counts the recall in the signature's month in the company's time zone: 2026-10-31T16:30Z is November", () => {
    const recalled = signedJob(new Date('2026-10-31T16:30:00.000Z'));

    expect(facts(null, bookingAfter(recalled)).filter((f) => f.includes('recalls'))).toEqual([
      '2026-11 B2 recalls +1',
      '2026-11 B2 recalls t-1 +1',
    ]);
  });

  it('counts no recall for a booking on day 31: it recalls nothing', () => {
    const booking = bookingAfter(signedJob(at(NOW, -31 * DAY)));

    expect(booking.recall).toBeNull();
    expect(facts(null, booking)).toEqual(['2026-11 B2 booked +1', '2026-11 B2 category:electrical +1']);
  });

  it('counts a recall once: the recall job accepted, or its image again, adds no recall', () => {
    const booking = bookingAfter(signedJob(at(NOW, -2 * DAY)));
    const accepted = hook(booking, 'job.accepted', at(NOW, MINUTE));

    expect(facts(booking, accepted)).toEqual(['2026-11 B2 jobs t-1 +1']);
    expect(facts(booking, booking)).toEqual([]);
  });

  it('counts no recall for a rework or a follow-up of the same unit and fault, signed the day before', () => {
    const original = jobIn('signed', { signedAt: iso(NOW, -DAY) });
    const window = { start: iso(NOW, DAY), end: iso(NOW, DAY + HOUR) };
    const rework = bookRework(original, window, AGENT, 'job-r', NOW, policyFrom()).job;
    const followUp = openFollowUp(jobIn('needs_follow_up'), window, MANAGER, 'job-f', NOW, policyFrom())
      .followUp.job;
    // Even with the store's last signed job at hand, a rework is not a recall.
    const recall = recallOf(lastSigned(original), NOW);
    const reworkWithRecall = bookJob(
      BOOKING,
      RESIDENT,
      'job-x',
      NOW,
      { reworkOf: 'job-1', recall },
      policyFrom(),
    ).job;

    for (const job of [rework, followUp, reworkWithRecall]) {
      expect(facts(null, job).filter((f) => f.includes('recalls'))).toEqual([]);
    }
    expect(facts(null, rework)).toEqual(['2026-11 B2 booked +1', '2026-11 B2 category:plumbing +1']);
  });

  it('counts the recall of a job signed without a technician in the totals only', () => {
    const booking = bookingAfter(signedJob(at(NOW, -DAY), null));

    expect(facts(null, booking).filter((f) => f.includes('recalls'))).toEqual(['2026-11 B2 recalls +1']);
  });

  it('names the recalled technician as the recalled job had them, not whoever takes the recall', () => {
    const other = { id: 't-2', name: 'Li Lei' };
    const booking = bookingAfter(signedJob(at(NOW, -DAY), other));

    expect(reportFacts(null, booking, ZONE).find((f) => f.technician)?.technician).toEqual(other);
  });
});

describe('complaintFacts', () => {
  const COMPLAINT = {
    unitId: 'A1-0302',
    category: 'conduct' as const,
    description: 'The technician was rude',
    contactPhone: '+8613800138000',
  };
  const received = (when = NOW) =>
    receiveComplaint(COMPLAINT, RESIDENT, 'c-1', when, policyFrom(), null).complaint;
  const FILED = { findings: 'Confirmed', cause: 'Stress', handler: 'Zhang', result: 'Apologised' };
  const investigated = (c: Complaint, when: Date) => investigate(c, AGENT, FILED, when).complaint;
  const calledBack = (c: Complaint, when: Date, reached = true) =>
    recordComplaintCallback(c, AGENT, reached ? { reached, satisfied: true } : { reached }, when).complaint;
  const timer = (c: Complaint, when: Date) => onComplaintTimer(c, when)?.complaint as Complaint;
  const cfacts = (before: Complaint | null, after: Complaint) =>
    complaintFacts(before, after, ZONE).map(readable);

  it("counts a complaint received in the month of its receipt, under its unit's property", () => {
    // 2026-11-30T16:30Z: December in Shanghai.
    const late = received(new Date('2026-11-30T16:30:00.000Z'));

    expect(cfacts(null, received())).toEqual(['2026-11 A1 complaint:received +1']);
    expect(cfacts(null, late)).toEqual(['2026-12 A1 complaint:received +1']);
  });

  it('counts an investigation filed the same day as met, in the month it was filed', () => {
    const c = received();
    const done = investigated(c, at(NOW, HOUR));

    expect(cfacts(c, done)).toEqual(['2026-11 A1 complaint:investigation:met +1']);
  });

  it('counts a missed investigation once, in the month the timer recorded it; the late investigation adds nothing', () => {
    // Received 18:00 on 30 November (local), due 23:59:59.999; the timer fires at midnight, 1 December.
    const c = received(new Date('2026-11-30T10:00:00.000Z'));
    const missed = timer(c, at(new Date(c.sla.investigationDueAt), 1));
    const late = investigated(missed, at(new Date(c.sla.investigationDueAt), HOUR));

    expect(cfacts(c, missed)).toEqual(['2026-12 A1 complaint:investigation:missed +1']);
    expect(cfacts(missed, late)).toEqual([]);
  });

  it('counts a late investigation recorded before the timer as missed, not met', () => {
    const c = received();
    const late = investigated(c, at(new Date(c.sla.investigationDueAt), MINUTE));

    expect(late.sla).toMatchObject({ investigationMet: false });
    expect(cfacts(c, late)).toEqual(['2026-11 A1 complaint:investigation:missed +1']);
  });

  it('counts a callback that reached the resident in time as met, and nothing for an attempt that did not', () => {
    const c = investigated(received(), at(NOW, HOUR));
    const attempt = calledBack(c, at(NOW, DAY), false);
    const reached = calledBack(attempt, at(NOW, 2 * DAY));

    expect(cfacts(c, attempt)).toEqual([]);
    expect(cfacts(attempt, reached)).toEqual(['2026-11 A1 complaint:callback:met +1']);
  });

  it('counts a missed callback once, in the month the timer recorded it (December here); the late callback adds nothing', () => {
    // Received 29 November: the callback is due 2 December.
    const c = investigated(received(at(NOW, 6 * DAY)), at(NOW, 6 * DAY + HOUR));
    const missed = timer(c, new Date(c.sla.callbackDueAt));
    const late = calledBack(missed, at(new Date(c.sla.callbackDueAt), HOUR));

    expect(cfacts(c, missed)).toEqual(['2026-12 A1 complaint:callback:missed +1']);
    expect(cfacts(missed, late)).toEqual([]);
  });

  it('counts both misses when one timer records both, each once', () => {
    const c = received();
    const both = timer(c, new Date(c.sla.callbackDueAt));

    expect(cfacts(c, both)).toEqual([
      '2026-11 A1 complaint:investigation:missed +1',
      '2026-11 A1 complaint:callback:missed +1',
    ]);
  });

  it('adds nothing for a change that settles nothing, or the same image again', () => {
    const c = investigated(received(), at(NOW, HOUR));
    const parked = { ...c, wait: { token: 'tok', milestone: 'callback' as const }, version: c.version + 1 };
    const closed = calledBack(c, at(NOW, DAY));

    expect(cfacts(c, parked)).toEqual([]);
    expect(cfacts(closed, closed)).toEqual([]);
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
      complaints: {
        received: 0,
        investigationMet: 0,
        investigationMissed: 0,
        callbackMet: 0,
        callbackMissed: 0,
      },
      recalls: { signed: 0, count: 0, rate: null },
      technicians: [],
    });
  });

  it("reads the complaints' counters into their figures", () => {
    const report = toMonthlyReport('2026-12', 'A1', ZONE, {
      totals: {
        'complaint:received': 5,
        'complaint:investigation:met': 3,
        'complaint:investigation:missed': 1,
        'complaint:callback:met': 2,
        'complaint:callback:missed': 4,
        // A job's callback is another figure.
        'callback:met': 9,
      },
      technicians: [],
    });

    expect(report.complaints).toEqual({
      received: 5,
      investigationMet: 3,
      investigationMissed: 1,
      callbackMet: 2,
      callbackMissed: 4,
    });
    expect(report.callbacks).toEqual({ met: 9, missed: 0 });
  });

  it("derives the recall rate, the company's and each technician's: recalls ÷ signed, null when none was signed", () => {
    const report = toMonthlyReport('2026-12', null, ZONE, {
      totals: { signed: 7, recalls: 2 },
      technicians: [
        { id: 't-1', name: 'Wang Wei', counters: { jobs: 4, signed: 4, recalls: 1 } },
        { id: 't-2', name: 'Li Lei', counters: { jobs: 3, signed: 3, recalls: 1 } },
        { id: 't-3', name: 'Zhao Qian', counters: { jobs: 2, signed: 2 } },
        { id: 't-4', name: 'Sun Li', counters: { jobs: 1 } },
      ],
    });

    expect(report.recalls).toEqual({ signed: 7, count: 2, rate: 0.2857 });
    expect(
      report.technicians.map(({ technicianId, signed, recalls, recallRate: rate }) => [
        technicianId,
        signed,
        recalls,
        rate,
      ]),
    ).toEqual([
      ['t-1', 4, 1, 0.25],
      ['t-2', 3, 1, 0.3333],
      ['t-3', 2, 0, 0],
      ['t-4', 0, 0, null],
    ]);
  });

  it.each([
    [1, 4, 0.25],
    [2, 3, 0.6667],
    [3, 3, 1],
    [0, 5, 0],
    [0, 0, null],
    // Recalls of jobs signed before the signatures were counted: there is no rate to give.
    [1, 0, null],
  ])('gives %i recalls of %i signed jobs the rate %p', (recalls, signed, rate) => {
    expect(recallRate(recalls, signed)).toBe(rate);
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
        signed: 0,
        recalls: 0,
        recallRate: null,
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
        signed: 0,
        recalls: 0,
        recallRate: null,
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
    const csv = techniciansCsv(
      reportWith(
        { id: 't-1', name: 'Wang Wei', counters: { jobs: 2 } },
        { id: 't-2', name: 'Li Lei', counters: { jobs: 1, signed: 3, recalls: 1 } },
      ),
    );

    expect(csv.startsWith('\uFEFFtechnicianId,name,jobs,arrivalMet,arrivalMissed,')).toBe(true);
    expect(csv).toBe(
      '\uFEFFtechnicianId,name,jobs,arrivalMet,arrivalMissed,satisfactionAverage,unableToFix,laborWaived,signed,recalls,recallRate\r\n' +
        't-1,Wang Wei,2,0,0,,0,0,0,0,\r\n' +
        't-2,Li Lei,1,0,0,,0,0,3,1,0.3333\r\n',
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
