import type { Decision } from '../../../functions/domain/lifecycle';
import {
  deliverEntry,
  entryOf,
  messagesFor,
  type OutboxEntry,
  outboxed,
  startStep,
} from '../../../functions/domain/outbox';
import type { Write } from '../../../functions/domain/ports';
import { stepFor } from '../../../functions/domain/workflow';
import { type FakePorts, fakePorts } from '../support/fakes';
import { at, complaintIn, jobIn, MINUTE, makeJob, NOW, settings } from '../support/fixtures';

const booked: Decision = {
  job: makeJob({ version: 1 }),
  history: [{ type: 'job.booked', at: NOW.toISOString(), actor: 'resident:r-1', data: {} }],
  resume: null,
};
const bookedWrite: Write = { kind: 'job', decision: booked, expectedVersion: null };
const accepted: Write = {
  kind: 'job',
  decision: {
    job: jobIn('accepted', { version: 5 }),
    history: [{ type: 'job.accepted', at: NOW.toISOString(), actor: 'technician:t-1', data: {} }],
    resume: 'tok-1',
  },
  expectedVersion: 4,
};

describe('messagesFor', () => {
  it("a booking: the resident's and the technicians' notices, then its execution's start, ids by job, version and place", () => {
    const messages = messagesFor(bookedWrite, settings(), NOW);

    expect(messages.map((m) => [m.id, m.kind, m.kind === 'notice' ? m.notice.topic : m.subject])).toEqual([
      ['job-1:1:0', 'notice', 'residents'],
      ['job-1:1:1', 'notice', 'technicians'],
      ['job-1:1:2', 'start', 'job'],
    ]);
    expect(messages[2]).toMatchObject({
      subjectId: 'job-1',
      at: NOW.toISOString(),
      first: stepFor(booked.job, NOW, settings()),
    });
  });

  it('an update announces its notices only: its execution runs already (a resume stays with the request)', () => {
    const messages = messagesFor(accepted, settings(), NOW);

    expect(messages.map((m) => m.kind)).toEqual(['notice', 'notice']);
    expect(messages.map((m) => m.id)).toEqual(['job-1:5:0', 'job-1:5:1']);
  });

  it('renders the words at commit time, in the reader language, the same for the same write', () => {
    const first = messagesFor(bookedWrite, settings(), NOW);
    const again = messagesFor(bookedWrite, settings(), at(NOW, 5 * MINUTE));

    const words = (ms: typeof first) => ms.flatMap((m) => (m.kind === 'notice' ? [m.notice.message] : []));
    expect(words(again)).toEqual(words(first));
    expect(words(first)[0]).toContain('Your urgent plumbing repair is booked (job job-1)');
  });

  it('a new complaint: its resident notice and its start, about the job it names', () => {
    const complaint = complaintIn('received', { version: 1, jobId: 'job-9' });
    const write: Write = {
      kind: 'complaint',
      decision: {
        complaint,
        history: [{ type: 'complaint.received', at: NOW.toISOString(), actor: 'resident:r-1', data: {} }],
        resume: null,
      },
      expectedVersion: null,
    };

    const messages = messagesFor(write, settings(), NOW);

    expect(messages.map((m) => [m.id, m.kind])).toEqual([
      [`${complaint.complaintId}:1:0`, 'notice'],
      [`${complaint.complaintId}:1:1`, 'start'],
    ]);
    expect(messages[0]).toMatchObject({ about: { complaintId: complaint.complaintId, jobId: 'job-9' } });
    expect(messages[1]).toMatchObject({ subject: 'complaint', first: { phase: 'await_investigation' } });
  });

  it('a write that tells nobody anything has no messages: no outbox entry', () => {
    const quiet: Write = { ...accepted, decision: { ...accepted.decision, history: [] } } as Write;

    expect(outboxed([quiet], settings(), NOW)[0]?.messages).toEqual([]);
  });
});

