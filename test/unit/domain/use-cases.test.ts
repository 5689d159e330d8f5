import { bodyHash } from '../../../functions/domain/commits';
import {
  ConflictError,
  ForbiddenError,
  IdempotencyMismatchError,
  NotFoundError,
  UnavailableError,
  ValidationError,
} from '../../../functions/domain/errors';
import { ReceiptExistsError } from '../../../functions/domain/ports';
import type { BookingRequest } from '../../../functions/domain/schemas';
import {
  awaitMilestone,
  book,
  callback,
  cancel,
  countJobChange,
  getJob,
  jobHistory,
  listJobs,
  loadPhase,
  monthlyReport,
  rate,
  technicianEvent,
  timerFired,
  workflowSubject,
} from '../../../functions/domain/use-cases';
import { type FakePorts, fakePorts } from '../support/fakes';
import {
  AGENT,
  at,
  DAY,
  defined,
  jobIn,
  MANAGER,
  MINUTE,
  makeJob,
  NOW,
  OTHER_RESIDENT,
  RESIDENT,
  rejectionOf,
  thrownBy,
  webhookEvent,
} from '../support/fixtures';

const body: BookingRequest = {
  unitId: 'B2-1203',
  category: 'plumbing',
  description: 'Kitchen tap leaking',
  priority: 'urgent',
  contactPhone: '+8613800138000',
  locale: 'en',
};

let p: FakePorts;
beforeEach(() => {
  p = fakePorts();
});

const bumpStoredJob = (jobId: string, change: Partial<ReturnType<typeof makeJob>> = {}) => {
  const current = defined(p.store.jobs.get(jobId), 'stored job');
  p.store.jobs.set(jobId, { ...current, ...change, version: current.version + 1 });
};

