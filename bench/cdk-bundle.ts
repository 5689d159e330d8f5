import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { FUNCTION_NAMES } from '../functions/names';
import { functionEntry } from '../lib/paths';
import { ServiceFunction } from '../lib/service-function';

// Run as a child process by bench/bundle.ts: CDK bundles every function through
// lib/service-function.ts (NodejsFunction, local esbuild), byte for byte what a deploy uploads.
//   argv: <outdir> <manifest.json> [<label>=<entry> ...]  (the extra entries are the baselines)

const [outdir, manifestPath, ...extra] = process.argv.slice(2);
if (!outdir || !manifestPath) throw new Error('usage: cdk-bundle <outdir> <manifest.json> [label=entry ...]');

const app = new App({ outdir, context: { 'aws:cdk:enable-asset-metadata': true } });
const stack = new Stack(app, 'BenchBundles');
const entries: Array<[string, string]> = [
  ...FUNCTION_NAMES.map((name): [string, string] => [name, functionEntry(name)]),
  ...extra.map((pair): [string, string] => {
    const at = pair.indexOf('=');
    return [pair.slice(0, at), resolve(pair.slice(at + 1))];
  }),
];
const manifest: Record<string, string> = {};
for (const [label, entry] of entries) {
  const fn = new ServiceFunction(stack, label.replace(/[^A-Za-z0-9]/g, ''), { entry });
  const asset = (fn.node.defaultChild as CfnFunction).getMetadata('aws:asset:path');
  if (typeof asset !== 'string') throw new Error(`no asset path for ${label}`);
  manifest[label] = join(outdir, asset);
}
writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
