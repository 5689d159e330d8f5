import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { BookingRequest, JobView, WebhookAnswer } from '../client/api-client';
import { nextBusinessWindow } from '../functions/domain/business-calendar';
import type { CallbackRequest } from '../functions/domain/schemas';
import { EVENT_DATA } from '../test/support/client';
import { Dropped, type Http, type Reply } from './soak-http';
import {
  acceptStep,
  dropStep,
  type JobRecord,
  SOAK_CALENDAR,
  STATUS_AFTER,
  suspectStep,
  type Window,
} from './soak-model';
import { Rng } from './soak-rng';

// One request (or one deliberate bad pattern) at a time for one job, checking each answer
// against the contract. An unexpected answer is an anomaly: recorded, and that job is no
// longer driven, so the soak's model of it stays true.

export interface Anomaly {
  jobId: string;
  /** Set when it is the complaint's request that was answered wrong. */
  complaintId?: string;
  what: string;
  /** Seconds into the run, to line it up with the restarts and faults in the event log. */
  at: number;
}

export interface DriveCounts {
  duplicateDeliveries: number;
  concurrentDuplicates: number;
  outOfOrder: number;
  foreignTechnician: number;
  acceptRaces: number;
  bookingReplays: number;
  reconciled: number;
  /** Job callbacks sent with an Idempotency-Key (unhappy, or booking a rework), and the ones replayed. */
  keyedCallbacks: number;
  callbackReplays: number;
  /** POST /complaints replayed with its Idempotency-Key. */
  complaintReplays: number;
  /** Complaint callbacks tried before the investigation (409). */
  earlyComplaintCallbacks: number;
  /** Late complaint steps sent while the clock jumped past their deadline. */
  racedDeadlines: number;
}

const HOUR = 3600_000;

const isOk = (s: number) => s === 200 || s === 202;

export class Driver {
  readonly anomalies: Anomaly[] = [];
  readonly counts: DriveCounts = {
    duplicateDeliveries: 0,
    concurrentDuplicates: 0,
    outOfOrder: 0,
    foreignTechnician: 0,
    acceptRaces: 0,
    bookingReplays: 0,
    reconciled: 0,
    keyedCallbacks: 0,
    callbackReplays: 0,
    complaintReplays: 0,
    earlyComplaintCallbacks: 0,
    racedDeadlines: 0,
  };
  private readonly rngs = new Map<number, Rng>();
  /** Deliveries refused as out of order, redelivered with the same id once their turn comes. */
  private readonly deferred = new Map<string, string>();

  constructor(
    readonly http: Http,
    private readonly seed: number,
    readonly staff: { agent: string; manager: string },
    /** Seconds into the run. */
    readonly elapsed: () => number,
  ) {}

  /** Each job draws from its own stream, so concurrency does not change what a seed plans. */
  rng(job: JobRecord): Rng {
    const r = this.rngs.get(job.n) ?? new Rng((this.seed ^ Math.imul(job.n + 1, 0x9e3779b1)) >>> 0);
    this.rngs.set(job.n, r);
    return r;
  }

  /** Records that the product accepted `type` (and the links the same request added). */
  accept(job: JobRecord, ...types: string[]): true {
    return acceptStep(job, types);
  }

  anomaly(job: JobRecord, what: string): false {
    // A refusal right after a kill may only mean the answer before it was lost with DynamoDB Local.
    const lost = suspectStep(job, (ms) => this.http.server.killedNear(ms));
    if (lost >= 0) {
      dropStep(job, lost);
      return false;
    }
    return this.wrong(job, what);
  }

  /** An answer that is wrong whatever DynamoDB Local lost: the job is no longer driven. */
  wrong(job: JobRecord, what: string): false {
    this.anomalies.push({ jobId: job.jobId || `#${job.n}`, what, at: this.elapsed() });
    job.stuck ??= what;
    return false;
  }

  async window<T>(act: () => Promise<T>): Promise<[T, Window]> {
    const before = await this.http.now();
    const out = await act();
    return [out, [before, await this.http.now()]];
  }

  async book(job: JobRecord, body: BookingRequest): Promise<boolean> {
    const idempotencyKey = `soak-${this.seed}-${job.n}`;
    const send = () =>
      this.http.send('POST /jobs', () => this.http.api.bookJob(job.token, body, { idempotencyKey }));
    const r = await send();
    if (!r.ok || r.status !== 201 || !r.body.jobId || !r.body.sla)
      return this.anomaly(job, `booking answered ${r.status}: ${JSON.stringify(r.body)}`);
    job.jobId = r.body.jobId;
    job.arrivalDueAt = Date.parse(r.body.sla.arrivalDueAt);
    this.accept(job, 'job.booked');
    if (this.rng(job).chance(0.12)) {
      this.counts.bookingReplays++;
      const again = await Promise.all([send(), send()]);
      for (const a of again)
        if (!a.ok || a.status !== 201 || a.body.jobId !== job.jobId)
          return this.anomaly(
            job,
            `booking replayed with its Idempotency-Key answered ${a.status} ${JSON.stringify(a.body)}`,
          );
    }
    return true;
  }

