import {
  callBackComplainant,
  complaintHistory,
  fileComplaint,
  getComplaint,
  investigateComplaint,
  listComplaints,
} from '../../../functions/domain/complaint-cases';
import {
  ConflictError,
  ForbiddenError,
  IdempotencyMismatchError,
  NotFoundError,
  ValidationError,
} from '../../../functions/domain/errors';
import { DEFAULT_PROPERTY } from '../../../functions/domain/policy';
import { callback, workflowSubject } from '../../../functions/domain/use-cases';
import { type FakePorts, fakePorts } from '../support/fakes';
import {
  AGENT,
  complaintIn,
  defined,
  INVESTIGATION_DUE,
  jobIn,
  MANAGER,
  NOW,
  OTHER_RESIDENT,
  RESIDENT,
  rejectionOf,
} from '../support/fixtures';

// The complaint use cases on in-memory ports: who may do what, what is written in one commit,
// what is announced after it.

let p: FakePorts;
beforeEach(() => {
  p = fakePorts();
});

const aboutUnit = {
  unitId: 'B2-1203',
  category: 'conduct' as const,
  description: 'The technician was rude',
  contactPhone: '+8613800138000',
};
const investigation = { findings: 'f', cause: 'c', handler: 'Zhang', result: 'Apologised' };

describe('fileComplaint', () => {
  it("files a resident's complaint, starts its execution at the first wait and tells the resident", async () => {
    const view = await fileComplaint(p, RESIDENT, aboutUnit);

    expect(view).toMatchObject({
      status: 'received',
      source: 'resident',
      residentId: RESIDENT.sub,
      jobId: null,
    });
    expect(view.sla.investigationDueAt).toBe(INVESTIGATION_DUE);
    expect(p.complaintWorkflow.started).toEqual([view.complaintId]);
    expect(p.complaintWorkflow.firstSteps[0]).toMatchObject({ phase: 'await_investigation' });
    expect(p.notifier.published.map((m) => [m.complaintId, m.notice.type])).toEqual([
      [view.complaintId, 'complaint.received'],
    ]);
  });

  it("times the investigation on the property's stored calendar: a holiday on the day of receipt", async () => {
    // NOW is Monday 23 November 2026; the property of the unit (B2) is closed that day.
    p.directory.propertyItems.set('B2', { ...DEFAULT_PROPERTY, name: 'B2', holidays: ['2026-11-23'] });

    const view = await fileComplaint(p, RESIDENT, aboutUnit);

    expect(view.sla.investigationDueAt).toBe('2026-11-24T15:59:59.999Z');
  });

  it("times a complaint about a job on the job's property", async () => {
    p.store.put(jobIn('closed', { unitId: 'C3-0101' }));
    p.directory.propertyItems.set('C3', { ...DEFAULT_PROPERTY, name: 'C3', holidays: ['2026-11-23'] });

    const view = await fileComplaint(p, RESIDENT, { jobId: 'job-1', category: 'quality', description: 'x' });

    expect(view.sla.investigationDueAt).toBe('2026-11-24T15:59:59.999Z');
  });

  it('links the job in the same commit, conditional on the version read', async () => {
    p.store.put(jobIn('closed', { version: 7 }));

    const view = await fileComplaint(p, RESIDENT, { jobId: 'job-1', category: 'quality', description: 'x' });

    const job = defined(p.store.jobs.get('job-1'));
    expect(job.links.complaints).toEqual([view.complaintId]);
    expect(job.version).toBe(8);
    expect(p.store.histories.get('job-1')?.map((h) => h.type)).toEqual(['job.complaint_opened']);
    expect(view).toMatchObject({ unitId: job.unitId, contactPhone: job.contactPhone });
  });

  it("answers 404 for another resident's job and writes nothing", async () => {
    p.store.put(jobIn('closed'));

    const e = await rejectionOf(
      fileComplaint(p, OTHER_RESIDENT, { jobId: 'job-1', category: 'quality', description: 'x' }),
    );

    expect(e).toBeInstanceOf(NotFoundError);
    expect(p.complaints.items.size).toBe(0);
    expect(p.complaintWorkflow.started).toEqual([]);
  });

  it('answers a replay with the same Idempotency-Key with the first complaint, and 422 for another body', async () => {
    const first = await fileComplaint(p, RESIDENT, aboutUnit, 'k-1');
    const again = await fileComplaint(p, RESIDENT, aboutUnit, 'k-1');

    expect(again).toEqual(first);
    expect(p.complaints.items.size).toBe(1);
    expect(p.complaintWorkflow.started).toEqual([first.complaintId]);
    expect(
      await rejectionOf(fileComplaint(p, RESIDENT, { ...aboutUnit, description: 'other' }, 'k-1')),
    ).toBeInstanceOf(IdempotencyMismatchError);
  });

  it('answers once the complaint committed, its start in the outbox: a failed start is delivered again, never lost', async () => {
    p.complaintWorkflow.failStartWith = Object.assign(new Error('throttled'), {
      name: 'ThrottlingException',
    });

    const view = await fileComplaint(p, RESIDENT, aboutUnit, 'k-2');
    expect(p.complaints.items.size).toBe(1);
    expect(p.complaintWorkflow.started).toEqual([]);

    p.complaintWorkflow.failStartWith = undefined;
    await p.redeliver();
    expect(p.complaintWorkflow.started).toEqual([view.complaintId]);
    // The resident's notice went out the first time; the retry sent only the start.
    expect(p.notifier.published.filter((n) => n.complaintId === view.complaintId)).toHaveLength(1);
  });

  it('refuses staff without a residentId, naming the field', async () => {
    const e = await rejectionOf(fileComplaint(p, AGENT, aboutUnit));

    expect(e).toBeInstanceOf(ValidationError);
    expect((e as ValidationError).errors).toContainEqual({
      path: 'residentId',
      message: 'required when staff record a complaint',
    });
  });
});