describe('book', () => {
  it('refuses a manager before anything is written', async () => {
    expect(await rejectionOf(book(p, MANAGER, body, 'key-1'))).toBeInstanceOf(ForbiddenError);
    expect(p.store.calls).toMatchObject({ create: 0, receipt: 0 });
  });

  it("books by phone for the resident an agent names: the resident's job, the agent in its history", async () => {
    const view = await book(p, AGENT, { ...body, residentId: RESIDENT.sub, channel: 'phone' });

    expect(view).toMatchObject({ residentId: RESIDENT.sub, channel: 'phone' });
    const history = p.store.histories.get(view.jobId) ?? [];
    expect(history[0]).toMatchObject({ type: 'job.booked', actor: `agent:${AGENT.sub}` });
  });

  it.each([
    ['an agent without residentId', AGENT, {}, 'residentId'],
    ['an agent with channel app', AGENT, { residentId: RESIDENT.sub, channel: 'app' as const }, 'channel'],
    ['a resident for someone else', RESIDENT, { residentId: OTHER_RESIDENT.sub }, 'residentId'],
    ['a resident by phone', RESIDENT, { channel: 'phone' as const }, 'channel'],
  ])('refuses %s naming the field, and writes nothing', async (_what, caller, extra, field) => {
    const e = await rejectionOf(book(p, caller, { ...body, ...extra }));

    expect(e).toBeInstanceOf(ValidationError);
    expect((e as ValidationError).errors.map((x) => x.path)).toEqual([field]);
    expect(p.store.calls.create).toBe(0);
  });

  it('stores the job, starts its workflow and answers 201 with the resident view', async () => {
    const view = await book(p, RESIDENT, body);

    expect(view.status).toBe('booked');
    expect(view).not.toHaveProperty('laborWaived');
    expect(p.store.jobs.has(view.jobId)).toBe(true);
    expect(p.workflow.started).toEqual([view.jobId]);
  });

  it('counts the booking in JobsBooked', async () => {
    await book(p, RESIDENT, body);

    expect(p.metrics.points).toEqual([{ name: 'JobsBooked', value: 1 }]);
  });

  it('tells the resident and the technicians after the job is stored', async () => {
    const response = await book(p, RESIDENT, body);

    const { jobId } = response;
    expect(p.notifier.published.map((m) => [m.jobId, m.notice.topic])).toEqual([
      [jobId, 'residents'],
      [jobId, 'technicians'],
    ]);
  });

  it('gives each booking without a key a job of its own', async () => {
    await book(p, RESIDENT, body);
    await book(p, RESIDENT, body);

    expect(p.store.jobs.size).toBe(2);
  });

  it('answers the same Idempotency-Key with the same body with the first response and no second job', async () => {
    const first = await book(p, RESIDENT, body, 'key-1');

    const second = await book(p, RESIDENT, body, 'key-1');

    expect(second).toEqual(first);
    expect(p.store.jobs.size).toBe(1);
    // The replay starts the same job's workflow again (idempotent), in case the first start failed.
    expect(new Set(p.workflow.started)).toEqual(new Set([first.jobId]));
    expect(p.notifier.published).toHaveLength(2);
  });

  it('answers the same Idempotency-Key with another body with 422 and no second job', async () => {
    await book(p, RESIDENT, body, 'key-1');

    const error = await rejectionOf(book(p, RESIDENT, { ...body, description: 'Something else' }, 'key-1'));

    expect(error).toBeInstanceOf(IdempotencyMismatchError);
    expect((error as IdempotencyMismatchError).code).toBe('idempotency_mismatch');
    expect(p.store.jobs.size).toBe(1);
  });

  it("keeps one resident's Idempotency-Key apart from another's", async () => {
    await book(p, RESIDENT, body, 'key-1');

    const other = await book(p, OTHER_RESIDENT, body, 'key-1');

    expect(other.residentId).toBe(OTHER_RESIDENT.sub);
    expect(p.store.jobs.size).toBe(2);
  });

  it('stores the idempotency receipt with the body hash and the answer', async () => {
    const view = await book(p, RESIDENT, body, 'key-1');

    expect(p.store.receipts.get('idempotency#r-1#key-1')).toEqual({
      kind: 'idempotency',
      key: 'r-1#key-1',
      bodyHash: bodyHash(body),
      result: view,
    });
  });

  it('answers as the winner did when a concurrent request with the same key committed first', async () => {
    const winner = { jobId: 'job-winner' };
    jest.spyOn(p.store, 'commit').mockImplementationOnce(async () => {
      p.store.receipts.set('idempotency#r-1#key-1', {
        kind: 'idempotency',
        key: 'r-1#key-1',
        bodyHash: bodyHash(body),
        result: winner,
      });
      throw new ReceiptExistsError();
    });

    const response = await book(p, RESIDENT, body, 'key-1');

    // The winner's commit started its execution (from its outbox); this request announces nothing.
    expect(response).toEqual(winner);
    expect(p.workflow.started).toEqual([]);
    expect(p.notifier.published).toEqual([]);
  });

  it('answers 422 when a concurrent request won the key with another body', async () => {
    jest.spyOn(p.store, 'commit').mockImplementationOnce(async () => {
      p.store.receipts.set('idempotency#r-1#key-1', {
        kind: 'idempotency',
        key: 'r-1#key-1',
        bodyHash: 'another-hash',
        result: {},
      });
      throw new ReceiptExistsError();
    });

    expect(await rejectionOf(book(p, RESIDENT, body, 'key-1'))).toBeInstanceOf(IdempotencyMismatchError);
  });

  it('commits its notices and its start in its transaction: SNS down delays them, the booking answers', async () => {
    p.notifier.failWith = Object.assign(new Error('SNS is down at sns.ap-east-1.amazonaws.com'), {
      name: 'InternalErrorException',
    });

    const { jobId } = await book(p, RESIDENT, body);

    expect(p.store.jobs.has(jobId)).toBe(true);
    expect(p.store.outbox.map((e) => e.messages.map((m) => m.kind))).toEqual([['notice', 'notice', 'start']]);
    // The start went out; the notices wait for the stream's retry, then go once.
    expect(p.workflow.started).toEqual([jobId]);
    expect(p.notifier.published).toEqual([]);
    p.notifier.failWith = undefined;
    await p.redeliver();
    await p.redeliver();
    expect(p.notifier.published.map((n) => n.notice.type)).toEqual(['job.booked', 'job.booked']);
    expect(p.workflow.started).toEqual([jobId]);
  });

  it('answers a replay without starting anything again: the first commit started it', async () => {
    const first = await book(p, RESIDENT, body, 'key-1');
    const again = await book(p, RESIDENT, body, 'key-1');

    expect(again).toEqual(first);
    expect(p.workflow.started).toEqual([first.jobId]);
  });

  it('does not let a non-resident book', async () => {
    expect(await rejectionOf(book(p, MANAGER, body))).toBeInstanceOf(ForbiddenError);
    expect(p.store.jobs.size).toBe(0);
  });
});

