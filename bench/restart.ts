import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { jobItem } from '../functions/adapters/dynamo-job-store';
import { seenPropertyItem } from '../functions/adapters/property-registry';
import { bookJob } from '../functions/domain/lifecycle';
import { policyFor } from '../functions/domain/policy';
import type { BookingRequest } from '../functions/domain/schemas';
import { startStack, TABLE_NAME } from '../local/stack';
import { appointmentAfter } from '../test/support/client';
import { stackStoreClient } from './dynamo-meter';
import { BENCH_SECRET } from './http';
import { progress } from './progress';
import { round } from './stats';

// The local restart: a data folder holding many ended jobs and a few open ones, the stack
// stopped and started again. It should read only the jobs the workflow still has a step for
// (the sparse withNextStep index), whatever the number of ended ones.

function booking(now: Date): BookingRequest {
  // A regular job booked a week ahead, in business hours: open, and no timer fires while the bench runs.
  return {
    unitId: 'B2-1203',
    category: 'plumbing',
    description: 'Kitchen tap leaking',
    priority: 'regular',
    contactPhone: '+8613800138000',
    locale: 'zh-CN',
    appointment: appointmentAfter(now, 7 * 24 * 3600_000),
  };
}

export async function benchRestart(plan: { ended: number; open: number }) {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-restart-'));
  try {
    progress.phase(`restart: seeding ${plan.ended.toLocaleString('en')} ended and ${plan.open} open jobs`);
    const first = await startStack({ dataDir, webhookSecret: BENCH_SECRET, print: () => {} });
    try {
      const doc = stackStoreClient(first);
      const now = first.clock.now();
      const items: Record<string, unknown>[] = Array.from({ length: plan.ended + plan.open }, (_, i) => {
        const { job } = bookJob(
          booking(now),
          { sub: `r-restart-${i % 500}`, role: 'resident' },
          `restart-${i}`,
          now,
          {},
          policyFor(
            { policy: { default: { quickFixWaiver: false } }, timeZone: 'Asia/Shanghai' },
            'B2',
            null,
          ),
        );
        return jobItem(i < plan.ended ? { ...job, status: 'closed' } : job);
      });
      // Written past the job store, so its property is registered here, as a booking would.
      items.push(seenPropertyItem('B2'));
      for (let i = 0; i < items.length; i += 25) {
        let batch = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
        while (batch.length) {
          const out = await doc.send(new BatchWriteCommand({ RequestItems: { [TABLE_NAME]: batch } }));
          batch = (out.UnprocessedItems?.[TABLE_NAME] ?? []) as typeof batch;
        }
      }
    } finally {
      await first.stop();
    }
    progress.phase('restart: starting the stack again on that data folder');
    const startedAt = performance.now();
    const second = await startStack({ dataDir, webhookSecret: BENCH_SECRET, print: () => {} });
    const startMs = performance.now() - startedAt;
    await second.stop();
    return {
      endedJobs: plan.ended,
      openJobs: plan.open,
      jobsRead: second.resume.read,
      executionsStarted: second.resume.resumed,
      resumeMs: round(second.resume.ms, 0),
      startMs: round(startMs, 0),
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
