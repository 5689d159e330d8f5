import { writeFileSync } from 'node:fs';
import type { ChaosCounts } from './soak-chaos';
import type { ComplaintTally, Failure, Tally } from './soak-checks';
import type { Anomaly, DriveCounts } from './soak-drive';
import type { Stats } from './soak-http';

// The figures of a run, printed and written to soak-results.json.

export interface Results {
  seed: number;
  passed: boolean;
  elapsedSeconds: number;
  jobs: number;
  rounds: number;
  requests: { attempts: number; byStatus: Record<string, number>; retried503: number; networkErrors: number };
  restarts: ChaosCounts['restarts'];
  faults: ChaosCounts['faults'];
  orphanDynamoDbLocal: number;
  patterns: DriveCounts;
  finalStatuses: Record<string, number>;
  alerts: Record<string, number>;
  slaMissed: { arrival: number; callback: number };
  complaints: ComplaintTally;
  lost: number;
  duplicates: number;
  lostOnSigkillByDynamoDbLocal: string[];
  problems: string[];
  anomalies: Anomaly[];
  failures: Failure[];
  /** Restarts and faults, seconds into the run. */
  events: string[];
}

export function results(
  base: { seed: number; elapsedSeconds: number; jobs: number; rounds: number },
  stats: Stats,
  chaos: ChaosCounts,
  patterns: DriveCounts,
  tally: Tally,
  anomalies: Anomaly[],
  failures: Failure[],
  events: string[],
): Results {
  return {
    ...base,
    passed: !failures.length && !anomalies.length && !chaos.problems.length && !chaos.orphans,
    requests: {
      attempts: stats.attempts,
      byStatus: stats.byStatus,
      retried503: stats.retried503,
      networkErrors: stats.networkErrors,
    },
    restarts: chaos.restarts,
    faults: chaos.faults,
    orphanDynamoDbLocal: chaos.orphans,
    patterns,
    finalStatuses: tally.statuses,
    alerts: tally.alerts,
    slaMissed: { arrival: tally.arrivalMissed, callback: tally.callbackMissed },
    complaints: tally.complaints,
    lost: tally.lost,
    lostOnSigkillByDynamoDbLocal: tally.lostOnKill,
    duplicates: tally.duplicates,
    problems: chaos.problems,
    anomalies,
    failures,
    events,
  };
}

const line = (o: Record<string, unknown>) =>
  Object.entries(o)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');

export function print(r: Results, path: string): void {
  console.log(`\nsoak seed ${r.seed}: ${r.passed ? 'PASSED' : 'FAILED'} in ${r.elapsedSeconds} s`);
  console.log(`  jobs              ${r.jobs} in ${r.rounds} rounds; final ${line(r.finalStatuses)}`);
  console.log(`  requests          ${r.requests.attempts} tried: ${line(r.requests.byStatus)}`);
  console.log(
    `                    503 retried after Retry-After ${r.requests.retried503}, dropped connections ${r.requests.networkErrors}`,
  );
  console.log(`  restarts          Ctrl-C ${r.restarts['ctrl-c']}, SIGKILL ${r.restarts.sigkill}`);
  console.log(
    `  faults            DynamoDB Local paused ${r.faults.dynamoPaused}, killed ${r.faults.dynamoKilled}`,
  );
  console.log(`  patterns          ${line(r.patterns as unknown as Record<string, unknown>)}`);
  console.log(`  alerts            ${line(r.alerts)}`);
  console.log(`  SLAs missed       arrival ${r.slaMissed.arrival}, callback ${r.slaMissed.callback}`);
  const c = r.complaints;
  const filed = c.filed.callback + c.filed.resident;
  console.log(
    `  complaints        ${filed} filed (job callback ${c.filed.callback}, resident ${c.filed.resident}), reworks ${c.reworks}; final ${line(c.statuses)}`,
  );
  console.log(
    `                    investigated in time ${c.investigated.inTime}, late ${c.investigated.late}, never ${c.investigated.never}, not yet due ${c.investigated.pending}`,
  );
  console.log(
    `                    called back in time ${c.calledBack.inTime}, late ${c.calledBack.late}, never ${c.calledBack.never}, not yet due ${c.calledBack.pending}; attempts ${c.callbackAttempts}`,
  );
  console.log(`                    alerts ${line(c.alerts) || 'none'}`);
  console.log(`  lost ${r.lost}, duplicates ${r.duplicates}, orphan DynamoDB Local ${r.orphanDynamoDbLocal}`);
  if (r.lostOnSigkillByDynamoDbLocal.length)
    console.log(
      `  known limit       DynamoDB Local lost ${r.lostOnSigkillByDynamoDbLocal.length} answered write(s) to a SIGKILL within 250 ms: ${r.lostOnSigkillByDynamoDbLocal.join('; ')}`,
    );
  for (const p of r.problems) console.log(`  PROBLEM  ${p}`);
  const of = (x: { jobId: string; complaintId?: string }) =>
    x.complaintId ? `complaint ${x.complaintId} (job ${x.jobId})` : `job ${x.jobId}`;
  for (const a of r.anomalies) console.log(`  ANOMALY  ${of(a)} at ${a.at}s: ${a.what}`);
  for (const f of r.failures) console.log(`  BROKEN   ${of(f)} [${f.invariant}]: ${f.detail}`);
  console.log(`  results           ${path}`);
  if (!r.passed) console.log(`  replay            SOAK_SEED=${r.seed} SOAK_JOBS=${r.jobs} npm run soak`);
}

export function write(r: Results, path: string): void {
  writeFileSync(path, `${JSON.stringify(r, null, 2)}\n`);
}