describe('technicianEvent', () => {
  beforeEach(() => {
    p.store.put(jobIn('booked', { version: 1 }));
  });

  it('applies the event and answers the new status', async () => {
    const response = await technicianEvent(p, 'msg-1', webhookEvent('job.accepted'));

    expect(response).toEqual({ redelivery: false, job: { jobId: 'job-1', status: 'accepted' } });
    expect(p.store.jobs.get('job-1')?.status).toBe('accepted');
  });

  it('stores a webhook receipt with the answer, in the same write', async () => {
    const event = webhookEvent('job.accepted');

    await technicianEvent(p, 'msg-1', event);

    expect(p.store.receipts.get('webhook#msg-1')).toEqual({
      kind: 'webhook',
      key: 'msg-1',
      bodyHash: bodyHash(event),
      result: { jobId: 'job-1', status: 'accepted' },
    });
  });

  it('records business metrics after a committed write, and none for a rejected event', async () => {
    await technicianEvent(p, 'msg-1', webhookEvent('job.accepted'));
    await rejectionOf(technicianEvent(p, 'msg-2', webhookEvent('job.form_signed')));
    await technicianEvent(p, 'msg-3', webhookEvent('job.arrived'));

    expect(p.metrics.points).toEqual([{ name: 'ArrivalOnTime', value: 1 }]);
  });

  it('answers a repeated webhook-id with 200 and the first body, and changes nothing', async () => {
    await technicianEvent(p, 'msg-1', webhookEvent('job.accepted'));
    const after = structuredClone(p.store.jobs.get('job-1'));
    const published = p.notifier.published.length;

    const again = await technicianEvent(p, 'msg-1', webhookEvent('job.accepted'));

    expect(again).toEqual({ redelivery: true, job: { jobId: 'job-1', status: 'accepted' } });
    expect(p.store.jobs.get('job-1')).toEqual(after);
    expect(p.notifier.published).toHaveLength(published);
    expect(p.store.calls.save).toBe(1);
  });

  it('answers a repeated webhook-id with the first body even when the job has moved on', async () => {
    await technicianEvent(p, 'msg-1', webhookEvent('job.accepted'));
    await technicianEvent(p, 'msg-2', webhookEvent('job.en_route'));

    const again = await technicianEvent(p, 'msg-1', webhookEvent('job.accepted'));

    expect(again).toEqual({ redelivery: true, job: { jobId: 'job-1', status: 'accepted' } });
  });

  it('answers a redelivery with the first outcome when a concurrent delivery of the same id committed first', async () => {
    p.store.beforeSave = () => {
      p.store.receipts.set('webhook#msg-1', {
        kind: 'webhook',
        key: 'msg-1',
        bodyHash: 'h',
        result: { jobId: 'job-1', status: 'accepted' },
      });
    };

    const response = await technicianEvent(p, 'msg-1', webhookEvent('job.accepted'));

    expect(response).toEqual({ redelivery: true, job: { jobId: 'job-1', status: 'accepted' } });
    expect(p.notifier.published).toEqual([]);
  });

  it('rethrows a receipt conflict when no receipt can be read back', async () => {
    jest.spyOn(p.store, 'commit').mockRejectedValueOnce(new ReceiptExistsError());

    expect(await rejectionOf(technicianEvent(p, 'msg-1', webhookEvent('job.accepted')))).toBeInstanceOf(
      ReceiptExistsError,
    );
  });

  it('re-reads and decides again after a concurrent write (StaleWriteError)', async () => {
    p.store.beforeSave = (attempt) => {
      if (attempt === 1) bumpStoredJob('job-1');
    };

    const response = await technicianEvent(p, 'msg-1', webhookEvent('job.accepted'));

    expect(response.redelivery).toBe(false);
    expect(p.store.calls.get).toBe(2);
    expect(p.store.calls.save).toBe(2);
    expect(p.store.jobs.get('job-1')?.version).toBe(3);
  });

  it('answers 409 when the concurrent write was a cancellation, and keeps no receipt', async () => {
    p.store.beforeSave = (attempt) => {
      if (attempt === 1) bumpStoredJob('job-1', { status: 'cancelled' });
    };

    const error = await rejectionOf(technicianEvent(p, 'msg-1', webhookEvent('job.accepted')));

    expect(error).toBeInstanceOf(ConflictError);
    expect((error as Error).message).toContain('is cancelled;');
    expect(p.store.receipts.size).toBe(0);
  });

  it('gives up after five stale writes', async () => {
    p.store.beforeSave = () => bumpStoredJob('job-1');

    const error = await rejectionOf(technicianEvent(p, 'msg-1', webhookEvent('job.accepted')));

    expect(error).toBeInstanceOf(UnavailableError);
    expect((error as UnavailableError).code).toBe('unavailable');
    expect(p.store.calls.save).toBe(5);
  });

  it('answers an event for an unknown job with 404', async () => {
    const error = await rejectionOf(
      technicianEvent(p, 'msg-1', webhookEvent('job.accepted', { jobId: 'nope' })),
    );

    expect(error).toBeInstanceOf(NotFoundError);
  });

  it('does not store a receipt for a rejected event, so a corrected redelivery is evaluated again', async () => {
    await rejectionOf(technicianEvent(p, 'msg-1', webhookEvent('job.arrived')));

    expect(p.store.receipts.size).toBe(0);
  });

  it('resumes the waiting workflow after the write', async () => {
    p.store.put(jobIn('en_route', { version: 4, wait: { token: 'tok-arrival', milestone: 'arrival' } }));

    await technicianEvent(p, 'msg-1', webhookEvent('job.arrived'));

    expect(p.workflow.resumed).toEqual(['tok-arrival']);
    expect(p.store.jobs.get('job-1')?.wait).toBeNull();
  });

  it('logs a failed resume and still answers 202', async () => {
    p.store.put(jobIn('en_route', { version: 4, wait: { token: 'tok-arrival', milestone: 'arrival' } }));
    p.workflow.failResumeWith = new Error('throttled');

    const response = await technicianEvent(p, 'msg-1', webhookEvent('job.arrived'));

    expect(response.redelivery).toBe(false);
    expect(p.logger.lines).toEqual([
      {
        level: 'error',
        message: 'post-commit effect failed',
        extra: { jobId: 'job-1', errorName: 'Error' },
      },
    ]);
  });

  it('answers 202 with SNS down: its notices are in the outbox, delivered once SNS is back', async () => {
    p.notifier.failWith = Object.assign(new Error('SNS is down at sns.ap-east-1.amazonaws.com'), {
      name: 'InternalErrorException',
    });

    const response = await technicianEvent(p, 'msg-1', webhookEvent('job.accepted'));

    expect(response.redelivery).toBe(false);
    expect(p.undelivered).toHaveLength(1);
    p.notifier.failWith = undefined;
    await p.redeliver();
    // The resident's and the accepting technician's, each once.
    expect(p.notifier.published.map((n) => n.notice.topic)).toEqual(['residents', 'technicians']);
  });
});

