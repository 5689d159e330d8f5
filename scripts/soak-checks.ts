import type { JobView } from '../client/api-client';
import type { ComplaintDriver } from './soak-complaints';
import type { Driver } from './soak-drive';
import {
  ALLOWED_FROM,
  COMPLAINT_STATUS_AFTER,
  COMPLAINT_SYSTEM_ENTRIES,
  COMPLAINT_TOLD,
  complaintStatusOf,
  dropStep,
  type JobRecord,
  LADDER_WARNINGS,
  STATUS_AFTER,
  SYSTEM_ENTRIES,
  statusOf,
  suspectStep,
  type Window,
  withoutStep,
} from './soak-model';

// The invariants, read back through the API and the outbox once everything has settled.
// Each failure names the job and what broke.

export interface Failure {
  jobId: string;
  /** Set when the broken check is about one of the job's complaints (or its rework). */
  complaintId?: string;
  invariant: string;
  detail: string;
}

/** The complaints' figures, as the product answered them at the end. */
export interface ComplaintTally {
  filed: { callback: number; resident: number };
  reworks: number;
  statuses: Record<string, number>;
  investigated: { inTime: number; late: number; never: number; pending: number };
  calledBack: { inTime: number; late: number; never: number; pending: number };
  callbackAttempts: number;
  alerts: Record<string, number>;
}

export interface Tally {
  alerts: Record<string, number>;
  statuses: Record<string, number>;
  duplicates: number;
  lost: number;
  arrivalMissed: number;
  callbackMissed: number;
  /** Answers DynamoDB Local lost to a SIGKILL within milliseconds of giving them: `jobId type`. */
  lostOnKill: string[];
  complaints: ComplaintTally;
}

const DAY = 24 * 3600_000;

/** 'missed' or 'met' when the window around the milestone (or its absence) says so; null when it straddles the deadline. */
function expectedMiss(due: number, done: Window | undefined, cancelled: Window | undefined, end: number) {
  const w = done ?? cancelled;
  if (w) {
    if (w[1] <= due) return 'met';
    if (w[0] > due) return 'missed';
    return null;
  }
  return end > due ? 'missed' : null;
}

