import { isDeepStrictEqual } from 'node:util';
import type { ComplaintView } from '../client/api-client';
import { investigationDueAt } from '../functions/domain/business-calendar';
import type { ComplaintCallbackRequest, ComplaintRequest } from '../functions/domain/schemas';
import { COMPLAINT_CATEGORIES } from '../functions/domain/types';
import type { Driver } from './soak-drive';
import { Dropped, type Reply } from './soak-http';
import {
  acceptStep,
  type ComplaintRecord,
  dropStep,
  type JobRecord,
  makeComplaintPlan,
  SOAK_CALENDAR,
  suspectStep,
  type Window,
} from './soak-model';
import { Rng } from './soak-rng';

// The complaints (issue #11): opened by an unhappy job callback or filed by the resident,
// then investigated and called back before or after their deadlines, by plan. Checked answer
// by answer as the jobs are; an unexpected answer is an anomaly and the complaint is no longer
// driven.

const HOUR = 3600_000;
const DAY = 24 * HOUR;

const INVESTIGATION = {
  findings: 'Checked on site with the resident',
  cause: 'Workmanship',
  handler: 'Soak handler',
  result: 'Redone and explained',
};

export class ComplaintDriver {
  readonly all: ComplaintRecord[] = [];
  private readonly rngs = new Map<string, Rng>();

  constructor(
    private readonly d: Driver,
    private readonly seed: number,
  ) {}

  private get http() {
    return this.d.http;
  }

  /** Each complaint draws from its own stream, keyed by its job and source, so concurrency does not change a seed's plans. */
  private rng(job: JobRecord, source: ComplaintRecord['source']): Rng {
    const key = `${job.n}/${source}`;
    const salt = source === 'callback' ? 0x1b873593 : 0x2c1b3c6d;
    const r = this.rngs.get(key) ?? new Rng((this.seed ^ Math.imul(job.n + 1, 0x85ebca6b) ^ salt) >>> 0);
    this.rngs.set(key, r);
    return r;
  }

  private accept(c: ComplaintRecord, type: string): true {
    return acceptStep(c, [type]);
  }

  private anomaly(c: ComplaintRecord, what: string): false {
    // As for jobs: a refusal right after a kill may only mean the answer before it was lost.
    const lost = suspectStep(c, (ms) => this.http.server.killedNear(ms));
    if (lost >= 0) {
      dropStep(c, lost);
      return false;
    }
    return this.wrong(c, what);
  }

  /** An answer that is wrong whatever DynamoDB Local lost. */
  private wrong(c: ComplaintRecord, what: string): false {
    this.d.anomalies.push({ jobId: c.job.jobId, complaintId: c.complaintId, what, at: this.d.elapsed() });
    c.stuck ??= what;
    return false;
  }

  /** The resident complains about their own job (POST /complaints with an Idempotency-Key, sometimes replayed). */
  async file(job: JobRecord): Promise<ComplaintRecord | undefined> {
    if (job.stuck || !job.jobId) return;
    const rng = this.rng(job, 'resident');
    const body: ComplaintRequest = {
      jobId: job.jobId,
      category: rng.pick(COMPLAINT_CATEGORIES),
      description: `Soak job ${job.n}: the resident is not happy`,
    };
    const idempotencyKey = `soak-${this.seed}-complaint-${job.n}`;
    const send = () =>
      this.http.send('POST /complaints', () =>
        this.http.api.fileComplaint(job.token, body, { idempotencyKey }),
      );
    const replay = rng.weighted({ none: 60, concurrent: 20, after: 20 });
    if (replay !== 'none') this.d.counts.complaintReplays++;
    const starts = this.http.server.starts;
    const [replies, w] = await this.d.window(async () =>
      replay === 'concurrent' ? Promise.all([send(), send(), send()]) : [await send()],
    );
    if (replay === 'after') replies.push(await send());
    const first = replies[0] as Reply<ComplaintView>;
    const what = `complaint ${JSON.stringify(body)}${replay === 'none' ? '' : ` (replayed ${replay})`}`;
    for (const r of replies)
      if (!r.ok || r.status !== 201 || !isDeepStrictEqual(r.body, first.body))
        return void this.d.anomaly(
          job,
          `${what} answered ${replies.map((x) => x.status)}: ${JSON.stringify(r.body)}${r === first ? '' : `; first ${JSON.stringify(first.body)}`}`,
        );
    const view = first.body as ComplaintView;
    if (view.source !== 'resident' || view.jobId !== job.jobId || view.residentId !== job.resident)
      return void this.d.anomaly(job, `${what} answered ${JSON.stringify(view)}`);
    const unsure = this.http.server.starts !== starts;
    job.complaints.push({ complaintId: view.complaintId, source: 'resident', received: w, unsure });
    this.d.accept(job, 'job.complaint_opened');
    return this.record(job, 'resident', view, w, unsure);
  }