describe('getJob and jobHistory', () => {
  beforeEach(() => {
    p.store.put(jobIn('completed', { laborWaived: true }));
    p.store.histories.set('job-1', [
      { type: 'job.booked', at: NOW.toISOString(), actor: 'resident:r-1', data: {} },
    ]);
  });

  it('shows the owner the job without the waiver flag', async () => {
    const view = await getJob(p, RESIDENT, 'job-1');

    expect(view.jobId).toBe('job-1');
    expect(view).not.toHaveProperty('laborWaived');
  });

  it('shows a manager the waiver flag', async () => {
    expect((await getJob(p, MANAGER, 'job-1')).laborWaived).toBe(true);
  });

  it("answers another resident's request with 404", async () => {
    expect(await rejectionOf(getJob(p, OTHER_RESIDENT, 'job-1'))).toBeInstanceOf(NotFoundError);
  });

  it('answers an unknown job with 404', async () => {
    expect(await rejectionOf(getJob(p, MANAGER, 'nope'))).toBeInstanceOf(NotFoundError);
  });

  it('gives the owner the history', async () => {
    expect(await jobHistory(p, RESIDENT, 'job-1')).toEqual({
      items: [{ type: 'job.booked', at: NOW.toISOString(), actor: 'resident:r-1', data: {} }],
    });
  });

  it('keeps the S1 waiver on job.completed out of the history the resident reads, not out of staff history', async () => {
    const completed = {
      type: 'job.completed',
      at: NOW.toISOString(),
      actor: 'technician:t-1',
      data: { laborWaived: true },
    };
    p.store.histories.set('job-1', [completed]);

    expect((await jobHistory(p, RESIDENT, 'job-1')).items[0]?.data).toEqual({});
    expect((await jobHistory(p, MANAGER, 'job-1')).items[0]?.data).toEqual({ laborWaived: true });
  });

  it("answers another resident's history request with 404", async () => {
    expect(await rejectionOf(jobHistory(p, OTHER_RESIDENT, 'job-1'))).toBeInstanceOf(NotFoundError);
  });
});

