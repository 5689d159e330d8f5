import { expectStatus } from '../client/api-client';
import { nextBusinessWindow, nextOpening } from '../functions/domain/business-calendar';
import { alertsOf, book, CALENDAR, type Ctx, FULL_KIT, jump, recordCallback, Technician } from './demo-cast';
import type { ComplaintView, HistoryItem, Notification } from './demo-client';
import { finishVisit } from './demo-story';

// Story 3 of `npm run demo` (issue #11): a resident unhappy at the callback. The callback opens
// a complaint and books the rework; the investigation comes late (one critical alert); the
// complainant is called back in time; the rework is done and closes.

const MIN = 60;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

export interface ComplaintStory {
  jobId: string;
  complaintId: string;
  reworkId: string;
}

const secondsUntil = (iso: string, now: string) => Math.ceil((Date.parse(iso) - Date.parse(now)) / 1000);

async function complaintStep(ctx: Ctx, c: ComplaintView, what: string): Promise<Notification[]> {
  ctx.tl.line(c.updatedAt, 'agent Zhou', what, c.status);
  return ctx.tl.news(c.complaintId, 'complaintId');
}

export async function unhappyResident(ctx: Ctx): Promise<ComplaintStory> {
  const { api, tl, checks, agent } = ctx;
  tl.heading('Job 3: a leak that came back — callback, complaint, rework (S15, S16, S17)');
  const resident = await api.token('r-3003', 'resident', 'Chen Jie');
  const { jobId } = await book(ctx, resident, 'Chen Jie', {
    unitId: 'B3-0502',
    category: 'plumbing',
    description: 'Water dripping under the bathroom sink',
    priority: 'urgent',
    contactPhone: '+8613700137000',
    locale: 'en',
  });
  const tech = new Technician(ctx, 't-21', 'Zhao Lei');
  await tech.send(jobId, 'job.accepted', { technicianName: tech.name }, 'accepts the job', 'accepted');
  await tech.send(jobId, 'job.arrived', { kit: FULL_KIT }, 'arrives at once with the full kit', 'arrived');
  const diagnosis = {
    fault: 'Loose trap nut',
    covered: true,
    quote: { labor: 0, parts: 0, currency: 'CNY' },
    residentAcknowledged: true,
  };
  await tech.send(jobId, 'job.diagnosed', diagnosis, 'explains the fault; covered (S5)', 'diagnosed');
  await tech.send(jobId, 'job.work_started', {}, 'starts work', 'in_progress');
  const explanation = {
    cause: 'The trap nut had worked loose',
    fix: 'Tightened the nut',
    advice: 'Call us if it drips',
  };
  await tech.send(
    jobId,
    'job.completed',
    { testedWithResident: true, explanation },
    'tightens the nut, tests it',
    'completed',
  );
  await finishVisit(ctx, tech, jobId, 'Chen Jie');
  // The callback comes at 10:00 on a business day two or more days on: the complaint it opens is
  // then due at the end of that day (before closing on a business day, api-contract).
  const opening = nextOpening(CALENDAR, new Date(Date.parse(await api.now()) + 2 * DAY * 1000)) as Date;
  const callbackAt = opening.getTime() + HOUR * 1000;
  await jump(
    ctx,
    jobId,
    secondsUntil(new Date(callbackAt).toISOString(), await api.now()),
    'days later the sink drips again',
  );

  // The callback: unhappy (2 of 5), not resolved; the rework is agreed for two hours in business
  // hours at least 26 hours ahead, after the complaint's steps below.
  const now = await api.now();
  const earliest = new Date(Math.ceil((Date.parse(now) + 26 * HOUR * 1000) / (HOUR * 1000)) * HOUR * 1000);
  const appointment = nextBusinessWindow(CALENDAR, earliest, 2 * HOUR * 1000);
  if (!appointment) throw new Error('the default calendar has two business hours every week');
  const body = {
    reached: true,
    satisfaction: 2,
    issueResolved: false,
    comment: 'The sink is dripping again',
    rework: { appointment },
  };
  const closed = await recordCallback(ctx, jobId, body, 'calls back: satisfaction 2, not resolved', 'closed');
  const complaintId = closed.links.complaints[0] ?? '';
  const reworkId = closed.links.reworkJobs[0] ?? '';
  checks.equal(
    'job 3: the callback opened one complaint and booked one rework',
    [closed.links.complaints.length, closed.links.reworkJobs.length],
    [1, 1],
  );
  const opened = await api.complaint(complaintId, agent);
  tl.note(
    `complaint ${complaintId} (${opened.source}); investigate by ${opened.sla.investigationDueAt}, call back by ${opened.sla.callbackDueAt}`,
  );
  tl.note(`rework job ${reworkId} booked for ${appointment.start}`);
  checks.equal(
    'job 3: the complaint is about the job, from the callback',
    [opened.source, opened.jobId, opened.category],
    ['callback', jobId, 'quality'],
  );
  await tl.news(complaintId, 'complaintId');

  // Nobody investigates today: at 01:00 the next local day the managers hear of it.
  const late = await jump(
    ctx,
    jobId,
    secondsUntil(opened.sla.investigationDueAt, await api.now()) + HOUR,
    'the complaint waits past midnight',
  );
  const lateAlerts = alertsOf(await tl.news(complaintId, 'complaintId'));
  checks.equal('job 3: midnight passes without an investigation: one critical alert', lateAlerts, [
    'sla.complaint_investigation_missed/critical',
  ]);
  checks.equal('job 3: the jump raised nothing else for the job', alertsOf(late), []);
  const investigation = {
    findings: 'The trap nut was tightened but its washer was split',
    cause: 'The washer was not checked on the first visit',
    handler: 'Supervisor Sun',
    result: 'The washer is replaced at the rework visit; the technician is coached',
  };
  const investigated = expectStatus(
    await api.investigateComplaint(agent, complaintId, investigation),
    200,
    'investigation',
  );
  await complaintStep(ctx, investigated, 'files the investigation, a day late (S16)');
  checks.equal(
    'job 3: the late investigation is recorded as missed, not alerted again',
    investigated.sla.investigationMet,
    false,
  );

  await jump(ctx, jobId, HOUR, 'an hour later');
  const called = expectStatus(
    await api.callBackComplainant(agent, complaintId, {
      reached: true,
      satisfied: true,
      comment: 'Happy with the plan',
    }),
    200,
    'complaint callback',
  );
  await complaintStep(ctx, called, 'calls the complainant back: satisfied (S17)');
  checks.equal(
    'job 3: the complainant is called back within 3 days',
    [called.status, called.sla.callbackMet],
    ['closed', true],
  );

  // The rework visit, at the agreed time, by another technician.
  await jump(
    ctx,
    reworkId,
    secondsUntil(appointment.start, await api.now()) - 10 * MIN,
    'until the rework visit',
  );
  const fixer = new Technician(ctx, 't-22', 'Sun Hao');
  await fixer.send(
    reworkId,
    'job.accepted',
    { technicianName: fixer.name },
    'accepts the rework',
    'accepted',
  );
  await fixer.send(reworkId, 'job.arrived', { kit: FULL_KIT }, 'arrives 10 min before the slot', 'arrived');
  const rediagnosis = {
    fault: 'Split trap washer',
    covered: true,
    quote: { labor: 0, parts: 0, currency: 'CNY' },
    residentAcknowledged: true,
  };
  await fixer.send(reworkId, 'job.diagnosed', rediagnosis, 'finds the split washer', 'diagnosed');
  await fixer.send(reworkId, 'job.work_started', {}, 'starts work', 'in_progress');
  const fixed = { cause: 'A split washer', fix: 'Replaced the washer and the nut', advice: 'None needed' };
  await fixer.send(
    reworkId,
    'job.completed',
    { testedWithResident: true, explanation: fixed },
    'replaces washer and nut, tests it',
    'completed',
  );
  await finishVisit(ctx, fixer, reworkId, 'Chen Jie');
  await jump(ctx, reworkId, DAY, 'a day later');
  await recordCallback(
    ctx,
    reworkId,
    { reached: true, satisfaction: 5, issueResolved: true },
    'calls back: dry, satisfaction 5',
    'closed',
  );
  return { jobId, complaintId, reworkId };
}

