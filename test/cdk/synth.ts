// Shared by the CDK tests: builds the app the way bin/app.ts does, with cdk.json's
// context (feature flags and environments) plus per-test overrides of one environment,
// and synthesizes it once per test file.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import type { FunctionName } from '../../functions/names';
import { readConfig } from '../../lib/config';
import { addRepairStacks } from '../../lib/repair-app';
import type { StatefulStack } from '../../lib/stateful-stack';
import type { StatelessStack } from '../../lib/stateless-stack';
import { PAGES } from '../../pages/build';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

export type Json = any;

export interface StackSynth {
  readonly template: Template;
  /** Resources, with the other stack's outputs (Fn::GetStackOutput) replaced by their values. */
  readonly resources: Record<string, Json>;
  /** The template exactly as synthesized. */
  readonly raw: Json;
}

export interface Synthesized {
  readonly app: App;
  readonly stateful: StatefulStack;
  readonly stateless: StatelessStack;
  readonly statefulSynth: StackSynth;
  readonly statelessSynth: StackSynth;
  readonly assemblyDir: string;
  readonly cleanup: () => void;
}

export interface SynthOptions {
  /** The environment of cdk.json to start from. */
  readonly env?: 'dev' | 'prod';
  /** Run esbuild for the functions (seconds); without it synth takes well under one. */
  readonly bundle?: boolean;
  /**
   * Run CDK's built-in CloudFormation validation (as `cdk synth` does). Its engine costs
   * seconds to load, so only the files that check the whole deployment turn it on.
   */
  readonly cfnValidate?: boolean;
}

export const cdkJsonContext = (): Record<string, Json> =>
  JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8')).context;

export function synthApp(environment: Record<string, unknown> = {}, options: SynthOptions = {}): Synthesized {
  const env = options.env ?? 'dev';
  const context = cdkJsonContext();
  const environments = { ...context.environments, [env]: { ...context.environments[env], ...environment } };
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'repair-cdk-'));
  const skipBundling = options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] };
  const app = new App({
    outdir,
    context: { ...context, ...skipBundling, env, environments },
    builtinCloudFormationValidation: options.cfnValidate ?? false,
  });
  const { stateful, stateless } = addRepairStacks(app, readConfig(app.node), {
    pagesDir: placeholderPages(path.join(outdir, 'placeholder-pages')),
  });
  const assembly = app.synth();
  const statefulJson = assembly.getStackArtifact(stateful.artifactId).template;
  const statelessJson = assembly.getStackArtifact(stateless.artifactId).template;
  const outputs = Object.fromEntries(
    Object.entries(statefulJson.Outputs ?? {}).map(([name, output]) => [name, (output as Json).Value]),
  );
  const stackSynth = (json: Json): StackSynth => {
    const resolved = replaceStackOutputs(json, stateful.stackName, outputs);
    return { template: Template.fromJSON(resolved), resources: resolved.Resources, raw: json };
  };
  return {
    app,
    stateful,
    stateless,
    statefulSynth: stackSynth(statefulJson),
    statelessSynth: stackSynth(statelessJson),
    assemblyDir: assembly.directory,
    cleanup: () => fs.rmSync(outdir, { recursive: true, force: true }),
  };
}

/**
 * Stand-ins for `buildPages`' output (the real pages are built by `npm run synth`): each
 * page's index.html, enough for the site's deployment to have something to copy.
 */
export function placeholderPages(dir: string): string {
  for (const page of PAGES) {
    fs.mkdirSync(path.join(dir, page), { recursive: true });
    fs.writeFileSync(path.join(dir, page, 'index.html'), `<!doctype html><title>${page}</title>\n`);
  }
  return dir;
}

// Weak cross-stack references read the producer's outputs; the tests compare against the
// producer's own Ref/GetAtt, so each one is replaced by the output's value.
function replaceStackOutputs(node: Json, producer: string, outputs: Record<string, Json>): Json {
  if (Array.isArray(node)) return node.map((child) => replaceStackOutputs(child, producer, outputs));
  if (node === null || typeof node !== 'object') return node;
  const ref = node['Fn::GetStackOutput'];
  if (ref && Object.keys(node).length === 1 && ref.StackName === producer) {
    if (!(ref.OutputName in outputs)) throw new Error(`no output ${ref.OutputName} in ${producer}`);
    return outputs[ref.OutputName];
  }
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => [key, replaceStackOutputs(value, producer, outputs)]),
  );
}

/** The logical id of a construct's CloudFormation resource (its default child). */
export function logicalId(construct: IConstruct): string {
  const element = (construct.node.defaultChild ?? construct) as CfnElement;
  return Stack.of(construct).resolve(element.logicalId);
}

export interface Statement {
  readonly actions: string[];
  readonly resources: Json[];
}

/** Every Allow statement of every IAM policy attached to the given role, as synthesized (conditions too). */
export function allowStatementsOfRole(resources: Record<string, Json>, roleLogicalId: string): Json[] {
  return Object.values(resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy')
    .filter((r) => r.Properties.Roles.some((role: Json) => role.Ref === roleLogicalId))
    .flatMap((r) => r.Properties.PolicyDocument.Statement)
    .filter((s: Json) => s.Effect === 'Allow');
}

/** Every Allow statement of every IAM policy attached to the given role: its actions and resources. */
export function statementsOfRole(resources: Record<string, Json>, roleLogicalId: string): Statement[] {
  return allowStatementsOfRole(resources, roleLogicalId).map((s: Json) => ({
    actions: [s.Action].flat(),
    resources: [s.Resource].flat(),
  }));
}

export const actionsOf = (statements: Statement[]): string[] => [
  ...new Set(statements.flatMap((s) => s.actions)),
];

/** Renders Ref/GetAtt (the intrinsics a substitution may hold) as readable placeholders. */
export function placeholder(value: Json): string {
  if (typeof value === 'string') return value;
  if (value?.Ref) return `<Ref:${value.Ref}>`;
  if (value?.['Fn::GetAtt']) return `<GetAtt:${value['Fn::GetAtt'].join('.')}>`;
  throw new Error(`no placeholder for ${JSON.stringify(value)}`);
}

/** Every Allow statement granted to one of the stateless stack's functions. */
export function statementsOfFunction(synth: Synthesized, name: FunctionName): Statement[] {
  const fn = synth.stateless.functions.get(name);
  return statementsOfRole(synth.statelessSynth.resources, logicalId(fn.serviceRole));
}

export const resourcesOfType = (stack: StackSynth, type: string): Json[] =>
  Object.values(stack.resources).filter((r) => r.Type === type);
