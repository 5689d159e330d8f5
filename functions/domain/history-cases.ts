import { assertCanRead, authorize } from './access';
import { historyExport, verifyChain } from './history-chain';
import type { Ports } from './ports';
import type { Caller } from './types';

// The history's tamper evidence as use cases: check the chain, export it (history-chain.ts).

/**
 * Checks the job's history chain against the head on the job item. Whoever may read the history may
 * check it; a resident is not given the head (a hash over staff-only items), only whether it holds.
 */
export async function verifyJobHistory(p: Ports, caller: Caller, jobId: string) {
  authorize(caller, 'read');
  const job = assertCanRead(await p.store.get(jobId), caller);
  const check = verifyChain(
    { subject: 'job', id: jobId },
    await p.store.history(jobId),
    job.historyHead ?? null,
  );
  if (caller.role !== 'resident' || !check.valid) return check;
  const { head: _staffOnly, ...rest } = check;
  return rest;
}

/** The job's history with its chain, as an owners' association keeps it: staff only (it is every item). */
export async function exportJobHistory(p: Ports, caller: Caller, jobId: string) {
  authorize(caller, 'export_history');
  const job = assertCanRead(await p.store.get(jobId), caller);
  return historyExport(
    { subject: 'job', id: jobId },
    await p.store.history(jobId),
    job.historyHead ?? null,
    p.clock.now(),
  );
}
