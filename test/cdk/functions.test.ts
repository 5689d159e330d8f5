import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { FUNCTION_NAMES, type FunctionName } from '../../functions/names';
import { functionEntry } from '../../lib/paths';
import { ESM_REQUIRE_BANNER, ServiceFunction } from '../../lib/service-function';
import {
  actionsOf,
  type Json,
  logicalId,
  REPO_ROOT,
  type Synthesized,
  statementsOfFunction,
  synthRepairStack,
} from './synth';

const PROPERTY_POLICY = { default: { quickFixWaiver: false }, 'tower-b': { quickFixWaiver: true } };
const READ_ONLY: FunctionName[] = ['get-job', 'list-jobs', 'job-history'];
const PUBLISHERS: FunctionName[] = ['create-job', 'cancel-job', 'record-callback', 'technician-webhook'];
const DYNAMODB_READS = [
  'dynamodb:BatchGetItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
  'dynamodb:GetItem',
  'dynamodb:GetRecords',
  'dynamodb:GetShardIterator',
  'dynamodb:Query',
  'dynamodb:Scan',
];

let synth: Synthesized;

beforeAll(() => {
  synth = synthRepairStack({ propertyPolicy: PROPERTY_POLICY }, { bundle: true });
});
afterAll(() => synth.cleanup());

const resourceOf = (name: FunctionName): Json => synth.resources[logicalId(synth.stack.functions.get(name))];
const envOf = (name: FunctionName): Record<string, Json> => resourceOf(name).Properties.Environment.Variables;
const statementsOf = (name: FunctionName) => statementsOfFunction(synth, name);

describe('functions', () => {
  it('exist once for every entry point under functions/', () => {
    // Every folder under functions/ is one Lambda, except the shared layers (design.md).
    const shared = ['adapters', 'domain', 'http'];
    const handlers = fs
      .readdirSync(path.join(REPO_ROOT, 'functions'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && !shared.includes(entry.name))
      .map((entry) => entry.name);
    expect([...FUNCTION_NAMES].sort()).toEqual(handlers.sort());
    synth.template.resourceCountIs('AWS::Lambda::Function', FUNCTION_NAMES.length);
  });

  it.each(FUNCTION_NAMES)('%s runs on Node 22 arm64 with tracing, 512 MB, 10 s and source maps', (name) => {
    expect(resourceOf(name).Properties).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: 512,
      Timeout: 10,
      TracingConfig: { Mode: 'Active' },
    });
    expect(envOf(name).NODE_OPTIONS).toBe('--enable-source-maps');
    expect(envOf(name).TABLE_NAME).toEqual({ Ref: logicalId(synth.stack.jobTable.table) });
  });

  it.each(FUNCTION_NAMES)('%s logs to its own log group kept for a month', (name) => {
    const logGroupId = resourceOf(name).Properties.LoggingConfig.LogGroup.Ref;
    expect(synth.resources[logGroupId]).toMatchObject({
      Type: 'AWS::Logs::LogGroup',
      Properties: { RetentionInDays: 30 },
    });
  });

  it.each(FUNCTION_NAMES)('%s is bundled as ESM with the require shim and a source map', (name) => {
    const assetDir = path.join(
      synth.assemblyDir,
      `asset.${resourceOf(name).Properties.Code.S3Key.replace(/\.zip$/, '')}`,
    );
    expect(fs.readFileSync(path.join(assetDir, 'index.mjs'), 'utf8').startsWith(ESM_REQUIRE_BANNER)).toBe(
      true,
    );
    expect(fs.existsSync(path.join(assetDir, 'index.mjs.map'))).toBe(true);
  });

  it('tell the publishers the three topic ARNs and no one else', () => {
    const { topics } = synth.stack;
    for (const name of FUNCTION_NAMES) {
      const env = envOf(name);
      if (PUBLISHERS.includes(name)) {
        expect(env).toMatchObject({
          ALERTS_TOPIC_ARN: { Ref: logicalId(topics.alerts) },
          RESIDENTS_TOPIC_ARN: { Ref: logicalId(topics.residents) },
          TECHNICIANS_TOPIC_ARN: { Ref: logicalId(topics.technicians) },
        });
      } else {
        expect(Object.keys(env).filter((key) => key.endsWith('_TOPIC_ARN'))).toEqual([]);
      }
    }
  });

  it('pass the property policy from context to technician-webhook and workflow-step only', () => {
    for (const name of FUNCTION_NAMES) {
      const policy = envOf(name).PROPERTY_POLICY;
      if (name === 'technician-webhook' || name === 'workflow-step') {
        expect(JSON.parse(policy)).toEqual(PROPERTY_POLICY);
      } else {
        expect(policy).toBeUndefined();
      }
    }
  });

  it('tell only create-job the state machine and only technician-webhook the secret', () => {
    for (const name of FUNCTION_NAMES) {
      expect('STATE_MACHINE_ARN' in envOf(name)).toBe(name === 'create-job');
      expect('TECH_WEBHOOK_SECRET_ARN' in envOf(name)).toBe(name === 'technician-webhook');
    }
    expect(envOf('technician-webhook').TECH_WEBHOOK_SECRET_ARN).toEqual({
      Ref: logicalId(synth.stack.webhookSecret.secret),
    });
  });
});

describe('function grants', () => {
  it.each(READ_ONLY)('%s may only read the table (and its indexes)', (name) => {
    const dynamodb = actionsOf(statementsOf(name)).filter((a) => a.startsWith('dynamodb:'));
    expect(dynamodb.length).toBeGreaterThan(0);
    expect(dynamodb.filter((a) => !DYNAMODB_READS.includes(a))).toEqual([]);
  });

  it.each(READ_ONLY)('%s can do nothing beyond reading the table and tracing', (name) => {
    const other = actionsOf(statementsOf(name)).filter((a) => !/^(dynamodb|xray):/.test(a));
    expect(other).toEqual([]);
  });

  it('openapi touches no data at all', () => {
    expect(actionsOf(statementsOf('openapi')).filter((a) => !a.startsWith('xray:'))).toEqual([]);
  });

  it.each(FUNCTION_NAMES.filter((n) => !READ_ONLY.includes(n) && n !== 'openapi'))(
    '%s may write the table',
    (name) => {
      expect(actionsOf(statementsOf(name))).toEqual(
        expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem']),
      );
    },
  );

  it('only the publishers may publish, to exactly the three topics, with the topics key', () => {
    const { topics } = synth.stack;
    for (const name of FUNCTION_NAMES) {
      const statements = statementsOf(name);
      const published = statements
        .filter((s) => s.actions.includes('sns:Publish'))
        .flatMap((s) => s.resources);
      if (PUBLISHERS.includes(name)) {
        expect(published).toEqual(topics.all.map((topic) => ({ Ref: logicalId(topic) })));
        expect(statements).toContainEqual({
          actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          resources: [{ 'Fn::GetAtt': [logicalId(topics.key), 'Arn'] }],
        });
      } else {
        expect(published).toEqual([]);
      }
    }
  });
});

describe('ServiceFunction', () => {
  it("merges the caller's environment into the defaults instead of replacing them", () => {
    const stack = new Stack(new App(), 'Probe');
    new ServiceFunction(stack, 'Probe', { entry: functionEntry('openapi'), environment: { FOO: 'bar' } });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: {
          NODE_OPTIONS: '--enable-source-maps',
          POWERTOOLS_SERVICE_NAME: 'home-repair',
          FOO: 'bar',
        },
      },
    });
  });
});
