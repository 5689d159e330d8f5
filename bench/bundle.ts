import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type BuildOptions, build, type Metafile, type Plugin } from 'esbuild';
import { FUNCTION_NAMES, type FunctionName } from '../functions/names';
import { ESM_REQUIRE_BANNER } from '../lib/service-function';

// Bundles every function exactly as lib/service-function.ts asks CDK to (NodejsFunction,
// local esbuild, no Docker). CDK runs the esbuild CLI from the project root as
//   esbuild --bundle functions/<name>/handler.ts --target=node22 --platform=node --format=esm
//     --outfile=<asset>/index.mjs --minify --sourcemap --external:@aws-sdk/* \
//     --banner:js="<ESM_REQUIRE_BANNER>" --main-fields=module,main
// (`@aws-sdk/*` is CDK's default external for nodejs22.x: the runtime provides SDK v3).
// The JS API below passes the same options; the bundles are what a deploy uploads.

export const REPO_ROOT = resolve(__dirname, '..');
export const OUT_DIR = join(__dirname, '.out');

export const CDK_ESBUILD_OPTIONS: BuildOptions = {
  bundle: true,
  target: 'node22',
  platform: 'node',
  format: 'esm',
  minify: true,
  sourcemap: true,
  external: ['@aws-sdk/*'],
  banner: { js: ESM_REQUIRE_BANNER },
  mainFields: ['module', 'main'],
  absWorkingDir: REPO_ROOT,
  logLevel: 'silent',
};

/** The equivalent CDK CLI invocation, for RESULTS.md. */
export const CDK_COMMAND =
  'esbuild --bundle functions/<name>/handler.ts --target=node22 --platform=node --format=esm ' +
  '--outfile=<out>/index.mjs --minify --sourcemap --external:@aws-sdk/* ' +
  `--banner:js="${ESM_REQUIRE_BANNER}" --main-fields=module,main`;

export interface Bundle {
  /** The .mjs a deploy uploads (its map sits next to it). */
  file: string;
  bytes: number;
  mapBytes: number;
  metafile: Metafile;
}

function readBundle(dir: string, metafile?: Metafile): Bundle {
  const file = join(dir, 'index.mjs');
  return {
    file,
    bytes: statSync(file).size,
    mapBytes: statSync(`${file}.map`).size,
    metafile: metafile ?? JSON.parse(readFileSync(join(dir, 'index.meta.json'), 'utf8')),
  };
}

/**
 * Every function and every baseline, bundled by CDK (bench/cdk-bundle.ts in a child
 * process, so aws-cdk-lib and its console output stay out of this one).
 */
export function bundleAll(): { functions: Map<FunctionName, Bundle>; baselines: Map<BaselineKind, Bundle> } {
  const extra = BASELINE_KINDS.map((kind) => {
    const dir = join(OUT_DIR, 'baselines', kind);
    mkdirSync(dir, { recursive: true });
    // .mjs, not .ts: generated files stay out of tsc and Biome (both include bench/**/*.ts).
    const entry = join(dir, 'handler.mjs');
    writeFileSync(entry, BASELINE_SOURCES[kind]);
    return `baseline:${kind}=${entry}`;
  });
  const cdkOut = join(OUT_DIR, 'cdk.out');
  rmSync(cdkOut, { recursive: true, force: true });
  const manifestPath = join(OUT_DIR, 'bundles.json');
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(__dirname, 'cdk-bundle.ts'), cdkOut, manifestPath, ...extra],
    { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } },
  );
  if (run.status !== 0) throw new Error(`CDK bundling failed:\n${run.stderr}\n${run.stdout}`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, string>;
  const at = (label: string) => {
    const dir = manifest[label];
    if (!dir) throw new Error(`CDK bundled no ${label}`);
    return readBundle(dir);
  };
  return {
    functions: new Map(FUNCTION_NAMES.map((name) => [name, at(name)])),
    baselines: new Map(BASELINE_KINDS.map((kind) => [kind, at(`baseline:${kind}`)])),
  };
}

/**
 * The same build through esbuild's JS API with CDK's options: used for the what-if
 * variants (plugins), and checked to give the very bytes CDK gives.
 */