export async function checkAll(d: Driver, cd: ComplaintDriver, jobs: JobRecord[], end: number) {
  const failures: Failure[] = [];
  const tally: Tally = {
    alerts: {},
    statuses: {},
    duplicates: 0,
    lost: 0,
    arrivalMissed: 0,
    callbackMissed: 0,
    lostOnKill: [],
    complaints: {
      filed: { callback: 0, resident: 0 },
      reworks: 0,
      statuses: {},
      investigated: { inTime: 0, late: 0, never: 0, pending: 0 },
      calledBack: { inTime: 0, late: 0, never: 0, pending: 0 },
      callbackAttempts: 0,
      alerts: {},
    },
  };
  const fail = (job: JobRecord, invariant: string, detail: string) =>
    failures.push({ jobId: job.jobId || `#${job.n}`, invariant, detail });
  const killedNear = (ms: number) => d.http.server.killedNear(ms);
  const listed = await listedIds(d);
  const views = new Map<string, JobView>();
  for (const job of jobs) {
    if (!job.jobId) continue;
    const r = await d.http.send(`GET job ${job.jobId}`, () => d.http.api.getJob(d.staff.manager, job.jobId));
    const killed = d.http.server.killedNear(job.lastAckAt);
    if (r.status === 404 && (job.lostOnKill === 'job.booked' || (killed && job.accepted.length === 1))) {
      job.lostOnKill = 'job.booked';
      continue;
    }
    if (!r.ok || r.status !== 200 || !listed.has(job.jobId)) {
      tally.lost++;
      fail(job, 'no booking lost', `GET answered ${r.status}; in the listing: ${listed.has(job.jobId)}`);
      continue;
    }
    const view = r.body;
    views.set(job.jobId, view);
    tally.statuses[view.status] = (tally.statuses[view.status] ?? 0) + 1;
    const history = await d.history(job);
    const outbox = await d.http.send(`notifications ${job.jobId}`, () =>
      d.http.api.local.listNotifications({ jobId: job.jobId }),
    );
    if (!outbox.ok) throw new Error(`GET /_local/notifications answered ${outbox.status}`);
    const notices = outbox.body.items;
    const alerts = notices.filter((n) => n.topic === 'alerts').map((n) => n.attributes.type ?? '?');
    for (const a of alerts) tally.alerts[a] = (tally.alerts[a] ?? 0) + 1;
    const count = (type: string) => alerts.filter((a) => a === type).length;
    const requests = history.map((h) => h.type).filter((t) => !SYSTEM_ENTRIES.includes(t));

    // The last answer lost with DynamoDB Local (a complaint filed after it, in any status, does not prove it).
    const suspect = suspectStep(job, killedNear);
    if (!job.stuck && suspect >= 0 && requests.join() === withoutStep(job, suspect).join())
      dropStep(job, suspect);

    // Legal status: the one the accepted events lead to, through transitions the contract allows.
    if (!job.stuck && view.status !== statusOf(job))
      fail(
        job,
        'legal status',
        `status ${view.status}, the accepted events ${job.accepted.join(' → ')} lead to ${statusOf(job)}`,
      );
    requests.reduce((from, type) => {
      if (type !== 'job.booked' && !ALLOWED_FROM[type]?.includes(from))
        fail(job, 'legal status', `history has ${type} while ${from}`);
      return STATUS_AFTER[type] ?? from;
    }, 'booked');

    // Complete history: every accepted event once, in order; the workflow's own entries at most once.
    if (!job.stuck && requests.join() !== job.accepted.join()) {
      if (requests.length > job.accepted.length) tally.duplicates++;
      fail(job, 'history complete', `history ${requests.join(' → ')}; accepted ${job.accepted.join(' → ')}`);
    }
    for (const t of SYSTEM_ENTRIES)
      if (history.filter((h) => h.type === t).length > 1) {
        tally.duplicates++;
        fail(job, 'history complete', `${t} recorded more than once`);
      }
    if (history.some((h, i) => i > 0 && h.at < (history[i - 1]?.at ?? '')))
      fail(job, 'history complete', 'out of order');

    // Alerts: exactly one per missed SLA, none for a met one, and the timer fired when it was due.
    const sla = view.sla;
    // A stuck job's windows may be incomplete: only the alert-per-miss rule is checked for it.
    const arrival = job.stuck ? null : expectedMiss(job.arrivalDueAt, job.arrival, job.cancel, end);
    checkSla(job, 'arrival', arrival, sla.arrivalMet, count('sla.arrival_missed'), fail);
    if (sla.arrivalMet === false) tally.arrivalMissed++;
    if (job.accepted.includes('job.form_signed')) {
      const due = Date.parse(sla.callbackDueAt ?? '');
      const callback = job.stuck ? null : expectedMiss(due, job.callback, undefined, end);
      checkSla(job, 'callback', callback, sla.callbackMet, count('sla.callback_missed'), fail);
      if (sla.callbackMet === false) tally.callbackMissed++;
      const reminded = count('callback.reminder');
      const dueReminder = !job.callback || job.callback[0] > due - DAY;
      if (reminded > 1 || (dueReminder && reminded !== 1 && !job.stuck))
        fail(job, 'alerts exactly once', `${reminded} callback reminders`);
    } else if (count('sla.callback_missed') || count('callback.reminder'))
      fail(job, 'alerts exactly once', 'callback alerts for a job that was never signed');
    for (const w of LADDER_WARNINGS)
      if (count(w) > 1) fail(job, 'alerts exactly once', `${count(w)} ${w} alerts`);
    const unable = job.accepted.includes('job.unable_to_fix') ? 1 : 0;
    if (count('job.unable_to_fix') !== unable)
      fail(
        job,
        'alerts exactly once',
        `${count('job.unable_to_fix')} job.unable_to_fix alerts, expected ${unable}`,
      );

    // Links: the complaints and the rework its requests opened, each once.
    checkLinks(job, view, fail);

    // Residents and technicians hear each thing once (a complaint's messages, once per complaint).
    const seen = new Set<string>();
    for (const n of notices.filter((x) => x.topic !== 'alerts')) {
      const key = `${n.topic}/${n.attributes.type}${n.attributes.complaintId ? ` of ${n.attributes.complaintId}` : ''}`;
      if (seen.has(key)) {
        tally.duplicates++;
        fail(job, 'notifications once', `${key} published twice`);
      }
      seen.add(key);
    }
  }
  await checkReworks(d, jobs, views, listed, end, tally, failures);
  await checkComplaints(d, cd, views, end, tally, failures);
  for (const job of jobs) if (job.lostOnKill) tally.lostOnKill.push(`${job.jobId} ${job.lostOnKill}`);
  for (const c of cd.all)
    if (c.lostOnKill) tally.lostOnKill.push(`${c.job.jobId} complaint ${c.complaintId} ${c.lostOnKill}`);
  return { failures, tally };
}