  private event(job: JobRecord, type: string, technicianId = job.technician) {
    return { type, jobId: job.jobId, technicianId, data: EVENT_DATA[type] };
  }

  /**
   * A technician event that must be accepted, sometimes with a bad pattern around it:
   * `later` delivered first (409, redelivered in its turn), a foreign technician (403),
   * two technicians accepting at once, or the same delivery twice (concurrently or after).
   */
  async step(job: JobRecord, type: string, later?: string): Promise<boolean> {
    if (job.stuck) return false;
    const rng = this.rng(job);
    // Not around an accept: its redelivery must come from the technician who won.
    if (later && type !== 'job.accepted' && rng.chance(0.12)) {
      this.counts.outOfOrder++;
      const id = `msg_${randomUUID()}`;
      const early = await this.http.webhook(this.event(job, later), id);
      if (early.status !== 409)
        return this.anomaly(job, `${later} before ${type} answered ${early.status}, expected 409`);
      this.deferred.set(`${job.jobId}/${later}`, id);
    }
    if (type !== 'job.accepted' && rng.chance(0.04)) {
      this.counts.foreignTechnician++;
      const r = await this.http.webhook(this.event(job, type, 't-stranger'));
      if (r.status !== 403) return this.anomaly(job, `${type} from another technician answered ${r.status}`);
    }
    if (type === 'job.accepted' && rng.chance(0.15)) return this.acceptRace(job);
    const id = this.deferred.get(`${job.jobId}/${type}`) ?? `msg_${randomUUID()}`;
    const replies: Reply<WebhookAnswer>[] = [];
    if (rng.chance(0.1)) {
      this.counts.concurrentDuplicates++;
      replies.push(...(await Promise.all([0, 1].map(() => this.http.webhook(this.event(job, type), id)))));
    } else replies.push(await this.http.webhook(this.event(job, type), id));
    if (rng.chance(0.1)) {
      this.counts.duplicateDeliveries++;
      const again = await this.http.webhook(this.event(job, type), id);
      if (again.status !== 200) return this.anomaly(job, `redelivered ${type} answered ${again.status}`);
      replies.push(again);
    }
    const expected = STATUS_AFTER[type];
    const bad = replies.find((r) => !r.ok || !isOk(r.status) || r.body.status !== expected);
    if (bad) return this.anomaly(job, `${type} answered ${bad.status}: ${JSON.stringify(bad.body)}`);
    if (replies.filter((r) => r.status === 202).length > 1)
      return this.anomaly(job, `one delivery of ${type} answered 202 twice`);
    return this.accept(job, type);
  }

  private async acceptRace(job: JobRecord): Promise<boolean> {
    this.counts.acceptRaces++;
    const techs = ['t-red', 't-blue'];
    const replies = await Promise.all(
      techs.map((t) => this.http.webhook(this.event(job, 'job.accepted', t))),
    );
    const won = replies.flatMap((r, i) => (isOk(r.status) ? [techs[i] as string] : []));
    const lost = replies.filter((r) => r.status === 409).length;
    if (won.length !== 1 || lost !== 1)
      return this.anomaly(job, `two technicians accepting answered ${replies.map((r) => r.status)}`);
    job.technician = won[0] as string;
    return this.accept(job, 'job.accepted');
  }

  async cancel(job: JobRecord, as: 'resident' | 'manager'): Promise<boolean> {
    if (job.stuck) return false;
    const token = as === 'resident' ? job.token : this.staff.manager;
    const [r, w] = await this.window(() =>
      this.once(job, 'job.cancelled', () =>
        this.http.send(`cancel ${job.jobId}`, () => this.http.api.cancelJob(token, job.jobId, {}), false),
      ),
    );
    if (r !== 'landed' && (!r.ok || r.status !== 200 || r.body.status !== 'cancelled'))
      return this.anomaly(job, `cancel by ${as} answered ${r.status}: ${JSON.stringify(r.body)}`);
    job.cancel = w;
    return this.accept(job, 'job.cancelled');
  }

  /**
   * The agent's callback. A reached resident scores the visit: 1–2 for an unhappy plan (a
   * complaint), and an unresolved issue books a rework; those go with an Idempotency-Key.
   */
  async callback(job: JobRecord, reached: boolean): Promise<boolean> {
    if (job.stuck) return false;
    const rng = this.rng(job);
    const unresolved = reached && (job.plan.unhappy ? job.plan.unresolved : rng.chance(0.05));
    if (reached && (job.plan.unhappy || unresolved)) return this.keyedCallback(job, unresolved);
    const type = reached ? 'callback.completed' : 'callback.attempted';
    const body = reached ? { reached, satisfaction: rng.int(3, 5), issueResolved: true } : { reached };
    const [r, w] = await this.window(() =>
      this.once(job, type, () =>
        this.http.send(
          `callback ${job.jobId}`,
          () => this.http.api.recordCallback(this.staff.agent, job.jobId, body),
          false,
        ),
      ),
    );
    if (r !== 'landed' && (!r.ok || r.status !== 200 || r.body.status !== STATUS_AFTER[type]))
      return this.anomaly(
        job,
        `callback ${JSON.stringify(body)} answered ${r.status}: ${JSON.stringify(r.body)}`,
      );
    if (reached) job.callback = w;
    return this.accept(job, type);
  }

