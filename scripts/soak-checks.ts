import type { Driver } from './soak-drive';
import {
  ALLOWED_FROM,
  type JobRecord,
  STATUS_AFTER,
  SYSTEM_ENTRIES,
  statusOf,
  type Window,
} from './soak-model';

// The invariants, read back through the API and the outbox once everything has settled.
// Each failure names the job and what broke.

export interface Failure {
  jobId: string;
  invariant: string;
  detail: string;
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

export async function checkAll(d: Driver, jobs: JobRecord[], end: number) {
  const failures: Failure[] = [];
  const tally: Tally = {
    alerts: {},
    statuses: {},
    duplicates: 0,
    lost: 0,
    arrivalMissed: 0,
    callbackMissed: 0,
    lostOnKill: [],
  };
  const fail = (job: JobRecord, invariant: string, detail: string) =>
    failures.push({ jobId: job.jobId || `#${job.n}`, invariant, detail });
  const listed = await listedIds(d);
  for (const job of jobs) {
    if (!job.jobId) continue;
    const r = await d.http.send(`GET job ${job.jobId}`, () => d.http.api.getJob(d.staff.manager, job.jobId));
    const killed = d.http.server.killedNear(job.lastAckAt);
    if (r.status === 404 && killed && job.accepted.length === 1) {
      job.lostOnKill = 'job.booked';
      continue;
    }
    if (!r.ok || r.status !== 200 || !listed.has(job.jobId)) {
      tally.lost++;
      fail(job, 'no booking lost', `GET answered ${r.status}; in the listing: ${listed.has(job.jobId)}`);
      continue;
    }
    const view = r.body;
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

    if (!job.stuck && killed && requests.join() === job.accepted.slice(0, -1).join()) {
      job.lostOnKill = job.accepted.pop();
      job.stuck = `lost on SIGKILL: ${job.lostOnKill}`;
    }

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
    const unable = job.accepted.includes('job.unable_to_fix') ? 1 : 0;
    if (count('job.unable_to_fix') !== unable)
      fail(
        job,
        'alerts exactly once',
        `${count('job.unable_to_fix')} job.unable_to_fix alerts, expected ${unable}`,
      );

    // Residents and technicians hear each thing once.
    const seen = new Set<string>();
    for (const n of notices.filter((x) => x.topic !== 'alerts')) {
      const key = `${n.topic}/${n.attributes.type}`;
      if (seen.has(key)) {
        tally.duplicates++;
        fail(job, 'notifications once', `${key} published twice`);
      }
      seen.add(key);
    }
  }
  for (const job of jobs) if (job.lostOnKill) tally.lostOnKill.push(`${job.jobId} ${job.lostOnKill}`);
  return { failures, tally };
}

function checkSla(
  job: JobRecord,
  name: string,
  expected: 'met' | 'missed' | null,
  met: boolean | null,
  alerts: number,
  fail: (job: JobRecord, invariant: string, detail: string) => void,
) {
  if (expected === 'missed' && met !== false)
    fail(
      job,
      'SLA timer fired',
      `${name} deadline passed with the job still waiting, but ${name}Met is ${met}`,
    );
  if (expected === 'met' && met === false)
    fail(job, 'SLA judged right', `${name} was on time, but ${name}Met is false`);
  const want = met === false ? 1 : 0;
  if (alerts !== want)
    fail(
      job,
      'alerts exactly once',
      `${alerts} sla.${name}_missed alerts, ${name}Met is ${met} (expected ${want})`,
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