describe('reading complaints', () => {
  it("answers 404 for another resident's complaint, and hides the investigation's file from residents", async () => {
    p.complaints.apply({ complaint: complaintIn('investigated'), history: [], resume: null });

    expect(await rejectionOf(getComplaint(p, OTHER_RESIDENT, 'c-1'))).toBeInstanceOf(NotFoundError);
    const own = await getComplaint(p, RESIDENT, 'c-1');
    expect(own.investigation).toEqual({ result: 'Apologised', at: NOW.toISOString() });
    expect('alerts' in own).toBe(false);
    expect((await getComplaint(p, AGENT, 'c-1')).investigation).toMatchObject({
      cause: 'Stress',
      handler: 'Zhang',
    });
  });

  it("lists a resident's own complaints only, and keeps the open queue for staff", async () => {
    p.complaints.apply({ complaint: complaintIn('received'), history: [], resume: null });
    p.complaints.apply({
      complaint: complaintIn('received', { complaintId: 'c-2', residentId: OTHER_RESIDENT.sub }),
      history: [],
      resume: null,
    });

    expect((await listComplaints(p, RESIDENT, { limit: 20 })).items.map((c) => c.complaintId)).toEqual([
      'c-1',
    ]);
    expect((await listComplaints(p, MANAGER, { limit: 20, open: true })).items).toHaveLength(2);
    expect(await rejectionOf(listComplaints(p, RESIDENT, { limit: 20, open: true }))).toBeInstanceOf(
      ValidationError,
    );
  });
});

describe('the complaint history', () => {
  it("shows a resident only the investigation's result, as their view does; staff the whole file", async () => {
    p.complaints.apply({ complaint: complaintIn('received'), history: [], resume: null });
    await investigateComplaint(p, AGENT, 'c-1', investigation);

    const own = await complaintHistory(p, RESIDENT, 'c-1');
    const staff = await complaintHistory(p, AGENT, 'c-1');

    expect(own.items.at(-1)).toMatchObject({
      type: 'complaint.investigated',
      data: { result: 'Apologised' },
    });
    expect(Object.keys(own.items.at(-1)?.data ?? {})).toEqual(['result']);
    expect(staff.items.at(-1)?.data).toEqual(investigation);
  });
});

