import { createHash } from 'node:crypto';
import { complaintStepFor } from './complaint-workflow';
import { IdempotencyMismatchError, NotFoundError, StaleWriteError, UnavailableError } from './errors';
import type { Decision } from './lifecycle';
import { metricsFor } from './metrics';
import type { About } from './notifications';
import { outboxed } from './outbox';
import type { Ports, Quota, Receipt, Write } from './ports';
import { stepFor } from './workflow';

// How every use case writes: read, decide, commit conditionally (retrying on a concurrent
// writer) with what the commit announces in its transaction (the outbox), then resume the waits
// it settled. One path for jobs and complaints alike.

const MAX_WRITE_ATTEMPTS = 5;

/** A job's decision as a write: conditional on the version it was read at (null: a new job). */
export const jobWrite = (decision: Decision, expectedVersion: number | null): Write => ({
  kind: 'job',
  decision,
  expectedVersion,
});

export const bodyHash = (body: unknown) =>
  createHash('sha256').update(JSON.stringify(body)).digest('base64url');

/**
 * What a request with this Idempotency-Key answered before (undefined: it is the first); the
 * same key with another body is a 422.
 */
export async function replayOf<T>(
  p: Ports,
  kind: Receipt['kind'],
  key: string | undefined,
  hash: string,
): Promise<T | undefined> {
  const r = key ? await p.store.receipt(kind, key) : null;
  if (r && r.bodyHash !== hash)
    throw new IdempotencyMismatchError('This Idempotency-Key was used with another body');
  return r?.result as T | undefined;
}

/**
 * Commits `writes` with what they announce: each write's notices and, for a new aggregate, the
 * start of its execution are outbox messages in the same transaction (outbox.ts), delivered
 * from the table's stream. Nothing is announced that did not commit, nothing committed goes
 * unannounced.
 */
export function commit(p: Ports, writes: readonly Write[], receipt?: Receipt, quota?: Quota): Promise<void> {
  return p.store.commit(outboxed(writes, p.settings, p.clock.now()), receipt, quota);
}

/**
 * What stays after a commit, in the request: metrics, and the resume of a wait whose task token
 * the write read. A resume is not an announcement: it hands a running execution the step it is
 * waiting for, at once (through the stream it would wait a hop more on every technician event),
 * and its token lives only as long as that wait. A failed resume (after the SDK's own retries) is
 * logged, not thrown: the commit stands, a timed wait asks the domain again when its timer
 * fires; docs/architecture.md "Outbox" names the untimed waits as the gap left.
 */
export async function afterCommit(p: Ports, writes: readonly Write[]): Promise<void> {
  const now = p.clock.now();
  const resumes: { about: About; done: Promise<unknown> }[] = [];
  for (const w of writes) {
    if (w.kind === 'job') {
      const { job, resume } = w.decision;
      for (const point of metricsFor(w.decision)) p.metrics.record(point);
      if (resume)
        resumes.push({
          about: { jobId: job.jobId },
          done: p.workflow.resume(resume, stepFor(job, now, p.settings)),
        });
    } else {
      const { complaint: c, resume } = w.decision;
      if (resume)
        resumes.push({
          about: { complaintId: c.complaintId, ...(c.jobId && { jobId: c.jobId }) },
          done: p.complaintWorkflow.resume(resume, complaintStepFor(c, now, p.settings)),
        });
    }
  }
  const done = await Promise.allSettled(resumes.map((e) => e.done));
  done.forEach((r, i) => {
    if (r.status === 'rejected')
      // The name only: an SDK's message can carry hosts, ARNs or request data.
      p.logger.error('post-commit effect failed', {
        ...resumes[i]?.about,
        errorName: (r.reason as Error)?.name ?? 'Error',
      });
  });
}

/**
 * Read, decide, commit conditionally; on a concurrent write, read again and decide again. A
 * decision of no writes changes nothing. A decision may read more first (a property's policy, the
 * roster): it is read again on every attempt. Answers what was read and what was written.
 */
export async function decideAndCommit<A>(
  p: Ports,
  read: () => Promise<A | null>,
  what: string,
  decide: (current: A) => Write[] | null | Promise<Write[] | null>,
  receipt?: (writes: readonly Write[]) => Receipt,
): Promise<{ current: A; writes: Write[] }> {
  for (let attempt = 1; ; attempt++) {
    const current = await read();
    if (!current) throw new NotFoundError(`No such ${what}`);
    const writes = await decide(current);
    if (!writes?.length) return { current, writes: [] };
    try {
      await commit(p, writes, receipt?.(writes));
    } catch (e) {
      if (!(e instanceof StaleWriteError)) throw e;
      if (attempt < MAX_WRITE_ATTEMPTS) continue;
      throw new UnavailableError(`The ${what} is being changed by others right now; try again in a moment`);
    }
    await afterCommit(p, writes);
    return { current, writes };
  }
}