type Fail = (job: JobRecord, invariant: string, detail: string) => void;

/** The job's links name exactly the complaints and rework the soak saw it open; a stuck job's, at most those. */
function checkLinks(job: JobRecord, view: JobView, fail: Fail) {
  const linked = view.links.complaints;
  const known = job.complaints.map((c) => c.complaintId);
  const lostLink = job.stuck !== undefined;
  if (new Set(linked).size !== linked.length)
    fail(job, 'one complaint per request', `links.complaints ${JSON.stringify(linked)} names one twice`);
  if (linked.some((id) => !known.includes(id)) || (!lostLink && known.some((id) => !linked.includes(id))))
    fail(
      job,
      'one complaint per request',
      `links.complaints ${JSON.stringify(linked)}, opened ${JSON.stringify(known)}`,
    );
  const reworks = view.links.reworkJobs;
  const rework = job.rework?.jobId;
  if (
    reworks.length > 1 ||
    reworks.some((id) => id !== rework) ||
    (!lostLink && rework && reworks[0] !== rework)
  )
    fail(
      job,
      'one rework per callback',
      `links.reworkJobs ${JSON.stringify(reworks)}, booked ${rework ?? 'none'}`,
    );
  if (view.links.reworkOf !== null || view.links.recallOf !== null || view.links.followUpOf !== null)
    fail(job, 'links', `a soak booking has links ${JSON.stringify(view.links)}`);
}

/**
 * Each rework a callback booked exists as a regular job for the appointment agreed, `reworkOf`
 * its job and no recall of it; nobody drives it, so its arrival deadline is missed once, alerted
 * once. No job exists that the soak did not book or see booked (a second rework of a replay).
 */
async function checkReworks(
  d: Driver,
  jobs: JobRecord[],
  views: Map<string, JobView>,
  listed: Set<string>,
  end: number,
  tally: Tally,
  failures: Failure[],
) {
  const known = new Set(jobs.map((j) => j.jobId));
  for (const job of jobs) {
    if (!job.rework) continue;
    const { jobId, appointment } = job.rework;
    known.add(jobId);
    const fail = (invariant: string, detail: string) =>
      failures.push({ jobId: job.jobId, invariant, detail: `rework ${jobId}: ${detail}` });
    const r = await d.http.send(`GET rework ${jobId}`, () => d.http.api.getJob(d.staff.manager, jobId));
    if (r.status === 404 && job.lostOnKill?.includes('job.rework_booked')) continue;
    if (!r.ok || r.status !== 200 || !listed.has(jobId)) {
      fail('each rework exists', `GET answered ${r.status}; in the listing: ${listed.has(jobId)}`);
      continue;
    }
    tally.complaints.reworks++;
    const v = r.body;
    const original = views.get(job.jobId);
    const same =
      v.unitId === original?.unitId && v.category === original.category && v.residentId === job.resident;
    if (
      v.links.reworkOf !== job.jobId ||
      v.links.recallOf !== null ||
      v.links.followUpOf !== null ||
      v.priority !== 'regular' ||
      v.status !== 'booked' ||
      !same ||
      v.appointment?.start !== appointment.start ||
      v.appointment?.end !== appointment.end
    )
      fail(
        'each rework exists',
        `${JSON.stringify({ status: v.status, priority: v.priority, appointment: v.appointment, residentId: v.residentId, links: v.links })}`,
      );
    const history = await d.http.send(`history ${jobId}`, () =>
      d.http.api.getJobHistory(d.staff.manager, jobId),
    );
    const types = history.ok ? history.body.items.map((h) => h.type) : [];
    const requests = types.filter((t) => !SYSTEM_ENTRIES.includes(t));
    if (requests.join() !== 'job.booked' || types.filter((t) => t === 'sla.arrival_missed').length > 1)
      fail('history complete', `history ${types.join(' → ')} (booked by the callback, never driven)`);
    const outbox = await d.http.send(`notifications ${jobId}`, () =>
      d.http.api.local.listNotifications({ jobId, topic: 'alerts' }),
    );
    const alerts = outbox.ok ? outbox.body.items.map((n) => n.attributes.type) : [];
    const missed = alerts.filter((a) => a === 'sla.arrival_missed').length;
    const expected = end > Date.parse(v.sla.arrivalDueAt) ? 'missed' : null;
    checkSla(job, 'arrival', expected, v.sla.arrivalMet, missed, (_j, invariant, detail) =>
      fail(invariant, detail),
    );
    // Besides the miss, only the ladder's warnings, each once.
    const others = alerts.filter((a) => !LADDER_WARNINGS.includes(a ?? ''));
    const repeated = LADDER_WARNINGS.some((w) => alerts.filter((a) => a === w).length > 1);
    if (others.length !== missed || repeated) fail('alerts exactly once', `alerts ${alerts.join(', ')}`);
  }
  for (const id of listed)
    if (!known.has(id))
      failures.push({
        jobId: id,
        invariant: 'one rework per callback',
        detail: 'a job the soak never booked nor saw booked',
      });
}

