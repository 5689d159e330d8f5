import { randomUUID } from 'node:crypto';
import type { BookingRequest, JobView, WebhookAnswer } from '../client/api-client';
import { EVENT_DATA } from '../test/support/client';
import { Dropped, type Http, type Reply } from './soak-http';
import { type JobRecord, STATUS_AFTER, type Window } from './soak-model';
import { Rng } from './soak-rng';

// One request (or one deliberate bad pattern) at a time for one job, checking each answer
// against the contract. An unexpected answer is an anomaly: recorded, and that job is no
// longer driven, so the soak's model of it stays true.

export interface Anomaly {
  jobId: string;
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
}

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
  };
  private readonly rngs = new Map<number, Rng>();
  /** Deliveries refused as out of order, redelivered with the same id once their turn comes. */
  private readonly deferred = new Map<string, string>();

  constructor(
    readonly http: Http,
    private readonly seed: number,
    readonly staff: { agent: string; manager: string },
    private readonly elapsed: () => number,
  ) {}

  /** Each job draws from its own stream, so concurrency does not change what a seed plans. */
  rng(job: JobRecord): Rng {
    const r = this.rngs.get(job.n) ?? new Rng((this.seed ^ Math.imul(job.n + 1, 0x9e3779b1)) >>> 0);
    this.rngs.set(job.n, r);
    return r;
  }

  /** Records that the product accepted `type`. */
  accept(job: JobRecord, type: string): true {
    job.accepted.push(type);
    job.lastAckAt = Date.now();
    return true;
  }

  anomaly(job: JobRecord, what: string): false {
    // A refusal right after a kill may only mean the answer before it was lost with DynamoDB Local.
    if (this.http.server.killedNear(job.lastAckAt)) {
      job.lostOnKill = job.accepted.pop();
      job.stuck ??= `lost on SIGKILL: ${job.lostOnKill}`;
      return false;
    }
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

  async callback(job: JobRecord, reached: boolean): Promise<boolean> {
    if (job.stuck) return false;
    const type = reached ? 'callback.completed' : 'callback.attempted';
    const body = reached ? { reached, satisfaction: 5, issueResolved: true } : { reached };
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
