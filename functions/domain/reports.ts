import { localTime } from './calendar';
import {
  CATEGORIES,
  type Category,
  type Complaint,
  type Job,
  type Priority,
  propertyOf,
  type Status,
} from './types';

// The monthly reports (issue #10, complaints and recalls from issue #11): what one change of a
// job or a complaint adds to the figures of a month, decided from the item before and after the
// change (the table's stream carries both images), and the report that the kept figures make.
// Pure: the stream consumer hands the facts to the ReportStore, which adds each to the item's
// property and to the whole company.

type Outcome = 'met' | 'missed';

/** A figure of a scope (one property, or the whole company). */
export type TotalCounter =
  | 'booked'
  | 'closed'
  | 'cancelled'
  | 'declined'
  | 'needsFollowUp'
  | `category:${Category}`
  | `arrival:${Priority}:${Outcome}`
  | `callback:${Outcome}`
  | 'satisfaction:count'
  | 'satisfaction:sum'
  | 'signed'
  | 'recalls'
  | 'complaint:received'
  | `complaint:investigation:${Outcome}`
  | `complaint:callback:${Outcome}`;

/** A figure of one technician's row. */
export type TechnicianCounter =
  | 'jobs'
  | `arrival:${Outcome}`
  | 'satisfaction:count'
  | 'satisfaction:sum'
  | 'unableToFix'
  | 'laborWaived'
  | 'signed'
  | 'recalls';

export interface Technician {
  id: string;
  name: string;
}

/** One increment: which month, which property, which figure (of the totals or a technician's), by how much. */
export type ReportFact = {
  /** `YYYY-MM` in the company's time zone, of the moment the fact belongs to (see reportFacts). */
  month: string;
  /** The job's or complaint's property; the store adds the fact to it and to the whole company. */
  property: string;
  by: number;
} & ({ technician: null; counter: TotalCounter } | { technician: Technician; counter: TechnicianCounter });

/** An item as the stream saw it change: `before` is null for a new item, `after` for a removed one. */
export interface ItemChange<T> {
  /** The stream record's id: a change is counted once, however often it is delivered. */
  id: string;
  before: T | null;
  after: T | null;
}
export type JobChange = ItemChange<Job>;
export type ComplaintChange = ItemChange<Complaint>;

/** The statuses a job ends in, each counted in the month the job reached it. */
const ENDINGS: Partial<Record<Status, TotalCounter>> = {
  closed: 'closed',
  cancelled: 'cancelled',
  declined: 'declined',
  needs_follow_up: 'needsFollowUp',
};

/** The month (`YYYY-MM`) an instant falls in, in a time zone: 2026-11-30T16:30Z is December in Shanghai. */
export function monthOf(iso: string, timeZone: string): string {
  const { year, month } = localTime(new Date(iso), timeZone);
  return `${year}-${String(month).padStart(2, '0')}`;
}

/** A score the reports average: what the callback records (1–5); anything else is not one. */
const isScore = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 5;

/**
 * What one change of a job adds to the monthly figures. Everything counts in the month of the
 * change itself (`updatedAt`, set by every decision), the booking in the month of `createdAt`,
 * the signature in the month of `signedAt`. A recall (a new job with `recall`) counts against
 * the job it recalls: in the month that job was signed, for the technician who signed it off,
 * so a month's recalls ÷ its signed jobs is its recall rate (complete 30 days after the month
 * ends). A recalled job without a technician counts in the totals only.
 * A change that settles nothing the reports count (a parked task token, an alert marked sent)
 * adds nothing, and each fact needs the field to change, so replaying images in order cannot
 * count a job twice; the store's marker keeps a redelivered change from counting twice.
 */
