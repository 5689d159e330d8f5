import { FUNCTION_NAMES, type FunctionName } from '../functions/names';
import { freePort } from '../local/dynamodb';
import { type BaselineKind, type Bundle, baselineKindOf } from './bundle';
import {
  type ColdStart,
  coldStart,
  coldStartRetries,
  deployedEnv,
  FIRST_INVOCATION,
  profileColdStart,
  runnerPath,
} from './cold-start';
import { bar, progress } from './progress';
import { median, round } from './stats';
import type { FunctionResult, Results } from './types';

/** The functions whose cold start is profiled (a zod-heavy one, one without zod, openapi). */
export const PROFILED = ['create-job', 'get-job', 'openapi'] as const;

// The cold-start measurements: every function paired with its baseline, round after round;
// then CPU profiles, and the what-if bundles measured interleaved with the real ones.

type Samples = { ms: number[]; cpuMs: number[] };
const empty = (): Samples => ({ ms: [], cpuMs: [] });
const add = (s: Samples, r: ColdStart) => {
  s.ms.push(r.ms);
  s.cpuMs.push(r.cpuMs);
};

export async function benchColdStarts(
  bundles: Map<FunctionName, Bundle>,
  baselines: Map<BaselineKind, Bundle>,
  whatIf: Record<string, { file: string; bundleBytes: number; same: boolean }>,
  plan: { coldRounds: number; whatIfRounds: number },
): Promise<{ functions: FunctionResult[]; details: Results['details']['coldStarts'] }> {
  progress.phase('cold starts: a fresh Node 22 process per run, each function paired with its baseline');
  const runner = runnerPath();
  const closedPort = await freePort();
  const fileOf = (name: FunctionName) => bundles.get(name)?.file as string;
  const baseOf = (name: FunctionName) => baselines.get(baselineKindOf(name))?.file as string;
  const fn = new Map<FunctionName, Samples>(FUNCTION_NAMES.map((n) => [n, empty()]));
  const base = new Map<FunctionName, Samples>(FUNCTION_NAMES.map((n) => [n, empty()]));
  const outcomes: Record<string, string> = {};
  const rounds = plan.coldRounds + 1; // the first round warms the file cache and is dropped
  let done = 0;
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < FUNCTION_NAMES.length; i++) {
      const name = FUNCTION_NAMES[(i + r) % FUNCTION_NAMES.length] as FunctionName;
      const env = deployedEnv(name, closedPort);
      // Function and baseline back to back, in alternating order: both see the same load.
      for (const which of r % 2 ? ['base', 'fn'] : ['fn', 'base']) {
        const run =
          which === 'fn'
            ? await coldStart(runner, fileOf(name), FIRST_INVOCATION[name].event, env)
            : await coldStart(runner, baseOf(name), {}, env);
        if (which === 'fn') outcomes[name] = run.outcome;
        if (r > 0) add((which === 'fn' ? fn : base).get(name) as Samples, run);
      }
      progress.update(bar(++done, rounds * FUNCTION_NAMES.length, name));
    }
  }
  const functions: FunctionResult[] = FUNCTION_NAMES.map((name) => {
    const initMs = median(fn.get(name)?.ms ?? []);
    const baselineInitMs = median(base.get(name)?.ms ?? []);
    return {
      name,
      bundleBytes: bundles.get(name)?.bytes ?? 0,
      initMs: round(initMs, 1),
      baselineInitMs: round(baselineInitMs, 1),
      initRatio: round(initMs / baselineInitMs, 2),
    };
  });
  progress.note(`init ratios: ${functions.map((f) => `${f.name} ${f.initRatio}`).join(', ')}`);

  progress.phase('cold starts: CPU profiles, then the what-if bundles interleaved with the real ones');
  const profiles: Results['details']['coldStarts']['profiles'] = {};
  type Profile = Awaited<ReturnType<typeof profileColdStart>>;
  const baselineProfiles = new Map<BaselineKind, Profile>();
  const top = (parts: Array<{ part: string; ms: number }>) =>
    parts.slice(0, 10).map((x) => ({ part: x.part, ms: round(x.ms, 1) }));
  for (const name of PROFILED) {
    const env = deployedEnv(name, closedPort);
    const kind = baselineKindOf(name);
    const f = await profileColdStart(runner, fileOf(name), FIRST_INVOCATION[name].event, env, name);
    if (!baselineProfiles.has(kind))
      baselineProfiles.set(kind, await profileColdStart(runner, baseOf(name), {}, env, `baseline-${kind}`));
    const b = baselineProfiles.get(kind) as Profile;
    profiles[name] = {
      ms: round(f.ms, 1),
      parts: top(f.parts),
      baselineMs: round(b.ms, 1),
      baselineParts: top(b.parts),
      nodeInternals: top(f.nodeInternals).slice(0, 8),
      baselineNodeInternals: top(b.nodeInternals).slice(0, 8),
    };
  }

  // The zod what-if (bundle with `import * as z from 'zod'`), and the deployed bundle with
  // --enable-source-maps, each next to the real bundle and the baseline in every round.
  const whatIfNames = ['create-job', 'openapi', 'workflow-step'] as const;
  type Variants = { fn: Samples; zod: Samples; maps: Samples; base: Samples; requestBase: Samples };
  const variants = new Map<string, Variants>(
    whatIfNames.map((n) => [
      n,
      { fn: empty(), zod: empty(), maps: empty(), base: empty(), requestBase: empty() },
    ]),
  );
  const requestBaseline = baselines.get('sdk-clients+request')?.file as string;
  done = 0;
  for (let r = 0; r < plan.whatIfRounds; r++) {
    for (const name of whatIfNames) {
      const env = deployedEnv(name, closedPort);
      const event = FIRST_INVOCATION[name].event;
      const v = variants.get(name) as Variants;
      add(v.fn, await coldStart(runner, fileOf(name), event, env));
      add(v.base, await coldStart(runner, baseOf(name), {}, env));
      add(v.maps, await coldStart(runner, fileOf(name), event, deployedEnv(name, closedPort, true)));
      // workflow-step has no zod (its what-if bundle is the same); its first invocation
      // sends a GetItem, so it is also compared with a baseline that sends one.
      if (name === 'workflow-step') add(v.requestBase, await coldStart(runner, requestBaseline, event, env));
      // Only when the rewrite changes the bundle (functions/ may already import zod as a namespace).
      else if (!whatIf[name]?.same)
        add(v.zod, await coldStart(runner, whatIf[name]?.file as string, event, env));
      progress.update(bar(++done, plan.whatIfRounds * whatIfNames.length, name));
    }
  }

  const m = (s: Samples | undefined) => round(median(s?.ms ?? []), 1);
  const c = (s: Samples | undefined) => round(median(s?.cpuMs ?? []), 1);
  return {
    functions,
    details: {
      runs: plan.coldRounds,
      retries: coldStartRetries,
      samples: Object.fromEntries(
        FUNCTION_NAMES.map((n) => [
          n,
          {
            fn: (fn.get(n)?.ms ?? []).map((v) => round(v, 1)),
            baseline: (base.get(n)?.ms ?? []).map((v) => round(v, 1)),
          },
        ]),
      ),
      cpu: Object.fromEntries(
        FUNCTION_NAMES.map((n) => [
          n,
          {
            initCpuMs: c(fn.get(n)),
            baselineCpuMs: c(base.get(n)),
            cpuRatio: round(c(fn.get(n)) / c(base.get(n)), 2),
          },
        ]),
      ),
      outcomes,
      baselineOf: Object.fromEntries(FUNCTION_NAMES.map((n) => [n, baselineKindOf(n)])),
      profiles,
      whatIf: Object.fromEntries(
        [...variants].map(([n, v]) => [
          n,
          {
            rounds: plan.whatIfRounds,
            initMs: m(v.fn),
            baselineInitMs: m(v.base),
            // Where the rewrite changes nothing (no zod, or already `import * as z`), the deployed bundle's numbers.
            zodNamespaceInitMs: m(v.zod.ms.length ? v.zod : v.fn),
            zodNamespaceRatio: round(m(v.zod.ms.length ? v.zod : v.fn) / m(v.base), 2),
            zodNamespaceBundleBytes: whatIf[n]?.bundleBytes ?? 0,
            zodWhatIfChangesBundle: !whatIf[n]?.same,
            withSourceMapsInitMs: m(v.maps),
            initCpuMs: c(v.fn),
            zodNamespaceCpuMs: c(v.zod.ms.length ? v.zod : v.fn),
            withSourceMapsCpuMs: c(v.maps),
            baselineCpuMs: c(v.base),
            ...(v.requestBase.ms.length && {
              requestBaselineInitMs: m(v.requestBase),
              requestBaselineRatio: round(m(v.fn) / m(v.requestBase), 2),
              requestBaselineCpuMs: c(v.requestBase),
            }),
          },
        ]),
      ),
    },
  };
}