export async function bundleReplica(name: FunctionName, variant?: { label: string; plugins: Plugin[] }) {
  const dir = join(OUT_DIR, variant ? `what-if-${variant.label}` : 'replica', name);
  mkdirSync(dir, { recursive: true });
  const result = await build({
    ...CDK_ESBUILD_OPTIONS,
    entryPoints: [`functions/${name}/handler.ts`],
    outfile: join(dir, 'index.mjs'),
    metafile: true,
    ...(variant && { plugins: variant.plugins }),
  });
  return readBundle(dir, result.metafile);
}

// The bare handlers the cold starts are compared with: the same SDK v3 clients the
// function's composition root (functions/adapters/runtime.ts) and webhook-secret.ts build,
// constructed at load, and a handler that returns {}. Bundled the same way.
export const BASELINE_KINDS = ['sdk-clients', 'sdk-clients+secrets', 'none', 'sdk-clients+request'] as const;
export type BaselineKind = (typeof BASELINE_KINDS)[number];

export function baselineKindOf(name: FunctionName): BaselineKind {
  if (name === 'openapi') return 'none'; // imports no adapter: no SDK client at all
  if (name === 'technician-webhook') return 'sdk-clients+secrets';
  return 'sdk-clients';
}

export const BASELINE_SOURCES: Record<BaselineKind, string> = {
  'sdk-clients': `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
export const clients = [
  DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } }),
  new SNSClient({}),
  new SFNClient({}),
];
export const handler = async () => ({});
`,
  'sdk-clients+secrets': `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
export const clients = [
  DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } }),
  new SNSClient({}),
  new SFNClient({}),
  new SecretsManagerClient({}),
];
export const handler = async () => ({});
`,
  none: `export const handler = async () => ({});
`,
  // Not a baseline of record: for the state-machine functions, whose first invocation sends
  // one GetItem, the same clients plus that request (to the same closed port), for the what-if.
  'sdk-clients+request': `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
const endpoint = process.env.DYNAMODB_ENDPOINT;
const doc = DynamoDBDocumentClient.from(new DynamoDBClient(endpoint ? { endpoint } : {}), {
  marshallOptions: { removeUndefinedValues: true },
});
export const clients = [doc, new SNSClient({}), new SFNClient({})];
export const handler = async (event) => {
  try {
    await doc.send(new GetCommand({ TableName: process.env.TABLE_NAME, Key: { pk: 'JOB#' + event.jobId, sk: 'JOB' }, ConsistentRead: true }));
  } catch {}
  return {};
};
`,
};

/** Bytes in the output per package (node_modules/<pkg>) or per source folder, largest first. */
export function composition(bundle: Bundle): Array<{ part: string; bytes: number }> {
  const output = Object.values(bundle.metafile.outputs).find((o) => o.entryPoint);
  const parts = new Map<string, number>();
  for (const [path, input] of Object.entries(output?.inputs ?? {})) {
    const pkg = path.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
    const part = pkg ? (pkg[1] as string) : path.split('/').slice(0, 2).join('/');
    parts.set(part, (parts.get(part) ?? 0) + input.bytesInOutput);
  }
  return [...parts.entries()].map(([part, bytes]) => ({ part, bytes })).sort((a, b) => b.bytes - a.bytes);
}

/** Bytes of zod's locale files in the bundle (what `import { z } from 'zod'` drags in). */
export function zodLocaleBytes(bundle: Bundle): number {
  const output = Object.values(bundle.metafile.outputs).find((o) => o.entryPoint);
  return Object.entries(output?.inputs ?? {})
    .filter(([path]) => /node_modules\/zod\/.*\/locales\//.test(path))
    .reduce((sum, [, input]) => sum + input.bytesInOutput, 0);
}

/**
 * What-if for the profile: functions/ import zod as `import { z } from 'zod'`; the `z`
 * namespace object carries `z.locales`, so esbuild keeps every locale and all of zod.
 * `import * as z from 'zod'` lets it tree-shake. This plugin rewrites that one line in
 * memory (functions/ is not touched) to measure what the change would give.
 */
export const ZOD_NAMESPACE_IMPORT: { label: string; plugins: Plugin[] } = {
  label: 'zod-namespace-import',
  plugins: [
    {
      name: 'zod-namespace-import',
      setup(b) {
        b.onLoad({ filter: /functions[\\/].*\.ts$/ }, (args) => {
          const source = readFileSync(args.path, 'utf8');
          return {
            contents: source.replace(/import \{ z \} from 'zod';/g, "import * as z from 'zod';"),
            loader: 'ts',
          };
        });
      },
    },
  ],
};
