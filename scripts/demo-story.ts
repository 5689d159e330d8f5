import { nextBusinessWindow } from '../functions/domain/business-calendar';
import {
  alertsOf,
  book,
  CALENDAR,
  type Ctx,
  FULL_KIT,
  jump,
  recordCallback,
  SIGNATURE_PNG,
  Technician,
} from './demo-cast';
import { residentPhoto, technicianPhoto } from './demo-evidence';

// The two jobs of `npm run demo`. Each returns its jobId; the checks along the way are the
// ones only visible at that moment (what a clock jump raised), the rest are in demo-verify.ts.

const MIN = 60;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/**
 * Job 1: urgent, nobody accepts for 3 minutes, the technician is late, the callback is late too:
 * the escalation ladder warns twice before the arrival is missed.
 */
export async function urgentJob(ctx: Ctx): Promise<string> {
  const { api, tl, checks } = ctx;
  tl.heading('Job 1: urgent plumbing, resident writes in English');
  const resident = await api.token('r-1001', 'resident', 'Alice Chen');
  const { jobId } = await book(ctx, resident, 'Alice Chen', {
    unitId: 'B2-1203',
    category: 'plumbing',
    description: 'Kitchen tap leaking',
    priority: 'urgent',
    contactPhone: '+8613800138000',
    locale: 'en',
  });
  await residentPhoto(ctx, resident, 'Alice Chen', jobId);
  const tech = new Technician(ctx, 't-07', 'Li Wei');
  const unaccepted = await jump(ctx, jobId, 3 * MIN, 'nobody has accepted the job yet');
  checks.equal('job 1: still unaccepted after 2 min, the staff are warned', alertsOf(unaccepted), [
    'sla.acceptance_warning/warning',
  ]);
  await tech.send(jobId, 'job.accepted', { technicianName: tech.name }, 'accepts the job, late', 'accepted');
  const atRisk = await jump(ctx, jobId, 6 * MIN, 'nobody on site yet');
  checks.equal('job 1: nobody on site at 8 of the 10 min, the arrival is at risk', alertsOf(atRisk), [
    'sla.arrival_at_risk/warning',
  ]);
  const late = await jump(ctx, jobId, 2 * MIN, 'nobody on site (due within 10 min)');
  checks.equal('job 1: past the 10 min, one critical arrival alert', alertsOf(late), [
    'sla.arrival_missed/critical',
  ]);

  const before = await technicianPhoto(ctx, tech, jobId);
  await tech.send(
    jobId,
    'job.arrived',
    { kit: FULL_KIT, photoIds: [before] },
    'arrives, late, with the full kit (S4) and a photo of the tap before',
    'arrived',
  );
  tl.note(`sla.arrivalMet = ${(await api.job(jobId, ctx.agent)).sla.arrivalMet}`);
  const diagnosis = {
    fault: 'Worn ceramic cartridge in the mixer tap',
    covered: false,
    quote: { labor: 80, parts: 45, currency: 'CNY' },
    residentAcknowledged: true,
  };
  await tech.send(
    jobId,
    'job.diagnosed',
    diagnosis,
    'explains fault and CNY 125 quote; resident agrees (S5)',
    'diagnosed',
  );
  await tech.send(jobId, 'job.work_started', {}, 'starts work', 'in_progress');
  await jump(ctx, jobId, 7 * MIN, 'the technician replaces the cartridge');
  const explanation = {
    cause: 'The ceramic cartridge was worn out',
    fix: 'Replaced the cartridge and both O-rings',
    advice: 'Turn the handle gently; do not force it past the stop',
  };
  const done = { testedWithResident: true, explanation, photoIds: [await technicianPhoto(ctx, tech, jobId)] };
  const what = 'done in 7 min, tested with the resident (S10), a photo after';
  await tech.send(jobId, 'job.completed', done, what, 'completed');
  await finishVisit(ctx, tech, jobId, 'Alice Chen');

  const reminder = await jump(ctx, jobId, 6 * DAY, 'no callback made yet');
  checks.equal('job 1: day 6 brings the callback reminder', alertsOf(reminder), ['callback.reminder/info']);
  const missed = await jump(ctx, jobId, 2 * DAY, 'still no callback');
  checks.equal('job 1: day 8 raises the missed-callback alert', alertsOf(missed), [
    'sla.callback_missed/warning',
  ]);

  const callback = { reached: true, satisfaction: 4, issueResolved: true, comment: 'Tap is fine; came late' };
  await recordCallback(ctx, jobId, callback, 'calls the resident: reached, satisfaction 4', 'closed');
  return jobId;
}