export function reportFacts(before: Job | null, after: Job, timeZone: string): ReportFact[] {
  const facts: ReportFact[] = [];
  const property = propertyOf(after.unitId);
  const month = monthOf(after.updatedAt, timeZone);
  const total = (counter: TotalCounter, by = 1, when = month) =>
    facts.push({ month: when, property, technician: null, counter, by });
  const technician = after.technician;
  // A figure of the technician set on the job when it happened; before anyone accepted, none.
  const ofTechnician = (counter: TechnicianCounter, by = 1, when = month) => {
    if (technician) facts.push({ month: when, property, technician, counter, by });
  };

  if (!before) {
    const booked = monthOf(after.createdAt, timeZone);
    total('booked', 1, booked);
    total(`category:${after.category}`, 1, booked);
    // Only a booking carries a recall (never a rework or follow-up: the booking decided that).
    const recall = after.recall;
    if (recall) {
      const signed = monthOf(recall.signedAt, timeZone);
      total('recalls', 1, signed);
      if (recall.technician)
        facts.push({ month: signed, property, technician: recall.technician, counter: 'recalls', by: 1 });
    }
  }
  if (technician && !before?.technician) ofTechnician('jobs');

  if (after.signedAt && !before?.signedAt) {
    const signed = monthOf(after.signedAt, timeZone);
    total('signed', 1, signed);
    ofTechnician('signed', 1, signed);
  }

  const arrival = after.sla.arrivalMet;
  if (arrival !== null && (before?.sla.arrivalMet ?? null) === null) {
    const outcome: Outcome = arrival ? 'met' : 'missed';
    total(`arrival:${after.priority}:${outcome}`);
    ofTechnician(`arrival:${outcome}`);
  }
  const callback = after.sla.callbackMet;
  if (callback !== null && (before?.sla.callbackMet ?? null) === null)
    total(`callback:${callback ? 'met' : 'missed'}`);

  if (after.laborWaived && !before?.laborWaived) ofTechnician('laborWaived');

  if (after.status !== before?.status) {
    const ending = ENDINGS[after.status];
    if (ending) total(ending);
    if (after.status === 'needs_follow_up') ofTechnician('unableToFix');
    // The satisfaction the reached callback recorded counts in the month the job closed.
    if (after.status === 'closed' && isScore(after.satisfaction)) {
      total('satisfaction:count');
      total('satisfaction:sum', after.satisfaction);
      ofTechnician('satisfaction:count');
      ofTechnician('satisfaction:sum', after.satisfaction);
    }
  }
  return facts;
}

/**
 * What one change of a complaint adds to the monthly figures, all in its property's totals (a
 * complaint names no technician): received in the month of `createdAt`; each deadline (S16's
 * investigation, S17's callback) in the month it was settled — met at `investigatedAt` or
 * `calledBackAt`, missed at the change that recorded the miss (`updatedAt`). A deadline settles
 * once (null to true or false), so a late investigation after its recorded miss, or a callback
 * attempt that did not reach the resident, adds nothing.
 */
export function complaintFacts(before: Complaint | null, after: Complaint, timeZone: string): ReportFact[] {
  const facts: ReportFact[] = [];
  const property = propertyOf(after.unitId);
  const total = (counter: TotalCounter, at: string) =>
    facts.push({ month: monthOf(at, timeZone), property, technician: null, counter, by: 1 });

  if (!before) total('complaint:received', after.createdAt);
  const deadlines = [
    ['investigation', after.sla.investigationMet, before?.sla.investigationMet, after.sla.investigatedAt],
    ['callback', after.sla.callbackMet, before?.sla.callbackMet, after.sla.calledBackAt],
  ] as const;
  for (const [deadline, met, was, doneAt] of deadlines) {
    if (met === null || (was ?? null) !== null) continue;
    // Met when it was done; missed when the miss was recorded (the timer, or a late recording).
    total(`complaint:${deadline}:${met ? 'met' : 'missed'}`, met && doneAt ? doneAt : after.updatedAt);
  }
  return facts;
}

/** The figures a ReportStore keeps for one month and scope, by counter name (absent = 0). */
export interface StoredReport {
  totals: Readonly<Record<string, number>>;
  technicians: ReadonlyArray<{ id: string; name: string; counters: Readonly<Record<string, number>> }>;
}

const met = (counters: Readonly<Record<string, number>>, prefix: string) => ({
  met: counters[`${prefix}met`] ?? 0,
  missed: counters[`${prefix}missed`] ?? 0,
});