const COMPLAINT_HISTORY = [
  'complaint.received',
  'sla.complaint_investigation_missed',
  'complaint.investigated',
  'complaint.called_back',
];

export async function verifyComplaintStory(ctx: Ctx, s: ComplaintStory): Promise<void> {
  const { api, tl, checks, agent } = ctx;
  const [job, rework, complaint] = await Promise.all([
    api.job(s.jobId, agent),
    api.job(s.reworkId, agent),
    api.complaint(s.complaintId, agent),
  ]);
  const history: HistoryItem[] = await api.complaintHistory(s.complaintId, agent);
  const told = (await api.notifications(s.complaintId, 'complaintId')).filter((n) => n.topic === 'residents');
  const alerts = alertsOf(await api.notifications(s.complaintId, 'complaintId'));
  tl.history(`Complaint ${s.complaintId}`, history);

  checks.equal('job 3: the job links its complaint and its rework', job.links, {
    ...job.links,
    complaints: [s.complaintId],
    reworkJobs: [s.reworkId],
  });
  checks.equal(
    'job 3: the rework links back and is no recall',
    [rework.links.reworkOf, rework.links.recallOf],
    [s.jobId, null],
  );
  checks.equal('job 3: the rework job closes', rework.status, 'closed');
  checks.equal(
    'job 3: the complaint closes with one investigation miss',
    [complaint.status, complaint.sla.investigationMet, complaint.sla.callbackMet],
    ['closed', false, true],
  );
  checks.equal('job 3: exactly one complaint alert', alerts, ['sla.complaint_investigation_missed/critical']);
  checks.equal(
    'job 3: the complaint history, each step once, in order',
    history.map((h) => h.type),
    COMPLAINT_HISTORY,
  );
  checks.equal(
    'job 3: the resident heard: received, investigated, thanks',
    told.map((n) => n.attributes.type),
    ['complaint.received', 'complaint.investigated', 'complaint.called_back'],
  );
}
