// Shared by the CDK tests: builds the app the way bin/app.ts does, with cdk.json's
// context (feature flags included) plus per-test overrides, and synthesizes it once.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import type { FunctionName } from '../../functions/names';
import { readConfig } from '../../lib/config';
import { RepairStack } from '../../lib/repair-stack';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

export type Json = any;

export interface Synthesized {
  readonly stack: RepairStack;
  readonly template: Template;
  readonly resources: Record<string, Json>;
  readonly assemblyDir: string;
  readonly cleanup: () => void;
}

export interface SynthOptions {
  /** Run esbuild for the ten functions (seconds); without it synth takes well under one. */
  readonly bundle?: boolean;
}

export function synthRepairStack(
  context: Record<string, unknown> = {},
  options: SynthOptions = {},
): Synthesized {
  const cdkJson = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8'));
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'repair-cdk-'));
  const skipBundling = options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] };
  const app = new App({ outdir, context: { ...cdkJson.context, ...skipBundling, ...context } });
  const config = readConfig(app.node);
  const stack = new RepairStack(app, 'RepairStack', { stackName: `home-repair-${config.stage}`, config });
  const assembly = app.synth();
  const json = assembly.getStackArtifact(stack.artifactId).template;
  return {
    stack,
    template: Template.fromJSON(json),
    resources: json.Resources,
    assemblyDir: assembly.directory,
    cleanup: () => fs.rmSync(outdir, { recursive: true, force: true }),
  };
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

/** Every Allow statement of every IAM policy attached to the given role. */
export function statementsOfRole(resources: Record<string, Json>, roleLogicalId: string): Statement[] {
  return Object.values(resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy')
    .filter((r) => r.Properties.Roles.some((role: Json) => role.Ref === roleLogicalId))
    .flatMap((r) => r.Properties.PolicyDocument.Statement)
    .filter((s: Json) => s.Effect === 'Allow')
    .map((s: Json) => ({ actions: [s.Action].flat(), resources: [s.Resource].flat() }));
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

/** Every Allow statement granted to one of the stack's functions. */
export function statementsOfFunction(synth: Synthesized, name: FunctionName): Statement[] {
  const { role } = synth.stack.functions.get(name);
  if (!role) throw new Error(`${name} has no role`);
  return statementsOfRole(synth.resources, logicalId(role));
}