describe('listJobs', () => {
  beforeEach(() => {
    p.store.put(makeJob({ jobId: 'job-a', laborWaived: true }));
    p.store.put(makeJob({ jobId: 'job-b', residentId: OTHER_RESIDENT.sub }));
  });

  it('limits a resident to their own jobs', async () => {
    const page = await listJobs(p, RESIDENT, { limit: 20 });

    expect(p.store.lastFilter?.residentId).toBe(RESIDENT.sub);
    expect(page.items.map((j) => j.jobId)).toEqual(['job-a']);
  });

  it.each([AGENT, MANAGER])('lists every job to a $role', async (caller) => {
    const page = await listJobs(p, caller, { limit: 20 });

    expect(p.store.lastFilter?.residentId).toBeUndefined();
    expect(page.items).toHaveLength(2);
  });

  it('passes the status, limit and page token on', async () => {
    await listJobs(p, MANAGER, { status: 'booked', limit: 5, nextToken: 'abc' });

    expect(p.store.lastFilter).toEqual({
      residentId: undefined,
      status: 'booked',
      limit: 5,
      nextToken: 'abc',
    });
  });

  it('hides the waiver flag in a resident listing', async () => {
    const page = await listJobs(p, RESIDENT, { limit: 20 });

    expect(page.items[0]).not.toHaveProperty('laborWaived');
  });

  it('hands back the next page token when there is one', async () => {
    expect((await listJobs(p, MANAGER, { limit: 1 })).nextToken).toBe('more');
  });

  it('leaves nextToken out on the last page', async () => {
    expect(await listJobs(p, MANAGER, { limit: 20 })).not.toHaveProperty('nextToken');
  });
});

describe('cancel', () => {
  it('cancels the owner resident job and tells resident and technician', async () => {
    p.store.put(jobIn('accepted'));

    const view = await cancel(p, RESIDENT, 'job-1', 'Fixed it myself');

    expect(view.status).toBe('cancelled');
    expect(p.notifier.published.map((m) => m.notice.topic)).toEqual(['residents', 'technicians']);
    expect(p.store.histories.get('job-1')?.[0]?.data).toEqual({ reason: 'Fixed it myself' });
  });

  it("answers another resident's cancel with 404 and changes nothing", async () => {
    p.store.put(jobIn('booked'));

    expect(await rejectionOf(cancel(p, OTHER_RESIDENT, 'job-1'))).toBeInstanceOf(NotFoundError);
    expect(p.store.jobs.get('job-1')?.status).toBe('booked');
  });

  it('refuses an agent cancel before reading the job', async () => {
    p.store.put(jobIn('booked'));

    expect(await rejectionOf(cancel(p, AGENT, 'job-1'))).toBeInstanceOf(ForbiddenError);
    expect(p.store.calls.get).toBe(0);
  });
});

