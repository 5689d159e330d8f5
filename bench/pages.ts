import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { startStack } from '../local/stack';
import { buildPages, PAGES, type PageName } from '../pages/build';
import { POLL_MS } from '../pages/shared/api';
import { launch, openPage, signIn } from '../test/support/browser';
import { urgentBooking } from '../test/support/client';
import { BENCH_SECRET, BenchClient } from './http';
import { progress } from './progress';
import { median, percentile, round, sleep } from './stats';

// The pages: each script's size gzipped (what a phone downloads), and how long the board takes
// to show what happened — a new booking, and a missed deadline with its alert — in a real
// Chromium polling a real local stack.

export const PAGE_BUDGET_KB: Record<PageName, number> = { app: 100, console: 250 };

function sizes() {
  const dir = mkdtempSync(join(tmpdir(), 'bench-pages-'));
  try {
    const built = buildPages(dir);
    return Object.fromEntries(
      PAGES.map((p) => [p, { gzipBytes: gzipSync(readFileSync(built.scripts[p])).length }]),
    ) as Record<PageName, { gzipBytes: number }>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const summary = (ms: number[]) => ({
  samples: ms.length,
  p50Ms: round(median(ms), 0),
  p95Ms: round(percentile(ms, 95), 0),
});

export async function benchPages(plan: { samples: number }) {
  progress.phase('pages: bundle sizes, then board latency in Chromium');
  const scripts = sizes();
  const stack = await startStack({ webhookSecret: BENCH_SECRET, print: () => {} });
  const browser = await launch();
  try {
    const client = new BenchClient(stack);
    const tab = await openPage(browser);
    await signIn(tab.page, stack.url, 'm-bench', 'manager', '/console/');
    await tab.page.getByRole('heading', { level: 2 }).first().waitFor();
    const toBoard: number[] = [];
    const toMiss: number[] = [];
    for (let i = 0; i < plan.samples; i++) {
      progress.update(`board latency ${i + 1}/${plan.samples}`);
      // At a random point of the board's poll cycle: each wait below ends just after a poll,
      // so acting at once would always catch the longest wait.
      await sleep(Math.random() * POLL_MS);
      const started = performance.now();
      const booked = await client.book(client.freshResident(), urgentBooking());
      const row = `tr[data-job="${booked.body.jobId}"]`;
      await tab.page.locator(row).waitFor({ timeout: 10_000 });
      toBoard.push(performance.now() - started);
      await sleep(Math.random() * POLL_MS);
      const jumped = performance.now();
      await client.advance(11 * 60);
      await tab.page.locator(`[data-alert="sla.arrival_missed"][data-job="${booked.body.jobId}"]`).waitFor();
      await tab.page.locator(`${row}[data-risk="missed"]`).waitFor();
      toMiss.push(performance.now() - jumped);
    }
    if (tab.incidents.length) throw new Error(`the board misbehaved: ${tab.incidents.join('; ')}`);
    return { scripts, bookingToBoard: summary(toBoard), deadlineToBoard: summary(toMiss) };
  } finally {
    await browser.close();
    await stack.stop();
  }
}
