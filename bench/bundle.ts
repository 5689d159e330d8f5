import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { FUNCTION_NAMES, type FunctionName } from '../functions/names';

// Every function bundled by CDK itself (bench/cdk-bundle.ts instantiates ServiceFunction from
// lib/service-function.ts, local esbuild), so the bytes are what `cdk deploy` uploads; and the
// bare handlers of bench/baselines/ the cold starts are compared with, bundled the same way.

export const REPO_ROOT = resolve(__dirname, '..');
export const OUT_DIR = join(__dirname, '.out');

export interface Bundle {
  /** The index.mjs a deploy uploads (its source map, not counted, sits next to it). */
  file: string;
  bytes: number;
}

const BASELINE_KINDS = ['sdk-clients', 'sdk-clients+secrets', 'none'] as const;
export type BaselineKind = (typeof BASELINE_KINDS)[number];

export function baselineKindOf(name: FunctionName): BaselineKind {
  if (name === 'openapi') return 'none';
  if (name === 'technician-webhook') return 'sdk-clients+secrets';
  return 'sdk-clients';
}

/** Runs CDK in a child process (aws-cdk-lib and its console output stay out of this one). */
export function bundleAll(): { functions: Map<FunctionName, Bundle>; baselines: Map<BaselineKind, Bundle> } {
  const baselines = BASELINE_KINDS.map(
    (kind) => `baseline:${kind}=${join(__dirname, 'baselines', `${kind}.mjs`)}`,
  );
  const cdkOut = join(OUT_DIR, 'cdk.out');
  rmSync(cdkOut, { recursive: true, force: true });
  mkdirSync(OUT_DIR, { recursive: true });
  const manifestPath = join(OUT_DIR, 'bundles.json');
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(__dirname, 'cdk-bundle.ts'), cdkOut, manifestPath, ...baselines],
    { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } },
  );
  if (run.status !== 0) throw new Error(`CDK bundling failed:\n${run.stderr}\n${run.stdout}`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, string>;
  const at = (label: string): Bundle => {
    if (!manifest[label]) throw new Error(`CDK bundled no ${label}`);
    const file = join(manifest[label], 'index.mjs');
    return { file, bytes: statSync(file).size };
  };
  return {
    functions: new Map(FUNCTION_NAMES.map((name) => [name, at(name)])),
    baselines: new Map(BASELINE_KINDS.map((kind) => [kind, at(`baseline:${kind}`)])),
  };
}