describe('callback', () => {
  it('closes a signed job when the resident was reached and resumes the workflow', async () => {
    p.store.put(jobIn('signed', { wait: { token: 'tok-cb', milestone: 'callback' } }));

    const view = await callback(p, AGENT, 'job-1', { reached: true, satisfaction: 5, issueResolved: true });

    expect(view.status).toBe('closed');
    expect(view.sla.callbackMet).toBe(true);
    expect(p.workflow.resumed).toEqual(['tok-cb']);
  });

  it('keeps the callback open when the resident was not reached', async () => {
    p.store.put(jobIn('signed'));

    const view = await callback(p, AGENT, 'job-1', { reached: false });

    expect(view.status).toBe('signed');
    expect(p.store.jobs.get('job-1')?.callbackAttempts).toBe(1);
  });
});

describe('loadPhase', () => {
  it('tells the machine to wait for the arrival with a timeout', async () => {
    p.store.put(jobIn('booked'));

    expect(await loadPhase(p, 'job-1')).toEqual({
      jobId: 'job-1',
      phase: 'await_arrival',
      timeoutSeconds: 600,
      alert: null,
      afterAlert: null,
    });
  });

  it('hands the machine an unsent alert in the staff language, without the internal sent flag', async () => {
    p.store.put(
      jobIn('needs_follow_up', {
        alerts: {
          'job.unable_to_fix': { type: 'job.unable_to_fix', sent: false, detail: { reason: 'needs a part' } },
        },
      }),
    );

    expect(await loadPhase(p, 'job-1')).toEqual({
      jobId: 'job-1',
      phase: 'send_alert',
      timeoutSeconds: null,
      alert: {
        id: 'job-1:job.unable_to_fix',
        type: 'job.unable_to_fix',
        severity: 'warning',
        property: 'B2',
        subject: 'Unable to fix on site',
        message: 'Job job-1 (unit B2-1203) could not be fixed on site: needs a part. Technician: Wang Wei.',
      },
      // Once it is sent the job has nothing left: the machine ends without asking again.
      afterAlert: { jobId: 'job-1', phase: 'done', timeoutSeconds: null, alert: null, afterAlert: null },
    });
  });

  it('hands on, after an alert, the wait that follows it, and after two alerts both in turn', async () => {
    const queued = (type: 'sla.arrival_missed' | 'job.unable_to_fix') => ({
      type,
      sent: false,
    });
    p.store.put(
      jobIn('en_route', {
        sla: { arrivalMet: false },
        alerts: { 'sla.arrival_missed': queued('sla.arrival_missed') },
      }),
    );

    const step = await loadPhase(p, 'job-1');

    expect(step.alert?.type).toBe('sla.arrival_missed');
    expect(step.afterAlert).toMatchObject({ phase: 'await_arrival_overdue', alert: null });

    p.store.put(
      jobIn('needs_follow_up', {
        alerts: {
          'sla.arrival_missed': queued('sla.arrival_missed'),
          'job.unable_to_fix': queued('job.unable_to_fix'),
        },
      }),
    );
    const both = await loadPhase(p, 'job-1');
    expect([both.alert?.type, both.afterAlert?.alert?.type, both.afterAlert?.afterAlert?.phase]).toEqual([
      'sla.arrival_missed',
      'job.unable_to_fix',
      'done',
    ]);
  });

  it('answers an unknown job with 404', async () => {
    expect(await rejectionOf(loadPhase(p, 'nope'))).toBeInstanceOf(NotFoundError);
  });
});