/** The mean, to two decimals; null when there is nothing to average. */
function average(counters: Readonly<Record<string, number>>): number | null {
  const count = counters['satisfaction:count'] ?? 0;
  return count ? Math.round(((counters['satisfaction:sum'] ?? 0) / count) * 100) / 100 : null;
}

/** recalls ÷ signed, to four decimals (a percentage to two); null when nothing was signed. */
export function recallRate(recalls: number, signed: number): number | null {
  return signed ? Math.round((recalls / signed) * 10_000) / 10_000 : null;
}

/** The monthly report of the API contract (docs/api.md, GET /reports/monthly). */
export function toMonthlyReport(
  month: string,
  property: string | null,
  timeZone: string,
  stored: StoredReport,
) {
  const t = stored.totals;
  const n = (name: string) => t[name] ?? 0;
  const technicians = stored.technicians
    .map(({ id, name, counters }) => ({
      technicianId: id,
      name,
      jobs: counters.jobs ?? 0,
      arrivalMet: counters['arrival:met'] ?? 0,
      arrivalMissed: counters['arrival:missed'] ?? 0,
      satisfactionAverage: average(counters),
      unableToFix: counters.unableToFix ?? 0,
      laborWaived: counters.laborWaived ?? 0,
      signed: counters.signed ?? 0,
      recalls: counters.recalls ?? 0,
      recallRate: recallRate(counters.recalls ?? 0, counters.signed ?? 0),
    }))
    .sort(
      (a, b) =>
        b.jobs - a.jobs || (a.technicianId < b.technicianId ? -1 : a.technicianId > b.technicianId ? 1 : 0),
    );
  return {
    month,
    property,
    timeZone,
    jobs: {
      booked: n('booked'),
      closed: n('closed'),
      cancelled: n('cancelled'),
      declined: n('declined'),
      needsFollowUp: n('needsFollowUp'),
    },
    byCategory: Object.fromEntries(CATEGORIES.map((c) => [c, n(`category:${c}`)])) as Record<
      Category,
      number
    >,
    arrival: { urgent: met(t, 'arrival:urgent:'), regular: met(t, 'arrival:regular:') },
    callbacks: met(t, 'callback:'),
    satisfaction: { count: n('satisfaction:count'), average: average(t) },
    complaints: {
      received: n('complaint:received'),
      investigationMet: n('complaint:investigation:met'),
      investigationMissed: n('complaint:investigation:missed'),
      callbackMet: n('complaint:callback:met'),
      callbackMissed: n('complaint:callback:missed'),
    },
    // Of the jobs signed in the month (recalled jobs without a technician count here only).
    recalls: { signed: n('signed'), count: n('recalls'), rate: recallRate(n('recalls'), n('signed')) },
    technicians,
  };
}
export type MonthlyReport = ReturnType<typeof toMonthlyReport>;
export type TechnicianRow = MonthlyReport['technicians'][number];

/** The CSV's columns, in order: the technicians table of the report. */
export const TECHNICIAN_COLUMNS = [
  'technicianId',
  'name',
  'jobs',
  'arrivalMet',
  'arrivalMissed',
  'satisfactionAverage',
  'unableToFix',
  'laborWaived',
  'signed',
  'recalls',
  'recallRate',
] as const satisfies readonly (keyof TechnicianRow)[];

/**
 * One CSV cell (RFC 4180). Text a spreadsheet would run as a formula (it starts with = + - @,
 * or a tab or carriage return, as OWASP lists) gets a leading apostrophe: a technician's name
 * comes from the technicians' app, not from us. Quoted when it holds a quote, comma or line break.
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The technicians table as CSV: a BOM (so spreadsheets read it as UTF-8), a header row, CRLF lines. */
export function techniciansCsv(report: MonthlyReport): string {
  const rows = [
    TECHNICIAN_COLUMNS.map(csvCell),
    ...report.technicians.map((row) => TECHNICIAN_COLUMNS.map((column) => csvCell(row[column]))),
  ];
  return `\uFEFF${rows.map((cells) => cells.join(',')).join('\r\n')}\r\n`;
}