  /** The complaints a job's callback opened that are not tracked yet (read back as staff see them). */
  async track(job: JobRecord): Promise<ComplaintRecord[]> {
    const out: ComplaintRecord[] = [];
    for (const opened of job.complaints) {
      if (this.all.some((c) => c.complaintId === opened.complaintId)) continue;
      const r = await this.http.send(`GET complaint ${opened.complaintId}`, () =>
        this.http.api.getComplaint(this.d.staff.agent, opened.complaintId),
      );
      const v = r.body as ComplaintView;
      if (
        !r.ok ||
        r.status !== 200 ||
        v.source !== 'callback' ||
        v.category !== 'quality' ||
        v.jobId !== job.jobId
      ) {
        this.d.anomaly(
          job,
          `complaint ${opened.complaintId} of the callback read ${r.status}: ${JSON.stringify(r.body)}`,
        );
        continue;
      }
      out.push(this.record(job, 'callback', v, opened.received, opened.unsure));
    }
    return out;
  }

  private record(
    job: JobRecord,
    source: ComplaintRecord['source'],
    v: ComplaintView,
    received: Window,
    restartedMeanwhile: boolean,
  ): ComplaintRecord {
    const c: ComplaintRecord = {
      n: this.all.length,
      job,
      source,
      complaintId: v.complaintId,
      plan: makeComplaintPlan(this.rng(job, source)),
      investigationDueAt: Date.parse(v.sla.investigationDueAt),
      callbackDueAt: Date.parse(v.sla.callbackDueAt),
      accepted: ['complaint.received'],
      steps: [{ size: 1, at: job.lastAckAt }],
      lastAckAt: job.lastAckAt,
      unsure: restartedMeanwhile ? ['complaint.received'] : [],
    };
    this.all.push(c);
    const created = Date.parse(v.createdAt);
    const dueOk =
      c.investigationDueAt === investigationDueAt(SOAK_CALENDAR, new Date(created)).getTime() &&
      c.callbackDueAt === created + 3 * DAY;
    if (created < received[0] || created > received[1] || !dueOk || v.status !== 'received')
      this.wrong(
        c,
        `received in [${new Date(received[0]).toISOString()}, ${new Date(received[1]).toISOString()}] as ${JSON.stringify({ status: v.status, createdAt: v.createdAt, sla: v.sla })}: the investigation is due at the end of its business day in Asia/Shanghai (or the next one's after closing), the callback 3 days after receipt`,
      );
    return c;
  }

  /**
   * Investigation and callbacks carry no Idempotency-Key: after a dropped connection a careful
   * client reads the complaint's history before it tries again (as for the job's cancel).
   */
  private async once(
    c: ComplaintRecord,
    type: string,
    send: () => Promise<Reply<ComplaintView>>,
  ): Promise<Reply<ComplaintView> | 'landed'> {
    for (;;) {
      try {
        return await send();
      } catch (e) {
        if (!(e instanceof Dropped)) throw e;
        const r = await this.http.send(`complaint history ${c.complaintId}`, () =>
          this.http.api.getComplaintHistory(this.d.staff.manager, c.complaintId),
        );
        if (!r.ok || r.status !== 200) throw new Error(`history of ${c.complaintId} answered ${r.status}`);
        const seen = r.body.items.filter((i) => i.type === type).length;
        if (seen > c.accepted.filter((t) => t === type).length) {
          this.d.counts.reconciled++;
          return 'landed';
        }
      }
    }
  }

  /** A step's request; a restart inside its window leaves its notice to the resident unsure. */
  private async request(c: ComplaintRecord, type: string, act: () => Promise<Reply<ComplaintView>>) {
    const starts = this.http.server.starts;
    const out = await this.d.window(() => this.once(c, type, act));
    if (this.http.server.starts !== starts) c.unsure.push(type);
    return out;
  }