/** 'met' or 'missed' as the product's own times say, to hold its verdict to them. */
const judged = (due: string, at: string | null) => (at === null ? null : Date.parse(at) <= Date.parse(due));

async function checkComplaints(
  d: Driver,
  cd: ComplaintDriver,
  views: Map<string, JobView>,
  end: number,
  tally: Tally,
  failures: Failure[],
) {
  const t = tally.complaints;
  const killedNear = (ms: number) => d.http.server.killedNear(ms);
  const listed = await listedComplaints(d);
  const known = new Set(cd.all.map((c) => c.complaintId));
  for (const [id, l] of listed)
    if (!known.has(id))
      failures.push({
        jobId: l.jobId ?? '-',
        complaintId: id,
        invariant: 'one complaint per request',
        detail: `a ${l.source} complaint nobody opened (a replay's second?)`,
      });
  // One complaint per job callback, one per resident filing.
  const perJob = new Map<string, number>();
  for (const l of listed.values()) {
    const key = `${l.jobId}/${l.source}`;
    perJob.set(key, (perJob.get(key) ?? 0) + 1);
  }
  for (const [key, n] of perJob)
    if (n > 1)
      failures.push({
        jobId: key.split('/')[0] ?? '-',
        invariant: 'one complaint per request',
        detail: `${n} complaints of source ${key.split('/')[1]}`,
      });

  for (const c of cd.all) {
    const fail = (invariant: string, detail: string) =>
      failures.push({ jobId: c.job.jobId, complaintId: c.complaintId, invariant, detail });
    // The request that opened it was lost with DynamoDB Local (named with the job's or here).
    if (!c.accepted.length) continue;
    const r = await d.http.send(`GET complaint ${c.complaintId}`, () =>
      d.http.api.getComplaint(d.staff.manager, c.complaintId),
    );
    if (
      r.status === 404 &&
      (c.job.lostOnKill?.includes('job.complaint_opened') || suspectStep(c, killedNear) === 0)
    ) {
      c.lostOnKill ??= 'complaint.received';
      continue;
    }
    if (!r.ok || r.status !== 200 || !listed.has(c.complaintId)) {
      fail('no complaint lost', `GET answered ${r.status}; listed: ${listed.has(c.complaintId)}`);
      continue;
    }
    const v = r.body;
    t.filed[c.source]++;
    t.statuses[v.status] = (t.statuses[v.status] ?? 0) + 1;
    t.callbackAttempts += v.callbackAttempts;

    // Its job: named, and naming it back.
    const job = views.get(c.job.jobId);
    if (v.jobId !== c.job.jobId || v.source !== c.source || !job?.links.complaints.includes(c.complaintId))
      fail(
        'linked to its job',
        `jobId ${v.jobId}, source ${v.source}; the job's links.complaints ${JSON.stringify(job?.links.complaints)}`,
      );

    const historyReply = await d.http.send(`complaint history ${c.complaintId}`, () =>
      d.http.api.getComplaintHistory(d.staff.manager, c.complaintId),
    );
    if (!historyReply.ok) throw new Error(`complaint history answered ${historyReply.status}`);
    const history = historyReply.body.items;
    const requests = history.map((h) => h.type).filter((x) => !COMPLAINT_SYSTEM_ENTRIES.includes(x));
    const suspect = suspectStep(c, killedNear);
    if (!c.stuck && suspect >= 0 && requests.join() === withoutStep(c, suspect).join()) dropStep(c, suspect);

    // Legal status: the one the accepted steps lead to, through the transitions the contract allows.
    if (!c.stuck && v.status !== complaintStatusOf(c))
      fail(
        'legal status',
        `status ${v.status}, the accepted steps ${c.accepted.join(' → ')} lead to ${complaintStatusOf(c)}`,
      );
    requests.reduce((from, type, i) => {
      const ok = i === 0 ? type === 'complaint.received' : COMPLAINT_FROM[type]?.includes(from);
      if (!ok) fail('legal status', `history has ${type} while ${from}`);
      return COMPLAINT_STATUS_AFTER[type] ?? from;
    }, 'none');
    const calls = c.accepted.filter((x) => x.startsWith('complaint.call')).length;
    if (!c.stuck && v.callbackAttempts !== calls)
      fail('legal status', `callbackAttempts ${v.callbackAttempts}, ${calls} callbacks accepted`);

    // Complete history: every accepted step once, in order; each miss at most once.
    if (!c.stuck && requests.join() !== c.accepted.join()) {
      if (requests.length > c.accepted.length) tally.duplicates++;
      fail('history complete', `history ${requests.join(' → ')}; accepted ${c.accepted.join(' → ')}`);
    }
    for (const x of COMPLAINT_SYSTEM_ENTRIES)
      if (history.filter((h) => h.type === x).length > 1) {
        tally.duplicates++;
        fail('history complete', `${x} recorded more than once`);
      }
    if (history.some((h, i) => i > 0 && h.at < (history[i - 1]?.at ?? '')))
      fail('history complete', 'out of order');

    // Deadlines: judged by when the steps were accepted (the request windows), each miss alerted once.
    const outbox = await d.http.send(`notifications ${c.complaintId}`, () =>
      d.http.api.local.listNotifications({ complaintId: c.complaintId }),
    );
    if (!outbox.ok) throw new Error(`GET /_local/notifications answered ${outbox.status}`);
    const alerts = outbox.body.items.filter((n) => n.topic === 'alerts');
    for (const a of alerts) {
      const type = a.attributes.type ?? '?';
      t.alerts[type] = (t.alerts[type] ?? 0) + 1;
      const attrs = a.attributes;
      if (
        attrs.complaintId !== c.complaintId ||
        attrs.severity !== 'critical' ||
        'jobId' in attrs ||
        !attrs.alertId
      )
        fail('alerts exactly once', `alert attributes ${JSON.stringify(attrs)}`);
    }
    const count = (type: string) => alerts.filter((a) => a.attributes.type === type).length;
    const sla = v.sla;
    if (sla.investigationDueAt !== new Date(c.investigationDueAt).toISOString())
      fail('SLA judged right', `investigationDueAt moved to ${sla.investigationDueAt}`);
    const investigation = c.stuck
      ? null
      : expectedMiss(c.investigationDueAt, c.investigation, undefined, end);
    const callback = c.stuck ? null : expectedMiss(c.callbackDueAt, c.callback, undefined, end);
    const asJob = (_j: JobRecord, invariant: string, detail: string) => fail(invariant, detail);
    const invMissed = count('sla.complaint_investigation_missed');
    const cbMissed = count('sla.complaint_callback_missed');
    const what = 'complaint';
    checkSla(
      c.job,
      'complaint_investigation',
      investigation,
      sla.investigationMet,
      invMissed,
      asJob,
      'investigationMet',
      what,
    );
    checkSla(c.job, 'complaint_callback', callback, sla.callbackMet, cbMissed, asJob, 'callbackMet', what);
    // The product's own times agree with its verdicts.
    const invOnTime = judged(sla.investigationDueAt, sla.investigatedAt);
    if (invOnTime !== null && sla.investigationMet !== invOnTime)
      fail(
        'SLA judged right',
        `investigated at ${sla.investigatedAt}, due ${sla.investigationDueAt}, investigationMet ${sla.investigationMet}`,
      );
    const cbOnTime = judged(sla.callbackDueAt, sla.calledBackAt);
    if (cbOnTime !== null && sla.callbackMet !== cbOnTime)
      fail(
        'SLA judged right',
        `called back at ${sla.calledBackAt}, due ${sla.callbackDueAt}, callbackMet ${sla.callbackMet}`,
      );
    const bucket = (met: boolean | null, at: string | null) =>
      met === null ? 'pending' : met ? 'inTime' : at ? 'late' : 'never';
    t.investigated[bucket(sla.investigationMet, sla.investigatedAt)]++;
    t.calledBack[bucket(sla.callbackMet, sla.calledBackAt)]++;

    // The resident hears each step once, about this complaint and its job.
    const told = outbox.body.items.filter((n) => n.topic === 'residents');
    for (const n of told)
      if (n.attributes.jobId !== c.job.jobId || !COMPLAINT_TOLD.includes(n.attributes.type ?? ''))
        fail('notifications once', `residents got ${JSON.stringify(n.attributes)}`);
    for (const type of COMPLAINT_TOLD) {
      const n = told.filter((x) => x.attributes.type === type).length;
      const accepted = c.accepted.includes(type);
      if (n > 1) {
        tally.duplicates++;
        fail('notifications once', `${type} published ${n} times`);
      } else if (!c.stuck && accepted && n === 0 && !c.unsure.includes(type))
        fail('notifications once', `${type} accepted, never published`);
      else if (!c.stuck && !accepted && n > 0)
        fail('notifications once', `${type} published, never accepted`);
    }
  }
}