describe('startStep', () => {
  interface Timed {
    timeoutSeconds: number | null;
    afterAlert: Timed | null;
  }
  const step: Timed = { timeoutSeconds: 600, afterAlert: { timeoutSeconds: 900, afterAlert: null } };

  it('shortens every timer by the whole seconds since the commit: the SLA counts from the booking', () => {
    expect(startStep(step, NOW.toISOString(), at(NOW, 90_500))).toEqual({
      timeoutSeconds: 510,
      afterAlert: { timeoutSeconds: 810, afterAlert: null },
    });
  });

  it('a deadline passed meanwhile fires at once (one second); an untimed wait stays untimed', () => {
    expect(
      startStep({ timeoutSeconds: 60, afterAlert: null }, NOW.toISOString(), at(NOW, 10 * MINUTE)),
    ).toEqual({
      timeoutSeconds: 1,
      afterAlert: null,
    });
    expect(
      startStep<Timed>({ timeoutSeconds: null, afterAlert: null }, NOW.toISOString(), at(NOW, MINUTE)),
    ).toEqual({
      timeoutSeconds: null,
      afterAlert: null,
    });
  });

  it('delivered within the second it was decided: the step as it was', () => {
    expect(startStep(step, NOW.toISOString(), at(NOW, 400))).toBe(step);
  });
});

describe('deliverEntry', () => {
  let p: FakePorts;
  let entry: OutboxEntry;
  beforeEach(() => {
    p = fakePorts();
    entry = entryOf(outboxed([bookedWrite], p.settings, NOW)[0] as never);
  });

  it('publishes each notice with its id as the messageId attribute, starts the execution, marks all delivered', async () => {
    expect(await deliverEntry(p, entry)).toEqual({ sent: 3, skipped: 0 });

    expect(p.notifier.published.map((n) => n.notice.attributes?.messageId)).toEqual([
      'job-1:1:0',
      'job-1:1:1',
    ]);
    expect(p.workflow.started).toEqual(['job-1']);
    expect(p.ledger.marks.get('job#job-1#1')).toEqual(new Set(['job-1:1:0', 'job-1:1:1', 'job-1:1:2']));
    expect(p.ledger.completed.has('job#job-1#1')).toBe(true);
  });

  it('a redelivered record sends nothing twice', async () => {
    await deliverEntry(p, entry);

    expect(await deliverEntry(p, entry)).toEqual({ sent: 0, skipped: 3 });
    expect(p.notifier.published).toHaveLength(2);
    expect(p.workflow.started).toEqual(['job-1']);
  });

  it('SNS down: throws after marking what did go out; the retry sends only the rest', async () => {
    p.notifier.failWith = Object.assign(new Error('down'), { name: 'InternalErrorException' });

    await expect(deliverEntry(p, entry)).rejects.toMatchObject({ name: 'InternalErrorException' });
    expect(p.workflow.started).toEqual(['job-1']);
    expect(p.ledger.marks.get('job#job-1#1')).toEqual(new Set(['job-1:1:2']));
    expect(p.ledger.completed.size).toBe(0);

    p.notifier.failWith = undefined;
    expect(await deliverEntry(p, entry)).toEqual({ sent: 2, skipped: 1 });
    expect(await deliverEntry(p, entry)).toEqual({ sent: 0, skipped: 3 });
    expect(p.notifier.published.map((n) => n.notice.attributes?.messageId)).toEqual([
      'job-1:1:0',
      'job-1:1:1',
    ]);
    expect(p.workflow.started).toEqual(['job-1']);
  });

  it('starts a late delivery with its timer shortened by the delay', async () => {
    const first = stepFor(booked.job, NOW, p.settings);
    p.clock.set(at(NOW, 2 * MINUTE));

    await deliverEntry(p, entry);

    expect(p.workflow.firstSteps[0]?.timeoutSeconds).toBe((first.timeoutSeconds as number) - 120);
  });
});
