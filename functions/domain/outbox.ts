import { complaintNoticesFor } from './complaint-notices';
import { type ComplaintStep, complaintStepFor } from './complaint-workflow';
import { type About, type Notice, noticesFor } from './notifications';
import type { DomainSettings } from './policy';
import type { Ports, Write } from './ports';
import { type Step, stepFor } from './workflow';

// The transactional outbox: what a commit announces is decided with it and written in the same
// transaction (one outbox entry per aggregate write, in the aggregate's partition), then
// delivered from the table's stream (functions/outbox-stream). Nothing announced is lost with a
// failed publish, and nothing is sent twice for a redelivered record: every message has an id
// fixed at commit time, its delivery is marked on the entry, and SNS subscribers get that id as
// the `messageId` attribute to drop the one repeat the mark cannot prevent (a crash between
// the publish and the mark).

/** A notice to SNS, rendered at commit time in the reader's language. */
export interface NoticeMessage {
  id: string;
  kind: 'notice';
  about: About;
  notice: Notice;
}

/**
 * The start of a new aggregate's execution (name = its id, so a second start is a no-op). `first`
 * is the step decided at commit time (`at`): delivered later, its timer is shortened by the delay
 * (startStep), so the SLA still counts from the booking, not from the delivery.
 */
export type StartMessage = { id: string; kind: 'start'; at: string } & (
  | { subject: 'job'; subjectId: string; first: Step }
  | { subject: 'complaint'; subjectId: string; first: ComplaintStep }
);

export type OutboxMessage = NoticeMessage | StartMessage;

/** One aggregate write's messages: its subject and the version the write committed. */
export interface OutboxEntry {
  subject: 'job' | 'complaint';
  subjectId: string;
  version: number;
  messages: readonly OutboxMessage[];
}

/** A write with what its commit announces: what JobStore.commit takes. */
export type OutboxedWrite = Write & { messages: readonly OutboxMessage[] };

/** A message's id: the aggregate, the version its write committed, its place among that write's messages. */
export const messageId = (subjectId: string, version: number, index: number) =>
  `${subjectId}:${version}:${index}`;

/**
 * What one write announces, in order: its notices (resident, technician, and the staff warning
 * of a job given back), then for a new aggregate the start of its execution. Deterministic: the
 * same write always yields the same messages with the same ids.
 */
export function messagesFor(w: Write, settings: DomainSettings, now: Date): OutboxMessage[] {
  const at = now.toISOString();
  if (w.kind === 'job') {
    const { job } = w.decision;
    const id = (i: number) => messageId(job.jobId, job.version, i);
    const about: About = { jobId: job.jobId };
    const notices = noticesFor(w.decision, settings).map(
      (notice, i): OutboxMessage => ({ id: id(i), kind: 'notice', about, notice }),
    );
    if (w.expectedVersion !== null) return notices;
    const first = stepFor(job, now, settings);
    return [
      ...notices,
      { id: id(notices.length), kind: 'start', at, subject: 'job', subjectId: job.jobId, first },
    ];
  }
  const { complaint: c } = w.decision;
  const id = (i: number) => messageId(c.complaintId, c.version, i);
  const about: About = { complaintId: c.complaintId, ...(c.jobId && { jobId: c.jobId }) };
  const notices = complaintNoticesFor(w.decision, settings).map(
    (notice, i): OutboxMessage => ({ id: id(i), kind: 'notice', about, notice }),
  );
  if (w.expectedVersion !== null) return notices;
  const first = complaintStepFor(c, now, settings);
  return [
    ...notices,
    { id: id(notices.length), kind: 'start', at, subject: 'complaint', subjectId: c.complaintId, first },
  ];
}

/** Every write with its messages, decided at `now` (the commit's time). */
export const outboxed = (writes: readonly Write[], settings: DomainSettings, now: Date): OutboxedWrite[] =>
  writes.map((w) => ({ ...w, messages: messagesFor(w, settings, now) }));

/** The entry a write's messages are stored as. */
export function entryOf(w: OutboxedWrite): OutboxEntry {
  return w.kind === 'job'
    ? {
        subject: 'job',
        subjectId: w.decision.job.jobId,
        version: w.decision.job.version,
        messages: w.messages,
      }
    : {
        subject: 'complaint',
        subjectId: w.decision.complaint.complaintId,
        version: w.decision.complaint.version,
        messages: w.messages,
      };
}

/**
 * A step decided at `at`, as it stands at `now`: each timer shortened by the time that passed
 * (at least a second, as secondsUntil). A deadline that passed meanwhile fires at once, and the
 * machine asks the domain again; a job that moved on meanwhile is met by the wait's early-event
 * check (await-milestone resumes at once).
 */
export function startStep<S extends { timeoutSeconds: number | null; afterAlert: S | null }>(
  step: S,
  at: string,
  now: Date,
): S {
  const elapsed = Math.max(0, Math.floor((now.getTime() - Date.parse(at)) / 1000));
  if (!elapsed) return step;
  const shift = (s: S): S => ({
    ...s,
    timeoutSeconds: s.timeoutSeconds === null ? null : Math.max(1, s.timeoutSeconds - elapsed),
    afterAlert: s.afterAlert && shift(s.afterAlert),
  });
  return shift(step);
}

/** What the outbox consumer needs of the table: which messages of an entry went out, and marking them. */
export interface OutboxLedger {
  /** The ids of the entry's messages marked delivered (a consistent read). */
  delivered(entry: OutboxEntry): Promise<ReadonlySet<string>>;
  /** Marks these messages delivered; `complete` when no message of the entry is left to send. */
  markDelivered(entry: OutboxEntry, ids: readonly string[], complete: boolean): Promise<void>;
}

/** What a delivery did: messages sent now, and messages skipped because they went out before. */
export interface Delivery {
  sent: number;
  skipped: number;
}

/** Sends one message: a notice to its topic with its id as `messageId`, a start with its step as of now. */
async function send(p: Ports, m: OutboxMessage): Promise<void> {
  if (m.kind === 'notice') {
    const attributes = { ...m.notice.attributes, messageId: m.id };
    return p.notifier.publish(m.about, { ...m.notice, attributes });
  }
  const now = p.clock.now();
  if (m.subject === 'job') return p.workflow.start(m.subjectId, startStep(m.first, m.at, now));
  return p.complaintWorkflow.start(m.subjectId, startStep(m.first, m.at, now));
}

/**
 * Delivers an entry's messages not yet delivered, side by side, then marks those that went out.
 * If any failed, it throws after the mark: the stream delivers the record again and only the
 * rest is sent (delayed, never lost, never twice). A crash between a send and the mark sends
 * that message again with the same id: SNS subscribers drop it by `messageId`; a start is
 * idempotent by its execution name.
 */
export async function deliverEntry(
  p: Ports & { ledger: OutboxLedger },
  entry: OutboxEntry,
): Promise<Delivery> {
  const before = await p.ledger.delivered(entry);
  const due = entry.messages.filter((m) => !before.has(m.id));
  if (!due.length) return { sent: 0, skipped: entry.messages.length };
  const results = await Promise.allSettled(due.map((m) => send(p, m)));
  const sent = due.filter((_, i) => results[i]?.status === 'fulfilled').map((m) => m.id);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (sent.length) await p.ledger.markDelivered(entry, sent, !failed);
  if (failed) throw failed.reason;
  return { sent: sent.length, skipped: before.size };
}