describe('timerFired', () => {
  it('records a missed arrival once', async () => {
    p.store.put(jobIn('booked'));
    p.clock.set(at(NOW, 10 * MINUTE));

    const first = await timerFired(p, 'job-1');
    await timerFired(p, 'job-1');

    expect(first).toMatchObject({ phase: 'send_alert', alert: { type: 'sla.arrival_missed' } });
    expect(p.store.calls.save).toBe(1);
    expect(p.store.jobs.get('job-1')?.alerts['sla.arrival_missed']?.sent).toBe(false);
    expect(p.store.histories.get('job-1')?.map((h) => h.type)).toEqual(['sla.arrival_missed']);
  });

  it('writes nothing when nothing is due', async () => {
    p.store.put(jobIn('signed'));
    p.clock.set(at(NOW, DAY));

    expect(await timerFired(p, 'job-1')).toEqual({
      jobId: 'job-1',
      phase: 'await_callback',
      timeoutSeconds: 5 * 24 * 3600, // until the reminder, a day before the callback is due
      alert: null,
      afterAlert: null,
    });
    expect(p.store.calls.save).toBe(0);
  });
});

describe('awaitMilestone', () => {
  it('stores the task token when the milestone is still ahead', async () => {
    p.store.put(jobIn('booked'));

    const result = await awaitMilestone(p, 'job-1', 'arrival', 'tok');

    expect(result).toEqual({ jobId: 'job-1', milestone: 'arrival', reached: false });
    expect(p.store.jobs.get('job-1')?.wait).toEqual({ token: 'tok', milestone: 'arrival' });
    expect(p.workflow.resumed).toEqual([]);
  });

  it('resumes at once when the event came first (the early-event race), storing nothing', async () => {
    p.store.put(jobIn('arrived'));

    const result = await awaitMilestone(p, 'job-1', 'arrival', 'tok');

    expect(result.reached).toBe(true);
    expect(p.workflow.resumed).toEqual(['tok']);
    expect(p.store.calls.save).toBe(0);
  });

  it('parks the token with one conditional write: no read, no transaction', async () => {
    p.store.put(jobIn('accepted', { version: 4 }));

    await awaitMilestone(p, 'job-1', 'arrival', 'tok');

    expect(p.store.calls).toMatchObject({ get: 0, save: 0, park: 1 });
    // The bumped version makes a writer that read the job before the token was parked read it again.
    expect(p.store.jobs.get('job-1')?.version).toBe(5);
  });

  it('tells the machine where the job is when the event came first', async () => {
    p.store.put(jobIn('closed'));

    await awaitMilestone(p, 'job-1', 'callback', 'tok');

    expect(p.workflow.nextSteps).toEqual([
      { jobId: 'job-1', phase: 'done', timeoutSeconds: null, alert: null, afterAlert: null },
    ]);
  });

  it('an event committed after the token was parked resumes it with the next step', async () => {
    p.store.put(jobIn('en_route'));
    await awaitMilestone(p, 'job-1', 'arrival', 'tok');

    await technicianEvent(p, 'msg-1', webhookEvent('job.arrived'));

    expect(p.workflow.resumed).toEqual(['tok']);
    expect(p.workflow.nextSteps[0]).toMatchObject({ jobId: 'job-1', phase: 'await_visit_end' });
    expect(p.store.jobs.get('job-1')?.wait).toBeNull();
  });
});

describe('workflow subjects (what the task functions serve, per state machine)', () => {
  it('serves the repair-job machine through the same functions the job use cases are', async () => {
    p.store.put(jobIn('booked'));
    const job = workflowSubject('job');

    expect(await job.load(p, 'job-1')).toEqual(await loadPhase(p, 'job-1'));
    expect(await job.park(p, 'job-1', 'arrival', 'tok')).toMatchObject({ reached: false });
  });

  it('refuses a subject no machine has, before touching the store', () => {
    expect(thrownBy(() => workflowSubject('invoice'))).toBeInstanceOf(NotFoundError);
    expect(p.store.calls.get).toBe(0);
  });
});