describe('investigation and callback', () => {
  beforeEach(() => {
    p.complaints.apply({
      complaint: complaintIn('received', { wait: { token: 'tok-1', milestone: 'investigation' } }),
      history: [],
      resume: null,
    });
  });

  it('files the investigation and resumes the wait with the next step (the callback)', async () => {
    const view = await investigateComplaint(p, AGENT, 'c-1', investigation);

    expect(view.status).toBe('investigated');
    expect(p.complaintWorkflow.resumed).toEqual(['tok-1']);
    expect(p.complaintWorkflow.nextSteps[0]).toMatchObject({ complaintId: 'c-1', phase: 'await_callback' });
    expect(p.notifier.published.map((m) => m.notice.type)).toEqual(['complaint.investigated']);
  });

  it('refuses a resident (403) and a callback before the investigation (409), changing nothing', async () => {
    expect(await rejectionOf(investigateComplaint(p, RESIDENT, 'c-1', investigation))).toBeInstanceOf(
      ForbiddenError,
    );
    expect(
      await rejectionOf(callBackComplainant(p, AGENT, 'c-1', { reached: true, satisfied: true })),
    ).toBeInstanceOf(ConflictError);
    expect(p.complaints.items.get('c-1')?.status).toBe('received');
    expect(p.complaints.histories.get('c-1')).toEqual([]);
  });

  it('answers 404 for a complaint that does not exist', async () => {
    expect(await rejectionOf(investigateComplaint(p, AGENT, 'c-404', investigation))).toBeInstanceOf(
      NotFoundError,
    );
  });
});