  /**
   * A callback that opens a complaint, a rework or both, with an Idempotency-Key: a dropped
   * connection is simply resent, and some are replayed on purpose, at once or after the
   * answer. Every answer must be the first one, with one complaint and one rework in its links.
   */
  private async keyedCallback(job: JobRecord, unresolved: boolean): Promise<boolean> {
    const rng = this.rng(job);
    const unhappy = job.plan.unhappy;
    const after = new Date((await this.http.now()) + rng.int(24, 48) * HOUR);
    const appointment = nextBusinessWindow(SOAK_CALENDAR, after, 2 * HOUR) as { start: string; end: string };
    const body: CallbackRequest = {
      reached: true,
      satisfaction: unhappy ? rng.int(1, 2) : rng.int(3, 5),
      issueResolved: !unresolved,
      ...(unhappy && rng.chance(0.5) && { comment: `Soak job ${job.n}: still not right` }),
      ...(unresolved && { rework: { appointment } }),
    };
    const idempotencyKey = `soak-${this.seed}-callback-${job.n}`;
    const send = () =>
      this.http.send(`callback ${job.jobId}`, () =>
        this.http.api.recordCallback(this.staff.agent, job.jobId, body, { idempotencyKey }),
      );
    this.counts.keyedCallbacks++;
    const replay = rng.weighted({ none: 60, concurrent: 20, after: 20 });
    if (replay !== 'none') this.counts.callbackReplays++;
    const starts = this.http.server.starts;
    const [replies, w] = await this.window(async () =>
      replay === 'concurrent' ? Promise.all([send(), send(), send()]) : [await send()],
    );
    if (replay === 'after') replies.push(await send());
    const statuses = replies.map((x) => x.status).join(',');
    const what = `callback ${JSON.stringify(body)} with its Idempotency-Key${replay === 'none' ? '' : ` (replayed ${replay})`}`;
    const closed = (r: Reply<JobView>) => r.ok && r.status === 200 && r.body.status === 'closed';
    const good = replies.find(closed);
    if (!good) return this.anomaly(job, `${what} answered ${statuses}: ${JSON.stringify(replies[0]?.body)}`);
    // What the first good answer opened is tracked even when another answer is wrong, so the
    // final checks still hold the complaint and the rework to it.
    const view = good.body as JobView;
    const { reworkJobs } = view.links;
    // The job may already name the resident's own complaint: the callback's is the new one.
    const before = new Set(job.complaints.map((c) => c.complaintId));
    const complaints = view.links.complaints.filter((id) => !before.has(id));
    job.callback = w;
    const complaintId = complaints[0];
    const unsure = this.http.server.starts !== starts;
    if (complaintId) job.complaints.push({ complaintId, source: 'callback', received: w, unsure });
    const reworkId = reworkJobs[0];
    if (reworkId) job.rework = { jobId: reworkId, appointment };
    const links = [
      ...(complaintId ? ['job.complaint_opened'] : []),
      ...(reworkId ? ['job.rework_booked'] : []),
    ];
    this.accept(job, 'callback.completed', ...links);
    const brief = (v: unknown) => {
      const j = v as Partial<JobView>;
      return JSON.stringify(j.status ? { status: j.status, version: j.version, links: j.links } : v);
    };
    const odd = replies.find((r) => !closed(r) || !isDeepStrictEqual(r.body, view));
    if (odd)
      return this.wrong(
        job,
        `${what} answered ${statuses}: ${brief(odd.body)}; the first 200: ${brief(view)}`,
      );
    if (complaints.length !== (unhappy ? 1 : 0) || reworkJobs.length !== (unresolved ? 1 : 0))
      return this.wrong(job, `${what}: links ${JSON.stringify(view.links)}`);
    return true;
  }

  /**
   * Cancel and callback carry no idempotency key: after a dropped connection a careful
   * client looks at the job's history before it tries again.
   */
  private async once(
    job: JobRecord,
    type: string,
    send: () => Promise<Reply<JobView>>,
  ): Promise<Reply<JobView> | 'landed'> {
    for (;;) {
      try {
        return await send();
      } catch (e) {
        if (!(e instanceof Dropped)) throw e;
        const items = await this.history(job);
        const seen = items.filter((i) => i.type === type).length;
        if (seen > job.accepted.filter((t) => t === type).length) {
          this.counts.reconciled++;
          return 'landed';
        }
      }
    }
  }

  async history(job: JobRecord): Promise<Array<{ type: string; at: string }>> {
    const r = await this.http.send(`history ${job.jobId}`, () =>
      this.http.api.getJobHistory(this.staff.manager, job.jobId),
    );
    if (!r.ok || r.status !== 200) throw new Error(`history of ${job.jobId} answered ${r.status}`);
    return r.body.items;
  }
}