describe('rate', () => {
  const signed = () => p.store.jobs.set('job-1', makeJob({ status: 'signed' }));

  it("keeps the owner's score once the form is signed, with its history item", async () => {
    signed();

    const view = await rate(p, RESIDENT, 'job-1', { score: 4, comment: 'quick and tidy' });

    expect(view.rating).toEqual({ score: 4, comment: 'quick and tidy', at: NOW.toISOString() });
    expect(p.store.histories.get('job-1')?.map((h) => h.type)).toEqual(['job.rated']);
  });

  it('refuses a second rating with 409, changing nothing', async () => {
    signed();
    await rate(p, RESIDENT, 'job-1', { score: 4 });

    expect(await rejectionOf(rate(p, RESIDENT, 'job-1', { score: 1 }))).toBeInstanceOf(ConflictError);
    expect(p.store.jobs.get('job-1')?.rating?.score).toBe(4);
  });

  it('refuses a rating before the form is signed', async () => {
    p.store.jobs.set('job-1', makeJob({ status: 'in_progress' }));

    expect(await rejectionOf(rate(p, RESIDENT, 'job-1', { score: 5 }))).toBeInstanceOf(ConflictError);
  });

  it("answers another resident's job with 404", async () => {
    signed();

    expect(await rejectionOf(rate(p, OTHER_RESIDENT, 'job-1', { score: 5 }))).toBeInstanceOf(NotFoundError);
  });

  it.each([AGENT, MANAGER])('refuses a $role: only the resident rates', async (caller) => {
    signed();

    expect(await rejectionOf(rate(p, caller, 'job-1', { score: 5 }))).toBeInstanceOf(ForbiddenError);
  });
});

describe('listJobs open', () => {
  it('refuses open=true from a resident, naming open', async () => {
    const e = await rejectionOf(listJobs(p, RESIDENT, { open: true, limit: 20 }));

    expect((e as ValidationError).errors.map((x) => x.path)).toEqual(['open']);
  });
});

describe('monthlyReport', () => {
  it.each([RESIDENT, AGENT])('refuses a $role before anything is read', async (caller) => {
    p.reports.read = async () => {
      throw new Error('read');
    };

    expect(await rejectionOf(monthlyReport(p, caller, { month: '2026-11' }))).toBeInstanceOf(ForbiddenError);
  });

  it("answers a manager the month's figures, of the property asked for, in the configured time zone", async () => {
    await countJobChange(p, { id: 'e-1', before: null, after: makeJob({ unitId: 'A1-0101' }) });
    await countJobChange(p, { id: 'e-2', before: null, after: makeJob({ unitId: 'B2-1203' }) });

    const a1 = await monthlyReport(p, MANAGER, { month: '2026-11', property: 'A1' });
    const all = await monthlyReport(p, MANAGER, { month: '2026-11' });

    expect(a1).toMatchObject({
      month: '2026-11',
      property: 'A1',
      timeZone: 'Asia/Shanghai',
      jobs: { booked: 1 },
    });
    expect(all).toMatchObject({ property: null, jobs: { booked: 2 }, byCategory: { plumbing: 2 } });
  });
});

describe('countJobChange', () => {
  it('applies what the change settled, under the change id, once', async () => {
    const change = { id: 'e-1', before: null, after: makeJob() };

    expect(await countJobChange(p, change)).toEqual({ facts: 2, applied: true });
    expect(await countJobChange(p, change)).toEqual({ facts: 2, applied: false });
    expect((await p.reports.read('2026-11', 'B2')).totals).toEqual({ booked: 1, 'category:plumbing': 1 });
  });

  it('writes nothing for a change that settles nothing, or an item removed', async () => {
    const job = makeJob();

    expect(await countJobChange(p, { id: 'e-1', before: job, after: { ...job, version: 4 } })).toEqual({
      facts: 0,
      applied: false,
    });
    expect(await countJobChange(p, { id: 'e-2', before: job, after: null })).toEqual({
      facts: 0,
      applied: false,
    });
    expect(p.reports.applied.size).toBe(0);
  });
});