describe('the job callback', () => {
  const rework = { appointment: { start: '2026-11-25T01:00:00.000Z', end: '2026-11-25T03:00:00.000Z' } };

  it('opens one complaint and books one rework in the same commit as the closed job', async () => {
    p.store.put(jobIn('signed'));

    const view = await callback(p, AGENT, 'job-1', {
      reached: true,
      satisfaction: 1,
      issueResolved: false,
      comment: 'Still leaking',
      rework,
    });

    expect(view.status).toBe('closed');
    const [complaintId] = view.links.complaints;
    const [reworkId] = view.links.reworkJobs;
    expect(p.complaints.items.get(defined(complaintId))).toMatchObject({
      source: 'callback',
      jobId: 'job-1',
    });
    expect(p.store.jobs.get(defined(reworkId))).toMatchObject({
      links: { reworkOf: 'job-1' },
      appointment: rework.appointment,
    });
    expect(p.complaintWorkflow.started).toEqual([complaintId]);
    expect(p.workflow.started).toEqual([reworkId]);
    expect(p.store.histories.get('job-1')?.map((h) => h.type)).toEqual([
      'callback.completed',
      'job.complaint_opened',
      'job.rework_booked',
    ]);
  });

  it("times the complaint it opens on the job's property calendar", async () => {
    p.store.put(jobIn('signed'));
    p.directory.propertyItems.set('B2', { ...DEFAULT_PROPERTY, name: 'B2', holidays: ['2026-11-23'] });

    const view = await callback(p, AGENT, 'job-1', { reached: true, satisfaction: 1, issueResolved: true });

    const complaint = p.complaints.items.get(defined(view.links.complaints[0]));
    expect(complaint?.sla.investigationDueAt).toBe('2026-11-24T15:59:59.999Z');
  });

  it("names the rework's own path when its appointment is refused, and writes nothing", async () => {
    p.store.put(jobIn('signed'));
    const past = { appointment: { start: '2026-11-20T01:00:00.000Z', end: '2026-11-20T03:00:00.000Z' } };

    const e = await rejectionOf(
      callback(p, AGENT, 'job-1', { reached: true, satisfaction: 4, issueResolved: false, rework: past }),
    );

    expect(e).toBeInstanceOf(ValidationError);
    expect((e as ValidationError).errors.map((x) => x.path)).toContain('rework.appointment.start');
    expect(p.store.jobs.get('job-1')?.status).toBe('signed');
  });

  it("names the rework's path when its window is outside the property's business hours", async () => {
    p.store.put(jobIn('signed'));
    // Saturday 28 November 2026, 10:00–12:00 in Shanghai.
    const saturday = { appointment: { start: '2026-11-28T02:00:00.000Z', end: '2026-11-28T04:00:00.000Z' } };

    const e = await rejectionOf(
      callback(p, AGENT, 'job-1', { reached: true, satisfaction: 4, issueResolved: false, rework: saturday }),
    );

    expect((e as ValidationError).errors.map((x) => x.path)).toEqual([
      'rework.appointment.start',
      'rework.appointment.end',
    ]);
    expect(p.store.jobs.get('job-1')?.status).toBe('signed');
  });

  it("keeps a callback's Idempotency-Key apart from a booking's and a complaint's", async () => {
    p.store.put(jobIn('signed'));
    const body = { reached: true, satisfaction: 2, issueResolved: true };

    const first = await callback(p, AGENT, 'job-1', body, 'k-1');
    const again = await callback(p, AGENT, 'job-1', body, 'k-1');

    expect(again).toEqual(first);
    expect([...p.store.receipts.keys()]).toEqual([`callback#${AGENT.sub}#job-1#k-1`]);
    // Started once, from the first commit's outbox: the replay starts nothing.
    expect(p.complaintWorkflow.started).toEqual(first.links.complaints);
  });

  it('answers a concurrent replay that read the job its twin had closed with the first answer, not 409', async () => {
    p.store.put(jobIn('signed'));
    const body = { reached: true, satisfaction: 1, issueResolved: true };
    const first = await callback(p, AGENT, 'job-1', body, 'k-9');
    // The replay looked for the receipt before its twin committed, and read the job after.
    jest.spyOn(p.store, 'receipt').mockResolvedValueOnce(null);

    expect(await callback(p, AGENT, 'job-1', body, 'k-9')).toEqual(first);
    expect(p.complaints.items.size).toBe(1);
  });

  it('opens no complaint at satisfaction 3 and books no rework when the issue is resolved', async () => {
    p.store.put(jobIn('signed'));

    const view = await callback(p, AGENT, 'job-1', { reached: true, satisfaction: 3, issueResolved: true });

    expect(view.links).toMatchObject({ complaints: [], reworkJobs: [] });
    expect(p.complaints.items.size).toBe(0);
    expect(p.store.jobs.size).toBe(1);
  });
});

describe('the complaint workflow subject', () => {
  it('parks the token while the investigation is due, and resumes at once when it was filed first', async () => {
    p.complaints.apply({ complaint: complaintIn('received'), history: [], resume: null });
    const subject = workflowSubject('complaint');

    expect(await subject.park(p, 'c-1', 'investigation', 'tok-1')).toEqual({ reached: false });
    expect(p.complaints.items.get('c-1')?.wait).toEqual({ token: 'tok-1', milestone: 'investigation' });

    p.complaints.apply({
      complaint: complaintIn('investigated', { complaintId: 'c-2' }),
      history: [],
      resume: null,
    });
    expect(await subject.park(p, 'c-2', 'investigation', 'tok-2')).toEqual({ reached: true });
    expect(p.complaintWorkflow.resumed).toEqual(['tok-2']);
  });

  it('records the missed investigation when the timer fires, once, and answers the alert step', async () => {
    p.complaints.apply({ complaint: complaintIn('received'), history: [], resume: null });
    p.clock.set(new Date(Date.parse(INVESTIGATION_DUE) + 1));
    const subject = workflowSubject('complaint');

    const step = await subject.timerFired(p, 'c-1');
    const again = await subject.timerFired(p, 'c-1');

    expect(step).toMatchObject({
      phase: 'send_alert',
      alert: { type: 'sla.complaint_investigation_missed' },
    });
    expect(again).toMatchObject({ phase: 'send_alert' });
    expect(p.complaints.histories.get('c-1')?.map((h) => h.type)).toEqual([
      'sla.complaint_investigation_missed',
    ]);
  });
});
