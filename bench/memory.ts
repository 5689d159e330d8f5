import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MemoryRun } from './memory-child';
import { bar, progress } from './progress';
import { round } from './stats';

// Memory per open job, measured in a child process (bench/memory-child.ts) that runs the
// local stack alone, so its RSS is the stack's. DynamoDB Local's JVM is another process and
// is not counted (it keeps the table on disk).

export type MemoryResult = Awaited<ReturnType<typeof benchMemory>>;

export async function benchMemory(opts: { jobs: number; warmup: number; chunk: number }) {
  progress.phase(`memory: ${opts.warmup} warm-up jobs, then ${opts.jobs} open jobs, in a child process`);
  const dataDir = mkdtempSync(join(tmpdir(), 'home-repair-bench-mem-'));
  const args = [dataDir, opts.warmup, opts.jobs, opts.chunk].map(String);
  const child = spawn(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', join(__dirname, 'memory-child.ts'), ...args],
    {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      env: { ...process.env, NODE_OPTIONS: '' },
    },
  );
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr = (stderr + d).slice(-4000);
  });
  try {
    const run = await new Promise<MemoryRun>((resolve, reject) => {
      child.on('message', (m: { type: string; done?: number; message?: string; run?: MemoryRun }) => {
        if (m.type === 'progress') progress.update(bar(m.done ?? 0, opts.jobs));
        else if (m.type === 'result' && m.run) resolve(m.run);
        else reject(new Error(`memory child: ${m.message}`));
      });
      child.once('exit', (code) => reject(new Error(`memory child exited ${code}: ${stderr}`)));
    });
    const { before, after } = run;
    if (!after.idle) throw new Error('the workflow did not park every execution');
    const openJobs = after.running - before.running;
    const result = {
      openJobs,
      rssBytesPerOpenJob: Math.round((after.rss - before.rss) / openJobs),
      /** Live JavaScript objects per open job (heapUsed after GC). */
      heapBytesPerOpenJob: Math.round((after.heapUsed - before.heapUsed) / openJobs),
      warmupJobs: before.running,
      before,
      after,
      seedSeconds: round(run.seedSeconds, 1),
    };
    progress.note(`${openJobs} open jobs: ${(result.rssBytesPerOpenJob / 1024).toFixed(1)} KB RSS per job`);
    return result;
  } finally {
    // The child stops its stack (and DynamoDB Local) itself; killed only if it hangs.
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
    clearTimeout(timer);
    rmSync(dataDir, { recursive: true, force: true });
  }
}
