import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { readConfig } from '../../lib/config';
import { addRepairStacks } from '../../lib/repair-app';
import {
  cdkJsonContext,
  type Json,
  logicalId,
  placeholderPages,
  resourcesOfType,
  type Synthesized,
  synthApp,
} from './synth';

// The prod environment of cdk.json, with one recipient so the subscriptions exist too,
// through CloudFormation's own validation (cycles, schema) as `cdk synth` does.
let synth: Synthesized;

beforeAll(() => {
  synth = synthApp({ alertRecipients: [{ email: 'ops@example.com' }] }, { env: 'prod', cfnValidate: true });
});
afterAll(() => synth.cleanup());

const STATEFUL_TYPES = [
  'AWS::DynamoDB::Table',
  'AWS::KMS::Key',
  'AWS::SNS::Topic',
  'AWS::SNS::TopicPolicy',
  'AWS::SNS::Subscription',
  'AWS::SQS::Queue',
  'AWS::SQS::QueuePolicy',
  'AWS::Cognito::UserPool',
  'AWS::Cognito::UserPoolClient',
  'AWS::Cognito::UserPoolGroup',
  'AWS::Cognito::UserPoolDomain',
  'AWS::SecretsManager::Secret',
  'AWS::S3::Bucket',
  'AWS::S3::BucketPolicy',
];
const typesOf = (template: Json): string[] =>
  [...new Set(Object.values(template.Resources).map((r: Json) => r.Type as string))].sort();

/** Every Ref/GetAtt target and every stack read through Fn::GetStackOutput. */
function referencesOf(node: Json, found = { local: new Set<string>(), stacks: new Set<string>() }) {
  if (Array.isArray(node)) for (const child of node) referencesOf(child, found);
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'Ref' && typeof value === 'string' && !value.startsWith('AWS::')) found.local.add(value);
      else if (key === 'Fn::GetAtt') found.local.add((value as string[])[0] as string);
      else if (key === 'Fn::GetStackOutput') found.stacks.add((value as Json).StackName);
      else referencesOf(value, found);
    }
  }
  return found;
}

describe('the stack split', () => {
  it('names both stacks after the environment, the stateless one deployed after the stateful one', () => {
    expect(synth.stateful.stackName).toBe('home-repair-prod-stateful');
    expect(synth.stateless.stackName).toBe('home-repair-prod-stateless');
    expect(synth.stateless.dependencies).toEqual([synth.stateful]);
    expect(synth.stateful.dependencies).toEqual([]);
    expect(synth.stateful.tags.tagValues()).toEqual({ project: 'home-repair', environment: 'prod' });
  });

  it('keeps every stateful resource in the stateful stack, and nothing else there', () => {
    expect(typesOf(synth.statefulSynth.raw).filter((t) => t !== 'AWS::CDK::Metadata')).toEqual(
      [...STATEFUL_TYPES].sort(),
    );
    // Except the pages' app client: it holds no data, and its return URLs are the distribution's;
    // and the site's buckets: its pages come back from any commit, its access logs go with it.
    expect(typesOf(synth.statelessSynth.raw).filter((t) => STATEFUL_TYPES.includes(t))).toEqual([
      'AWS::Cognito::UserPoolClient',
      'AWS::S3::Bucket',
      'AWS::S3::BucketPolicy',
    ]);
    const { content, logs } = synth.stateless.site.buckets;
    const bucketIds = Object.entries(synth.statelessSynth.resources)
      .filter(([, r]) => r.Type === 'AWS::S3::Bucket')
      .map(([id]) => id);
    expect(bucketIds.sort()).toEqual([logicalId(content), logicalId(logs)].sort());
    expect(resourcesOfType(synth.statelessSynth, 'AWS::Cognito::UserPoolClient')).toEqual([
      synth.statelessSynth.resources[logicalId(synth.stateless.site.signIn.client)],
    ]);
  });

  it('lets the stateless stack reach stateful resources only through the stateful stack outputs', () => {
    const { local, stacks } = referencesOf(synth.statelessSynth.raw.Resources);
    expect([...stacks]).toEqual(['home-repair-prod-stateful']);
    const own = Object.keys(synth.statelessSynth.raw.Resources);
    expect([...local].filter((id) => !own.includes(id))).toEqual([]);
  });

  it('gives the stateful stack no reference to the stateless one', () => {
    const { stacks } = referencesOf(synth.statefulSynth.raw);
    expect([...stacks]).toEqual([]);
  });
});

describe('prod', () => {
  const retained = (type: string) =>
    resourcesOfType(synth.statefulSynth, type).map((r) => [r.DeletionPolicy, r.UpdateReplacePolicy]);

  it.each([
    'AWS::DynamoDB::Table',
    'AWS::Cognito::UserPool',
    'AWS::SecretsManager::Secret',
    'AWS::SQS::Queue',
  ])('retains every %s when the stack is deleted or the resource replaced', (type) => {
    const policies = retained(type);

    expect(policies.length).toBeGreaterThan(0);
    expect(policies).toEqual(policies.map(() => ['Retain', 'Retain']));
  });

  it('turns deletion protection on for the table and the user pool', () => {
    synth.statefulSynth.template.hasResourceProperties('AWS::DynamoDB::Table', {
      DeletionProtectionEnabled: true,
    });
    synth.statefulSynth.template.hasResourceProperties('AWS::Cognito::UserPool', {
      DeletionProtection: 'ACTIVE',
    });
  });

  it("schedules the topics' key for deletion with the longest waiting period when the stack goes", () => {
    const key = synth.statefulSynth.resources[logicalId(synth.stateful.topics.key)];
    expect(key.DeletionPolicy).toBe('Delete');
    expect(key.Properties.PendingWindowInDays).toBe(30);
  });

  it("keeps the files' key and buckets when the stack goes: the archived forms must stay readable", () => {
    const { files } = synth.stateful;
    for (const construct of [files.key, files.photos, files.forms, files.logs]) {
      expect(synth.statefulSynth.resources[logicalId(construct)].DeletionPolicy).toBe('Retain');
    }
  });

  it('configures no CORS: cdk.json allows no browser origin in prod', () => {
    const [api] = resourcesOfType(synth.statelessSynth, 'AWS::ApiGatewayV2::Api');
    expect(api.Properties.CorsConfiguration).toBeUndefined();
  });
});

describe('an environment naming its account and region', () => {
  it('pins both stacks there, so other credentials cannot deploy it', () => {
    const context = cdkJsonContext();
    context.environments.prod.account = '123456789012';
    context.environments.prod.region = 'ap-east-1';
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'repair-cdk-'));
    const app = new App({ outdir, context: { ...context, env: 'prod', 'aws:cdk:bundling-stacks': [] } });
    const { stateful, stateless } = addRepairStacks(app, readConfig(app.node), {
      pagesDir: placeholderPages(path.join(outdir, 'pages')),
    });
    fs.rmSync(outdir, { recursive: true, force: true });
    for (const stack of [stateful, stateless]) {
      expect([stack.account, stack.region]).toEqual(['123456789012', 'ap-east-1']);
    }
  });
});
