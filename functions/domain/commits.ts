import { createHash } from 'node:crypto';
import { complaintNoticesFor } from './complaint-notices';
import { complaintStepFor } from './complaint-workflow';
import { IdempotencyMismatchError, NotFoundError, StaleWriteError, UnavailableError } from './errors';
import { metricsFor } from './metrics';
import { type About, noticesFor } from './notifications';
import type { Ports, Receipt, Write } from './ports';
import { stepFor } from './workflow';

// How every use case writes: read, decide, commit conditionally (retrying on a concurrent
// writer), then announce what committed. One path for jobs and complaints alike.

const MAX_WRITE_ATTEMPTS = 5;

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
 * Effects after a commit: metrics, notices, resumed waits, and executions for what was created.
 * None undoes the commit, so a failed notice or resume is logged, not thrown; a failed start is
 * thrown after the rest ran (the request fails, and its replay with the same Idempotency-Key
 * starts the execution again: nothing goes untimed).
 */
export async function announce(p: Ports, writes: readonly Write[]): Promise<void> {
  const now = p.clock.now();
  const effects: { about: About; done: Promise<unknown> }[] = [];
  const starts: Promise<unknown>[] = [];
  for (const w of writes) {
    if (w.kind === 'job') {
      const { job, resume } = w.decision;
      const about = { jobId: job.jobId };
      const effect = (done: Promise<unknown>) => effects.push({ about, done });
      for (const point of metricsFor(w.decision)) p.metrics.record(point);
      for (const n of noticesFor(w.decision, p.settings)) effect(p.notifier.publish(about, n));
      if (resume) effect(p.workflow.resume(resume, stepFor(job, now, p.settings)));
      if (w.expectedVersion === null) starts.push(p.workflow.start(job.jobId, stepFor(job, now, p.settings)));
    } else {
      const { complaint: c, resume } = w.decision;
      const about = { complaintId: c.complaintId, ...(c.jobId && { jobId: c.jobId }) };
      const effect = (done: Promise<unknown>) => effects.push({ about, done });
      for (const n of complaintNoticesFor(w.decision, p.settings)) effect(p.notifier.publish(about, n));
      const step = () => complaintStepFor(c, now, p.settings);
      if (resume) effect(p.complaintWorkflow.resume(resume, step()));
      if (w.expectedVersion === null) starts.push(p.complaintWorkflow.start(c.complaintId, step()));
    }
  }
  const [done, started] = await Promise.all([
    Promise.allSettled(effects.map((e) => e.done)),
    Promise.allSettled(starts),
  ]);
  done.forEach((r, i) => {
    if (r.status === 'rejected')
      // The name only: an SDK's message can carry hosts, ARNs or request data.
      p.logger.error('post-commit effect failed', {
        ...effects[i]?.about,
        errorName: (r.reason as Error)?.name ?? 'Error',
      });
  });
  const failed = started.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
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
      await p.store.commit(writes, receipt?.(writes));
    } catch (e) {
      if (!(e instanceof StaleWriteError)) throw e;
      if (attempt < MAX_WRITE_ATTEMPTS) continue;
      throw new UnavailableError(`The ${what} is being changed by others right now; try again in a moment`);
    }
    await announce(p, writes);
    return { current, writes };
  }
}