/** Job 2: regular, booked for a time slot, everything on time; messages in Chinese. */
export async function regularJob(ctx: Ctx): Promise<string> {
  const { api, tl, checks } = ctx;
  tl.heading(
    'Job 2: regular electrical, the first hour in business hours 2 h ahead, resident writes in Chinese',
  );
  const resident = await api.token('r-2002', 'resident', 'Wang Fang');
  const now = Date.parse(await api.now());
  // Regular appointments lie within business hours (09:00–18:00 on weekdays): at night or at the
  // weekend this is the next business morning.
  const earliest = new Date(Math.ceil(now / (MIN * 1000)) * MIN * 1000 + 2 * HOUR * 1000);
  const slot = nextBusinessWindow(CALENDAR, earliest, HOUR * 1000);
  if (!slot) throw new Error('the default calendar has a business hour every week');
  const start = Date.parse(slot.start);
  const { jobId } = await book(ctx, resident, 'Wang Fang', {
    unitId: 'B2-0807',
    category: 'electrical',
    description: '卫生间排气扇不转',
    priority: 'regular',
    contactPhone: '+8613900139000',
    locale: 'zh-CN',
    appointment: slot,
  });
  const tech = new Technician(ctx, 't-12', '张师傅');
  await tech.send(jobId, 'job.accepted', { technicianName: tech.name }, 'accepts the job', 'accepted');
  const untilStart = Math.floor((start - Date.parse(await api.now())) / 1000);
  if (untilStart > 2 * HOUR) await jump(ctx, jobId, untilStart - 2 * HOUR, 'until two hours before the slot');
  await tech.send(jobId, 'job.en_route', { etaMinutes: 115 }, 'sets off, ETA 115 min', 'en_route');

  const travel = await jump(
    ctx,
    jobId,
    Math.floor((start - Date.parse(await api.now())) / 1000) - 5 * MIN,
    'the technician travels',
  );
  checks.equal('job 2: no alert while travelling to the appointment', alertsOf(travel), []);
  await tech.send(
    jobId,
    'job.arrived',
    { kit: FULL_KIT },
    'arrives 5 min before the slot (S3, S4)',
    'arrived',
  );
  tl.note(`sla.arrivalMet = ${(await api.job(jobId, ctx.agent)).sla.arrivalMet}`);
  const diagnosis = {
    fault: '排气扇电机积尘卡死',
    covered: true,
    quote: { labor: 0, parts: 0, currency: 'CNY' },
    residentAcknowledged: true,
  };
  await tech.send(
    jobId,
    'job.diagnosed',
    diagnosis,
    'explains the fault; covered, no charge (S5)',
    'diagnosed',
  );
  await tech.send(jobId, 'job.work_started', {}, 'starts work', 'in_progress');
  await jump(ctx, jobId, 20 * MIN, 'the technician cleans the fan motor');
  const explanation = {
    cause: '电机积尘导致卡死',
    fix: '清洁电机并润滑轴承',
    advice: '每半年清洁一次排气扇',
  };
  const done = { testedWithResident: true, explanation };
  const sent = await tech.send(
    jobId,
    'job.completed',
    done,
    'fan runs again, tested with the resident (S10)',
    'completed',
  );
  checks.check(
    'job 2: a redelivered webhook is answered 200 and changes nothing',
    await tech.redeliver(sent, 'completed'),
  );
  await finishVisit(ctx, tech, jobId, '王芳');

  const quiet = await jump(ctx, jobId, 3 * DAY, 'three days later');
  checks.equal('job 2: no alert before the callback', alertsOf(quiet), []);
  const callback = { reached: true, satisfaction: 5, issueResolved: true };
  await recordCallback(ctx, jobId, callback, 'calls the resident: reached, satisfaction 5', 'closed');
  return jobId;
}

/** S2, S11, S12: clean up, put things back, the resident signs. */
export async function finishVisit(ctx: Ctx, tech: Technician, jobId: string, signer: string): Promise<void> {
  const clean = { siteClean: true, belongingsRestored: true };
  await tech.send(jobId, 'job.site_cleaned', clean, 'cleans up, puts belongings back (S2, S11)', 'cleaned');
  const form = { signerName: signer, signature: SIGNATURE_PNG };
  await tech.send(jobId, 'job.form_signed', form, 'resident signs the completion form (S12)', 'signed');
  ctx.tl.note(`sla.callbackDueAt = ${(await ctx.api.job(jobId, ctx.agent)).sla.callbackDueAt}`);
}