/** Which statuses each complaint step may come from (api contract). */
const COMPLAINT_FROM: Record<string, readonly string[]> = {
  'complaint.investigated': ['received'],
  'complaint.callback_attempted': ['investigated'],
  'complaint.called_back': ['investigated'],
};

async function listedComplaints(d: Driver) {
  const out = new Map<string, { jobId: string | null; source: string }>();
  let nextToken: string | undefined;
  do {
    const query = { limit: 100, nextToken };
    const r = await d.http.send('GET /complaints', () => d.http.api.listComplaints(d.staff.manager, query));
    if (!r.ok || r.status !== 200) throw new Error(`GET /complaints answered ${r.status}`);
    for (const c of r.body.items) out.set(c.complaintId, { jobId: c.jobId, source: c.source });
    nextToken = r.body.nextToken;
  } while (nextToken);
  return out;
}

function checkSla(
  job: JobRecord,
  name: string,
  expected: 'met' | 'missed' | null,
  met: boolean | null,
  alerts: number,
  fail: (job: JobRecord, invariant: string, detail: string) => void,
  field = `${name}Met`,
  subject = 'job',
) {
  if (expected === 'missed' && met !== false)
    fail(
      job,
      'SLA timer fired',
      `${name} deadline passed with the ${subject} still waiting, but ${field} is ${met}`,
    );
  if (expected === 'met' && met === false)
    fail(job, 'SLA judged right', `${name} was on time, but ${field} is false`);
  const want = met === false ? 1 : 0;
  if (alerts !== want)
    fail(
      job,
      'alerts exactly once',
      `${alerts} sla.${name}_missed alerts, ${field} is ${met} (expected ${want})`,
    );
}

async function listedIds(d: Driver): Promise<Set<string>> {
  const ids = new Set<string>();
  let nextToken: string | undefined;
  do {
    const query = { limit: 100, nextToken };
    const r = await d.http.send('GET /jobs', () => d.http.api.listJobs(d.staff.manager, query));
    if (!r.ok || r.status !== 200) throw new Error(`GET /jobs answered ${r.status}`);
    for (const j of r.body.items) ids.add(j.jobId);
    nextToken = r.body.nextToken;
  } while (nextToken);
  return ids;
}