  async investigate(c: ComplaintRecord): Promise<boolean> {
    if (c.stuck) return false;
    const type = 'complaint.investigated';
    const [r, w] = await this.request(c, type, () =>
      this.http.send(
        `investigation ${c.complaintId}`,
        () => this.http.api.investigateComplaint(this.d.staff.agent, c.complaintId, INVESTIGATION),
        false,
      ),
    );
    if (
      r !== 'landed' &&
      (!r.ok || r.status !== 200 || r.body.status !== 'investigated' || !r.body.sla.investigatedAt)
    )
      return this.anomaly(c, `investigation answered ${r.status}: ${JSON.stringify(r.body)}`);
    c.investigation = w;
    return this.accept(c, type);
  }

  async callBack(c: ComplaintRecord, reached: boolean): Promise<boolean> {
    if (c.stuck) return false;
    const rng = this.rng(c.job, c.source);
    const type = reached ? 'complaint.called_back' : 'complaint.callback_attempted';
    const now = await this.http.now();
    const body: ComplaintCallbackRequest = reached
      ? { reached, satisfied: rng.chance(0.7), ...(rng.chance(0.3) && { comment: 'Thanks for calling' }) }
      : { reached, ...(rng.chance(0.5) && { answerBy: new Date(now + DAY).toISOString() }) };
    const calls = c.accepted.filter((t) => t.startsWith('complaint.call')).length + 1;
    const [r, w] = await this.request(c, type, () =>
      this.http.send(
        `callback ${c.complaintId}`,
        () => this.http.api.callBackComplainant(this.d.staff.agent, c.complaintId, body),
        false,
      ),
    );
    const status = reached ? 'closed' : 'investigated';
    if (
      r !== 'landed' &&
      (!r.ok || r.status !== 200 || r.body.status !== status || r.body.callbackAttempts !== calls)
    )
      return this.anomaly(
        c,
        `callback ${JSON.stringify(body)} answered ${r.status}: ${JSON.stringify(r.body)} (expected ${status}, attempt ${calls})`,
      );
    if (reached) c.callback = w;
    return this.accept(c, type);
  }

  /** A callback before the investigation: 409, and nothing changes (the final check counts the attempts). */
  private async early(c: ComplaintRecord): Promise<boolean> {
    this.d.counts.earlyComplaintCallbacks++;
    const r = await this.http.send(`early callback ${c.complaintId}`, () =>
      this.http.api.callBackComplainant(this.d.staff.agent, c.complaintId, {
        reached: true,
        satisfied: true,
      }),
    );
    if (r.status !== 409)
      return this.anomaly(
        c,
        `a callback before the investigation answered ${r.status}: ${JSON.stringify(r.body)}`,
      );
    return true;
  }

  private async callBackAll(c: ComplaintRecord): Promise<void> {
    for (let i = 0; i < c.plan.attempts; i++) if (!(await this.callBack(c, false))) return;
    await this.callBack(c, true);
  }

  /** Right after the complaint is opened: the on-time investigation, and some on-time callbacks. */
  async soon(c: ComplaintRecord): Promise<void> {
    const p = c.plan;
    if (c.stuck) return;
    if (p.earlyCallback && !(await this.early(c))) return;
    if (p.investigation !== 'on_time' || !(await this.investigate(c))) return;
    if (p.callback === 'on_time' && p.callbackSoon) await this.callBackAll(c);
  }

  /**
   * Once the clock has passed every investigation deadline (the callbacks are still due): the late
   * investigations, the remaining on-time callbacks, and the failed attempts before a late one.
   */
  async afterInvestigationDeadline(c: ComplaintRecord): Promise<void> {
    const p = c.plan;
    if (c.stuck) return;
    if (p.investigation === 'late' && !(await this.investigate(c))) return;
    if (!c.accepted.includes('complaint.investigated') || c.accepted.includes('complaint.called_back'))
      return;
    if (p.callback === 'on_time') return this.callBackAll(c);
    for (let i = 0; i < p.attempts; i++) if (!(await this.callBack(c, false))) return;
  }

  /** Once the clock has passed every callback deadline: the late callbacks. */
  async afterCallbackDeadline(c: ComplaintRecord): Promise<void> {
    if (c.plan.callback !== 'late' || !c.accepted.includes('complaint.investigated')) return;
    if (c.accepted.includes('complaint.called_back')) return;
    await this.callBack(c, true);
  }

  /** Sent while the clock jumps past this complaint's deadline. */
  racesInvestigation = (c: ComplaintRecord) => c.plan.raceJump && c.plan.investigation === 'late' && !c.stuck;
  racesCallback = (c: ComplaintRecord) =>
    c.plan.raceJump &&
    c.plan.callback === 'late' &&
    !c.stuck &&
    c.accepted.includes('complaint.investigated');
}
