import type { Ctx } from './demo-cast';
import type { HistoryItem, Notification } from './demo-client';

// The end state, read back over HTTP: statuses, SLA outcomes, alerts, messages, histories.

const JOB_1_HISTORY = [
  'job.booked',
  'sla.acceptance_warning',
  'job.accepted',
  'sla.arrival_at_risk',
  'sla.arrival_missed',
  'job.arrived',
  'job.diagnosed',
  'job.work_started',
  'job.completed',
  'job.site_cleaned',
  'job.form_signed',
  'callback.reminder',
  'sla.callback_missed',
  'callback.completed',
];
const JOB_2_HISTORY = [
  'job.booked',
  'job.accepted',
  'job.en_route',
  'job.arrived',
  'job.diagnosed',
  'job.work_started',
  'job.completed',
  'job.site_cleaned',
  'job.form_signed',
  'callback.completed',
];

/** The escalation ladder of an urgent job nobody accepts or reaches in time, in the order it is published. */
const LADDER = ['sla.acceptance_warning', 'sla.arrival_at_risk', 'sla.arrival_missed'];

const CJK = /[\u4e00-\u9fff]/;
const alertCount = (items: Notification[], type: string) =>
  items.filter((n) => n.topic === 'alerts' && n.attributes.type === type).length;
// A photo's items land when its upload is checked, which races the steps around it: the steps are
// checked without them, and the photos by count.
const PHOTO_ITEM = /^job\.photo_/;
const steps = (items: HistoryItem[]) => items.filter((h) => !PHOTO_ITEM.test(h.type));
const duplicates = (items: HistoryItem[]) =>
  steps(items)
    .map((h) => h.type)
    .filter((t, i, all) => all.indexOf(t) !== i);
const photoItems = (items: HistoryItem[]) => items.filter((h) => PHOTO_ITEM.test(h.type)).map((h) => h.type);

export async function verify(ctx: Ctx, job1: string, job2: string, alertLines: string[]): Promise<void> {
  const { api, tl, checks } = ctx;
  const [a, b] = await Promise.all([api.job(job1, ctx.agent), api.job(job2, ctx.agent)]);
  const [h1, h2] = await Promise.all([api.history(job1, ctx.agent), api.history(job2, ctx.agent)]);
  const [n1, n2] = await Promise.all([api.notifications(job1), api.notifications(job2)]);
  tl.heading('Histories (GET /jobs/{id}/history)');
  tl.history(`Job 1 ${job1}`, h1);
  tl.history(`Job 2 ${job2}`, h2);

  checks.equal('job 1 is closed', a.status, 'closed');
  checks.equal(
    'job 1: the escalation ladder alerted once each, in order: acceptance warning, at risk, missed',
    n1
      .filter((n) => n.topic === 'alerts' && LADDER.includes(n.attributes.type ?? ''))
      .map((n) => n.attributes.type),
    LADDER,
  );
  checks.equal('job 1: exactly one sla.arrival_missed alert', alertCount(n1, 'sla.arrival_missed'), 1);
  checks.equal('job 1: exactly one sla.callback_missed alert', alertCount(n1, 'sla.callback_missed'), 1);
  checks.equal('job 1: exactly one callback.reminder alert', alertCount(n1, 'callback.reminder'), 1);
  checks.equal('job 1: sla.arrivalMet is false', a.sla.arrivalMet, false);
  checks.equal('job 1: sla.callbackMet is false', a.sla.callbackMet, false);
  checks.equal(
    'job 1: history lists each step once, in order',
    steps(h1).map((h) => h.type),
    JOB_1_HISTORY,
  );
  checks.equal('job 1: no duplicate history types', duplicates(h1), []);
  checks.equal('job 1: each of its 3 photos added once and checked once', photoItems(h1).sort(), [
    ...Array(3).fill('job.photo_added'),
    ...Array(3).fill('job.photo_checked'),
  ]);
  checks.check(
    'job 1: resident messages are in English',
    residentTexts(n1).every((t) => !CJK.test(t)),
  );

  const slaAlerts2 = n2.filter((n) => n.topic === 'alerts' && n.attributes.type?.startsWith('sla.'));
  checks.equal('job 2 is closed', b.status, 'closed');
  checks.equal('job 2: no sla.* alerts', slaAlerts2.length, 0);
  checks.equal('job 2: sla.arrivalMet is true', b.sla.arrivalMet, true);
  checks.equal('job 2: sla.callbackMet is true', b.sla.callbackMet, true);
  checks.equal(
    'job 2: history lists each step once, in order',
    steps(h2).map((h) => h.type),
    JOB_2_HISTORY,
  );
  checks.equal('job 2: no duplicate history types', duplicates(h2), []);
  checks.check(
    'job 2: resident messages are in Chinese',
    residentTexts(n2).every((t) => CJK.test(t)),
  );

  // Every alert of every story (the complaint's too), as the outbox kept them.
  const published = (await api.notifications()).filter((n) => n.topic === 'alerts').length;
  checks.equal('every alert published reached the stack’s alert printer once', alertLines.length, published);
  checks.check(
    'alerts are worded in English (STAFF_LOCALE=en)',
    alertLines.every((l) => !CJK.test(l)),
  );
}

const residentTexts = (items: Notification[]) =>
  items.filter((n) => n.topic === 'residents').map((n) => n.message);
