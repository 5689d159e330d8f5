import type { ApiResult } from './api';
import type { BaselineKind } from './bundle';
import type { MemoryResult } from './memory';
import type { WorkflowResult } from './workflow';

// The shape of bench/results.json. The top-level fields (functions, api, workflow, memory)
// have fixed names so runs can be compared over time; `run` and `details` explain them.

export interface FunctionResult {
  name: string;
  bundleBytes: number;
  initMs: number;
  baselineInitMs: number;
  initRatio: number;
}

export interface Plan {
  coldRounds: number;
  whatIfRounds: number;
  api: { bookings: number; warmup: number; settled: number; clients: number; seconds: number };
  workflow: { jobs: number; inFlight: number };
  memory: { jobs: number; warmup: number; concurrency: number; chunk: number; mode: 'http' | 'seed' };
  memoryWhatIfJobs: number;
}

export interface WhatIfInit {
  rounds: number;
  initMs: number;
  baselineInitMs: number;
  /** The bundle rebuilt with `import * as z from 'zod'`. */
  zodNamespaceInitMs: number;
  zodNamespaceRatio: number;
  zodNamespaceBundleBytes: number;
  /** False when functions/ already import zod as a namespace (or not at all): no zod what-if then. */
  zodWhatIfChangesBundle: boolean;
  /** The deployed bundle with NODE_OPTIONS=--enable-source-maps (deployed without it). */
  withSourceMapsInitMs: number;
  initCpuMs: number;
  zodNamespaceCpuMs: number;
  withSourceMapsCpuMs: number;
  baselineCpuMs: number;
  /** workflow-step only: the baseline that also sends the one GetItem its first invocation sends. */
  requestBaselineInitMs?: number;
  requestBaselineRatio?: number;
  requestBaselineCpuMs?: number;
}

export interface ColdStartProfile {
  ms: number;
  parts: Array<{ part: string; ms: number }>;
  baselineMs: number;
  baselineParts: Array<{ part: string; ms: number }>;
  /** Node's own work by the nearest node: function (the module loader, source maps, built-ins). */
  nodeInternals: Array<{ part: string; ms: number }>;
  baselineNodeInternals: Array<{ part: string; ms: number }>;
}

export interface Results {
  functions: FunctionResult[];
  api: Pick<ApiResult, 'bookP50Ms' | 'bookP99Ms' | 'bookPerSecond' | 'rawPutItemP50Ms'>;
  workflow: Omit<WorkflowResult, 'details'>;
  memory: Pick<MemoryResult, 'openJobs' | 'rssBytesPerOpenJob'>;
  run: {
    quick: boolean;
    startedAt: string;
    seconds: number;
    commit: string;
    workingTreeChanges: number;
    node: string;
    cpus: number;
    cpuModel: string;
    loadBefore: string;
    loadAfter: string;
    plan: Plan;
  };
  details: {
    bundles: {
      replicaIdenticalToCdk: boolean;
      replicaMismatches: string[];
      mapBytes: Record<string, number>;
      baselineBytes: Record<BaselineKind, number>;
      zodLocaleBytes: Record<string, number>;
      composition: Record<string, Array<{ part: string; bytes: number }>>;
      whatIfZodNamespaceImport: Record<string, number>;
    };
    coldStarts: {
      runs: number;
      /** Cold starts that stalled (no answer in 20 s) and were run again. */
      retries: string[];
      samples: Record<string, { fn: number[]; baseline: number[] }>;
      /** The same runs by CPU time (user + system) instead of wall time. */
      cpu: Record<string, { initCpuMs: number; baselineCpuMs: number; cpuRatio: number }>;
      outcomes: Record<string, string>;
      baselineOf: Record<string, BaselineKind>;
      profiles: Record<string, ColdStartProfile>;
      whatIf: Record<string, WhatIfInit>;
    };
    api: ApiResult['details'];
    workflow: WorkflowResult['details'];
    memory: MemoryResult['details'];
    /** The memory run again, fewer jobs, with cls-hooked's async hook made inert. */
    memoryWhatIfNoXrayHook: {
      openJobs: number;
      rssBytesPerOpenJob: number;
      heapBytesPerOpenJob: number;
      bookingsPerSecond: number;
    };
  };
}
