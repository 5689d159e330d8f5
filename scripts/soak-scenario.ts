import type { BookingRequest } from '../client/api-client';
import { nextBusinessWindow } from '../functions/domain/business-calendar';
import { addDays, instantAt, isoWeekday, localDate } from '../functions/domain/calendar';
import { CATEGORIES } from '../functions/domain/types';
import type { ComplaintDriver } from './soak-complaints';
import type { Driver } from './soak-drive';
import { type JobRecord, SOAK_CALENDAR } from './soak-model';

// What each job goes through, by its plan. Rounds keep the simulated clock honest: the
// on-time work of a round happens before its arrival deadlines, then the clock jumps past
// them, then the late and on-site work follows.

const MINUTE = 60_000;

/**
 * 09:00 on the next Monday in Asia/Shanghai. The soak starts there, so its rounds (hours of
 * simulated time) book regular windows and file complaints on business days, far from a weekend
 * that would put an investigation deadline past its complaint's callback deadline.
 */
export function nextMondayMorning(now: number): number {
  const zone = SOAK_CALENDAR.timeZone;
  let date = addDays(localDate(new Date(now), zone), 1);
  while (isoWeekday(date) !== 1) date = addDays(date, 1);
  return instantAt(date, SOAK_CALENDAR.businessHours.start, zone).getTime();
}

export function bookingBody(job: JobRecord, now: number): BookingRequest {
  const body: BookingRequest = {
    unitId: `B${job.n % 7}-${1000 + job.n}`,
    category: CATEGORIES[job.n % CATEGORIES.length] ?? 'other',
    description: `Soak job ${job.n}`,
    priority: job.plan.priority,
    contactPhone: '+8613800138000',
    locale: job.n % 2 ? 'en' : 'zh-CN',
  };
  if (job.plan.priority === 'regular') {
    // Due before the round's clock jump, like the urgent ones (10 min), when that is in business
    // hours; after closing, the next business morning (the round's jump then crosses the night).
    const after = new Date(now + (6 + (job.n % 4)) * MINUTE);
    body.appointment = nextBusinessWindow(SOAK_CALENDAR, after, 60 * MINUTE) ?? undefined;
  }
  return body;
}

/** Before the arrival deadline: accept, travel, arrive on time, or cancel. */
export async function beforeDeadline(d: Driver, job: JobRecord): Promise<void> {
  const p = job.plan;
  if (p.fate === 'never_accepted') return;
  if (p.fate === 'cancel_resident' && p.cancelAt === 'booked') return void (await d.cancel(job, 'resident'));
  if (!(await d.step(job, 'job.accepted'))) return;
  if (p.fate === 'cancel_resident' && p.cancelAt === 'accepted')
    return void (await d.cancel(job, 'resident'));
  const onTime = !['late', 'no_show', 'cancel_resident'].includes(p.fate);
  if (p.enRoute || p.fate === 'cancel_resident') {
    if (!(await d.step(job, 'job.en_route'))) return;
    if (p.fate === 'cancel_resident') return void (await d.cancel(job, 'resident'));
  }
  if (onTime) await arrive(d, job);
}

async function arrive(d: Driver, job: JobRecord): Promise<void> {
  const [ok, w] = await d.window(() => d.step(job, 'job.arrived', 'job.diagnosed'));
  if (ok) job.arrival = w;
}

/** After the deadline: late arrivals, the visit, and the callback for the ones that get one in time. */
export async function afterDeadline(d: Driver, job: JobRecord): Promise<void> {
  const p = job.plan;
  if (p.fate === 'late') await arrive(d, job);
  if (job.stuck || !job.arrival) return;
  if (p.fate === 'cancel_manager' && p.managerCancelAt === 'arrived')
    return void (await d.cancel(job, 'manager'));
  if (p.fate === 'unable' && !p.unableAfterStart) {
    if (await d.step(job, 'job.diagnosed')) await d.step(job, 'job.unable_to_fix');
    return;
  }
  const next = p.fate === 'declined' ? 'job.quote_declined' : 'job.work_started';
  if (!(await d.step(job, 'job.diagnosed', p.fate === 'cancel_manager' ? undefined : next))) return;
  if (p.fate === 'cancel_manager') return void (await d.cancel(job, 'manager'));
  if (p.fate === 'declined') return void (await d.step(job, 'job.quote_declined'));
  if (!(await d.step(job, 'job.work_started', p.fate === 'unable' ? undefined : 'job.completed'))) return;
  if (p.fate === 'unable') return void (await d.step(job, 'job.unable_to_fix'));
  const visit = ['job.completed', 'job.site_cleaned', 'job.form_signed'];
  for (const [i, type] of visit.entries()) if (!(await d.step(job, type, visit[i + 1]))) return;
  if (p.fate === 'callback_missed') return;
  if (p.callbackAttempt && !(await d.callback(job, false))) return;
  await d.callback(job, true);
}

/**
 * The complaints about a job: the one its callback opened, and the resident's own (filed once the
 * round's work on the job is done, whatever its status); then their on-time steps.
 */
export async function complaintsOf(cd: ComplaintDriver, job: JobRecord, residentToo: boolean): Promise<void> {
  const opened = await cd.track(job);
  if (residentToo && job.plan.residentComplains) {
    const c = await cd.file(job);
    if (c) opened.push(c);
  }
  for (const c of opened) await cd.soon(c);
}

/** After the seven-day jump: some of the missed callbacks are made late (an unhappy one still opens its complaint). */
export async function afterCallbackDeadline(d: Driver, cd: ComplaintDriver, job: JobRecord): Promise<void> {
  if (
    job.plan.fate === 'callback_missed' &&
    job.plan.lateCallback &&
    !job.stuck &&
    job.accepted.includes('job.form_signed')
  ) {
    await d.callback(job, true);
    await complaintsOf(cd, job, false);
  }
}

/** Runs `work` over `items` with at most `concurrency` at a time. */
export async function pool<T>(
  items: T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}
