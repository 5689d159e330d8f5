import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { FUNCTION_NAMES, type FunctionName } from '../../functions/names';
import {
  JOB_STORE_READS,
  JOB_STORE_WRITES,
  LISTING_INDEXES,
  REPORT_STORE_READS,
  REPORT_STORE_WRITES,
  WEBHOOK_STORE_ACTIONS,
} from '../../lib/job-table';
import { functionEntry } from '../../lib/paths';
import { ESM_REQUIRE_BANNER, ServiceFunction } from '../../lib/service-function';
import {
  actionsOf,
  type Json,
  logicalId,
  REPO_ROOT,
  type Synthesized,
  statementsOfFunction,
  synthApp,
} from './synth';

const PROPERTY_POLICY = { default: { quickFixWaiver: false }, properties: { B2: { quickFixWaiver: true } } };
const READ_ONLY: FunctionName[] = ['get-job', 'list-jobs', 'job-history', 'read-complaints'];
/**
 * The outbox consumer: every use case's notices are outbox messages it delivers
 * (functions/domain/outbox.ts); and the deliverer, for the managers' alert when a webhook
 * endpoint that keeps failing is disabled.
 */
const PUBLISHERS: FunctionName[] = ['outbox-stream', 'deliver-webhooks'];
/** Longer than the default 10 s: the outbox consumer's in-handler backoff pauses up to 20 s. */
const TIMEOUTS: Partial<Record<FunctionName, number>> = {
  'outbox-stream': 60,
  // The deliverer sends up to 20 deliveries of up to 10 s each in a run.
  'deliver-webhooks': 300,
};
/** The GSIs each function may Query; the others may Query none. */
const INDEX_QUERIES: Partial<Record<FunctionName, string[]>> = {
  // withNextStep too: the board (GET /jobs?open=true) and the complaint queue list from it.
  'list-jobs': ['allJobs', 'byResident', 'byStatus', 'withNextStep'],
  'read-complaints': ['allJobs', 'byResident', 'byStatus', 'withNextStep'],
  // The recall lookup before a booking, and the roster (allJobs) its technician notices address.
  'create-job': ['allJobs', 'lastSigned'],
  // The roster rules: the roster's listing, and the technician's open jobs.
  'technician-webhook': ['allJobs', 'byTechnician'],
  'assign-job': ['allJobs', 'byTechnician'],
  // A rework or follow-up booking tells the roster's pool too.
  'record-callback': ['allJobs'],
  'open-follow-up': ['allJobs'],
  // The directory's listings (properties, technicians).
  'manage-directory': ['allJobs'],
  // The webhook endpoints' listing: the follower reads it for every event, the routes list and count it.
  'outbox-stream': ['allJobs'],
  'manage-webhooks': ['allJobs'],
};
/** Who reaches the archived forms, and how (lib/repair-functions.ts FILE_USERS). */
const FORM_USES: Partial<Record<FunctionName, 'read' | 'put' | 'write'>> = {
  'get-job': 'read',
  'technician-webhook': 'put',
  'outbox-stream': 'write',
};
/** They touch only the report partitions, never a job item. */
const REPORTS: FunctionName[] = ['monthly-report', 'report-stream'];
/** The managers' directory: its own items only (lib/job-table.ts grantDirectory). */
const DIRECTORY: FunctionName = 'manage-directory';
/** Outbound webhooks: the endpoints' partitions only (lib/job-table.ts grantWebhookStore); outbox-stream also follows jobs. */
const WEBHOOKS: FunctionName[] = ['manage-webhooks', 'deliver-webhooks'];
const WEBHOOK_STORE_USERS: FunctionName[] = ['outbox-stream', ...WEBHOOKS];
const WRITERS = FUNCTION_NAMES.filter(
  (n) =>
    !READ_ONLY.includes(n) &&
    !REPORTS.includes(n) &&
    n !== 'openapi' &&
    n !== DIRECTORY &&
    !WEBHOOKS.includes(n),
);

let synth: Synthesized;

beforeAll(() => {
  synth = synthApp(
    {
      propertyPolicy: PROPERTY_POLICY,
      logRetentionDays: 60,
      logLevel: 'WARN',
      staffLocale: 'en',
      timeZone: 'Europe/London',
      bookingsPerHour: 4,
    },
    { bundle: true },
  );
});
afterAll(() => synth.cleanup());

const resources = () => synth.statelessSynth.resources;
const resourceOf = (name: FunctionName): Json => resources()[logicalId(synth.stateless.functions.get(name))];
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
    // Besides them only CDK's own: the site's deployment and the log bucket's emptying on delete.
    const ours = FUNCTION_NAMES.map((name) => logicalId(synth.stateless.functions.get(name)));
    const others = Object.keys(synth.statelessSynth.template.findResources('AWS::Lambda::Function')).filter(
      (id) => !ours.includes(id),
    );
    expect(others.map((id) => id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual([
      'CustomCDKBucketDeployment8693BB64968944B69AAFB0CC9EB8756C512MiB',
      'CustomS3AutoDeleteObjectsCustomResourceProviderHandler',
    ]);
  });

  it.each(FUNCTION_NAMES)('%s runs on Node 22 arm64 with tracing, 512 MB, 10 s and source maps', (name) => {
    expect(resourceOf(name).Properties).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: 512,
      Timeout: TIMEOUTS[name] ?? 10,
      TracingConfig: { Mode: 'Active' },
    });
    expect(resourceOf(name).Properties.ReservedConcurrentExecutions).toBeUndefined();
    expect(envOf(name)).toMatchObject({ TABLE_NAME: { Ref: logicalId(synth.stateful.jobTable.table) } });
    // Source maps would cost every cold start and serve no log line (errors are logged by name).
    expect(envOf(name)).not.toHaveProperty('NODE_OPTIONS');
  });

  it.each(FUNCTION_NAMES)('%s has Powertools and the domain settings from context', (name) => {
    expect(envOf(name)).toMatchObject({
      POWERTOOLS_SERVICE_NAME: 'home-repair',
      POWERTOOLS_METRICS_NAMESPACE: 'HomeRepair',
      POWERTOOLS_LOG_LEVEL: 'WARN',
      TIME_ZONE: 'Europe/London',
      STAFF_LOCALE: 'en',
    });
  });

  it.each(FUNCTION_NAMES)('%s logs to its own log group kept as long as context says', (name) => {
    const logGroupId = resourceOf(name).Properties.LoggingConfig.LogGroup.Ref;
    expect(resources()[logGroupId]).toMatchObject({
      Type: 'AWS::Logs::LogGroup',
      Properties: { RetentionInDays: 60 },
    });
  });

  it.each(FUNCTION_NAMES)('%s has its own role: no managed policy, logs to its own group only', (name) => {
    const fn = synth.stateless.functions.get(name);
    const role = resources()[logicalId(fn.serviceRole)];
    expect(resourceOf(name).Properties.Role).toEqual({ 'Fn::GetAtt': [logicalId(fn.serviceRole), 'Arn'] });
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    const logs = statementsOf(name).filter((s) => s.actions.some((a) => a.startsWith('logs:')));
    expect(logs).toEqual([
      {
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [{ 'Fn::GetAtt': [resourceOf(name).Properties.LoggingConfig.LogGroup.Ref, 'Arn'] }],
      },
    ]);
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
    const { topics } = synth.stateful;
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

  it('pass the property policy seed from context to every function on jobs or the directory, and no other', () => {
    for (const name of FUNCTION_NAMES) {
      const policy = envOf(name).PROPERTY_POLICY;
      if (![...REPORTS, 'openapi', ...WEBHOOKS].includes(name)) {
        expect(JSON.parse(policy)).toEqual(PROPERTY_POLICY);
      } else {
        expect(policy).toBeUndefined();
      }
    }
  });

  it("tell only create-job the booking quota, only the platform's two routes the secret", () => {
    // The state machines' ARNs: test/cdk/workflow.test.ts.
    for (const name of FUNCTION_NAMES) {
      expect('BOOKINGS_PER_HOUR' in envOf(name)).toBe(name === 'create-job');
      expect('TECH_WEBHOOK_SECRET_ARN' in envOf(name)).toBe(
        ['technician-webhook', 'add-photo'].includes(name),
      );
    }
    expect(envOf('create-job').BOOKINGS_PER_HOUR).toBe('4');
    expect(envOf('technician-webhook').TECH_WEBHOOK_SECRET_ARN).toEqual({
      Ref: logicalId(synth.stateful.webhookSecret.secret),
    });
  });
});

describe('function grants', () => {
  const tableArn = () => ({ 'Fn::GetAtt': [logicalId(synth.stateful.jobTable.table), 'Arn'] });
  const dynamodbOf = (name: FunctionName) =>
    statementsOf(name).filter((s) => s.actions.some((a) => a.startsWith('dynamodb:')));

  it.each(FUNCTION_NAMES)('%s is told only variables that functions/config.ts or Powertools read', (name) => {
    const config = fs.readFileSync(path.join(REPO_ROOT, 'functions', 'config.ts'), 'utf8');
    const read = [...config.matchAll(/^\s+([A-Z][A-Z_]+): /gm)].map((m) => m[1]);
    const unread = Object.keys(envOf(name)).filter(
      (key) => !key.startsWith('POWERTOOLS_') && !read.includes(key),
    );
    expect(unread).toEqual([]);
  });

  it.each(READ_ONLY)('%s may only read the table: GetItem and Query, no Scan', (name) => {
    expect(dynamodbOf(name)[0]).toEqual({ actions: [...JOB_STORE_READS].sort(), resources: [tableArn()] });
    // get-job also presigns the photos' download URLs: its S3 and key rights are checked below.
    const files = name === 'get-job' ? ['s3:GetObject', 'kms:Decrypt'] : [];
    expect(
      actionsOf(statementsOf(name)).filter((a) => !/^(dynamodb|xray|logs):/.test(a) && !files.includes(a)),
    ).toEqual([]);
    expect(actionsOf(dynamodbOf(name)).filter((a) => !JOB_STORE_READS.includes(a))).toEqual([]);
  });

  it.each(FUNCTION_NAMES)('%s may Query exactly the indexes it reads, each named', (name) => {
    const indexes = dynamodbOf(name).filter((s) => JSON.stringify(s.resources).includes('/index/'));
    expect(indexes.flatMap((s) => s.actions)).toEqual(indexes.length ? ['dynamodb:Query'] : []);
    const suffixes = indexes.flatMap((s) => s.resources.map((r: Json) => r['Fn::Join'][1][1]));
    expect(suffixes.sort()).toEqual((INDEX_QUERIES[name] ?? []).map((index) => `/index/${index}`));
  });

  it('keep the recall index out of the listings', () => {
    expect(LISTING_INDEXES).not.toContain('lastSigned');
  });

  it('openapi touches no data at all', () => {
    expect(actionsOf(statementsOf('openapi')).filter((a) => !/^(xray|logs):/.test(a))).toEqual([]);
  });

  it.each(WRITERS)('%s may read and write job and complaint items, never delete or scan', (name) => {
    // A stream consumer's reading of the stream (its ARN, and ListStreams on *) is checked apart, and
    // so is the webhook store's grant (DeleteItem on the endpoints' partitions only).
    const onItems = (s: Json) =>
      !/\/index\/|StreamArn|^\["\*"\]$/.test(JSON.stringify(s.resources)) &&
      !s.actions.includes('dynamodb:DeleteItem');
    expect(dynamodbOf(name).filter(onItems)).toEqual([
      { actions: [...JOB_STORE_READS, ...JOB_STORE_WRITES].sort(), resources: [tableArn()] },
    ]);
  });

  it('grant exactly the DynamoDB calls the job and complaint stores make', () => {
    const source = ['dynamo-table.ts', 'dynamo-job-store.ts', 'dynamo-complaint-store.ts']
      .map((file) => fs.readFileSync(path.join(REPO_ROOT, 'functions/adapters', file), 'utf8'))
      .join('\n');
    const commands: Record<string, string[]> = {
      GetCommand: ['dynamodb:GetItem'],
      QueryCommand: ['dynamodb:Query'],
      PutCommand: ['dynamodb:PutItem'],
      UpdateCommand: ['dynamodb:UpdateItem'],
      DeleteCommand: ['dynamodb:DeleteItem'],
      ScanCommand: ['dynamodb:Scan'],
      TransactWriteCommand: [],
    };
    const used = [...source.matchAll(/new (\w+Command)\(/g)].map((m) => m[1] as string);
    for (const command of used) expect(Object.keys(commands)).toContain(command);
    const transactItems = [...source.matchAll(/\b(Put|Update|Delete|ConditionCheck): \{/g)].map(
      (m) => `dynamodb:${m[1]}Item`,
    );
    const needed = new Set([...used.flatMap((c) => commands[c] ?? []), ...transactItems]);
    expect([...needed].sort()).toEqual([...JOB_STORE_READS, ...JOB_STORE_WRITES].sort());
  });

  /** The role's Allow statements on the table itself, with their conditions. */
  const tableStatementsOf = (name: FunctionName): Json[] => {
    const role = logicalId(synth.stateless.functions.get(name).serviceRole);
    return Object.values(resources())
      .filter(
        (r: Json) => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((x: Json) => x.Ref === role),
      )
      .flatMap((r: Json) => r.Properties.PolicyDocument.Statement)
      .filter((st: Json) => JSON.stringify(st.Resource) === JSON.stringify(tableArn()));
  };
  const onlyPartitions = (...patterns: string[]) => ({
    'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': patterns },
  });

  it('monthly-report may only Query the report partitions of the base table', () => {
    expect(tableStatementsOf('monthly-report')).toEqual([
      {
        Effect: 'Allow',
        Action: 'dynamodb:Query',
        Resource: tableArn(),
        Condition: onlyPartitions('REPORT#*'),
      },
    ]);
    expect(actionsOf(statementsOf('monthly-report')).filter((a) => !/^(xray|logs):/.test(a))).toEqual([
      ...REPORT_STORE_READS,
    ]);
  });

  it('manage-directory may only read and put the properties and technicians, and list them', () => {
    expect(tableStatementsOf('manage-directory')).toEqual([
      {
        Effect: 'Allow',
        Action: ['dynamodb:GetItem', 'dynamodb:PutItem'],
        Resource: tableArn(),
        Condition: onlyPartitions('PROPERTY#*', 'TECHNICIAN#*'),
      },
    ]);
    expect(
      actionsOf(statementsOf('manage-directory'))
        .filter((a) => !/^(xray|logs):/.test(a))
        .sort(),
    ).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query']);
  });

  it('report-stream may only add to the report partitions and its markers, and read the table stream', () => {
    const stream = { 'Fn::GetAtt': [logicalId(synth.stateful.jobTable.table), 'StreamArn'] };
    expect(tableStatementsOf('report-stream')).toEqual([
      {
        Effect: 'Allow',
        Action: [...REPORT_STORE_WRITES].sort(),
        Resource: tableArn(),
        Condition: onlyPartitions('REPORT#*', 'APPLIED#*'),
      },
    ]);
    const dynamodb = dynamodbOf('report-stream').filter((st) => !st.actions.some((a) => a.endsWith('Item')));
    expect(dynamodb).toEqual([
      // CDK merges the unscoped X-Ray actions into the same statement.
      {
        actions: ['dynamodb:ListStreams', 'xray:PutTelemetryRecords', 'xray:PutTraceSegments'],
        resources: ['*'],
      },
      {
        actions: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
        resources: [stream],
      },
    ]);
    expect(actionsOf(statementsOf('report-stream'))).not.toContain('dynamodb:Scan');
  });

  it('cover every DynamoDB call the report store makes', () => {
    const source = fs.readFileSync(path.join(REPO_ROOT, 'functions/adapters/dynamo-report-store.ts'), 'utf8');
    const used = [...source.matchAll(/new (\w+Command)\(/g)].map((m) => m[1] as string);
    const transactItems = [...source.matchAll(/\b(Put|Update|Delete|ConditionCheck): \{/g)].map(
      (m) => `dynamodb:${m[1]}Item`,
    );

    expect(used.sort()).toEqual(['QueryCommand', 'TransactWriteCommand']);
    expect(transactItems.sort()).toEqual([...REPORT_STORE_WRITES].sort());
  });

  it.each(WEBHOOK_STORE_USERS)(
    '%s may use the webhook endpoints partitions only, and invoke the deliverer and nothing else',
    (name) => {
      expect(tableStatementsOf(name)).toContainEqual({
        Effect: 'Allow',
        Action: [...WEBHOOK_STORE_ACTIONS].sort(),
        Resource: tableArn(),
        Condition: onlyPartitions('WEBHOOK#*'),
      });
      const invoked = statementsOf(name).filter((s) => s.actions.includes('lambda:InvokeFunction'));
      expect(invoked).toHaveLength(1);
      expect(JSON.stringify(invoked[0]?.resources)).toContain(':function:home-repair-dev-deliver-webhooks');
      if (name !== 'deliver-webhooks') {
        expect(actionsOf(statementsOf(name)).filter((a) => /^(scheduler|iam):/.test(a))).toEqual([]);
      }
    },
  );

  it('only the deliverer creates schedules, in its own group, and passes the scheduler role to Scheduler only', () => {
    const statements = statementsOf('deliver-webhooks');
    const create = statements.find((s) => s.actions.includes('scheduler:CreateSchedule'));
    expect(create?.actions).toEqual(['scheduler:CreateSchedule']);
    expect(JSON.stringify(create?.resources)).toContain(':schedule/home-repair-dev-webhook-retries/*');
    const role = synth.stateless.functions.webhookDelivery.schedulerRole;
    const passRole = Object.values(resources())
      .filter((r: Json) => r.Type === 'AWS::IAM::Policy')
      .flatMap((r: Json) => r.Properties.PolicyDocument.Statement)
      .filter((st: Json) => st.Action === 'iam:PassRole');
    expect(passRole).toEqual([
      {
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: { 'Fn::GetAtt': [logicalId(role), 'Arn'] },
        Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      },
    ]);
    expect(envOf('deliver-webhooks')).toMatchObject({
      DELIVERY_SCHEDULE_GROUP: 'home-repair-dev-webhook-retries',
      DELIVERY_SCHEDULER_ROLE_ARN: { 'Fn::GetAtt': [logicalId(role), 'Arn'] },
    });
    expect(envOf('deliver-webhooks')).not.toHaveProperty('WEBHOOK_TARGETS');
  });

  it('the scheduler role may invoke the deliverer only, assumed by Scheduler from this account', () => {
    const role = resources()[logicalId(synth.stateless.functions.webhookDelivery.schedulerRole)];
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      expect.objectContaining({
        Principal: { Service: 'scheduler.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      }),
    ]);
    const policies = Object.values(resources()).filter(
      (r: Json) =>
        r.Type === 'AWS::IAM::Policy' &&
        r.Properties.Roles.some(
          (x: Json) => x.Ref === logicalId(synth.stateless.functions.webhookDelivery.schedulerRole),
        ),
    );
    const statements = policies.flatMap((r: Json) => r.Properties.PolicyDocument.Statement);
    expect(statements.map((st: Json) => st.Action)).toEqual(['lambda:InvokeFunction']);
  });

  it('the deliverer is named, so its ARN is known to itself and to its callers, and its failed runs go to a queue', () => {
    expect(resourceOf('deliver-webhooks').Properties.FunctionName).toBe('home-repair-dev-deliver-webhooks');
    const config = Object.values(resources()).find((r: Json) => r.Type === 'AWS::Lambda::EventInvokeConfig');
    expect(config?.Properties).toMatchObject({
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: expect.anything() } },
    });
  });

  it('only the publishers may publish, to exactly the three topics, with the topics key', () => {
    const { topics } = synth.stateful;
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
        // The photo functions' key rights are the buckets' key's (checked below), not the topics'.
        const topicsKey = { 'Fn::GetAtt': [logicalId(topics.key), 'Arn'] };
        expect(
          statements.filter((s) => JSON.stringify(s.resources).includes(JSON.stringify(topicsKey))),
        ).toEqual([]);
      }
    }
  });
});

describe('ServiceFunction', () => {
  it("merges the caller's environment into the defaults instead of replacing them", () => {
    const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Probe');
    new ServiceFunction(stack, 'Probe', {
      entry: functionEntry('openapi'),
      environment: { FOO: 'bar', POWERTOOLS_LOG_LEVEL: 'DEBUG' },
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: {
          POWERTOOLS_SERVICE_NAME: 'home-repair',
          POWERTOOLS_METRICS_NAMESPACE: 'HomeRepair',
          POWERTOOLS_LOG_LEVEL: 'DEBUG',
          FOO: 'bar',
        },
      },
    });
  });
});

describe('the forms bucket', () => {
  const s3Of = (name: FunctionName) =>
    statementsOf(name).filter(
      (s) => s.actions.some((a) => a.startsWith('s3:')) && JSON.stringify(s.resources).includes('FilesForms'),
    );
  // The files' key only: a publisher also holds the topics key's actions.
  const kmsOf = (name: FunctionName) =>
    actionsOf(statementsOf(name).filter((s) => JSON.stringify(s.resources).includes('FilesKey'))).filter(
      (a) => a.startsWith('kms:'),
    );
  const EXPECTED = {
    read: { s3: ['s3:GetObject'], kms: ['kms:Decrypt'] },
    put: { s3: ['s3:PutObject'], kms: ['kms:GenerateDataKey'] },
    write: { s3: ['s3:GetObject', 's3:PutObject'], kms: ['kms:Decrypt', 'kms:GenerateDataKey'] },
  };

  it.each(FUNCTION_NAMES)(
    '%s has exactly the object actions its use needs, on the forms bucket only',
    (name) => {
      const use = FORM_USES[name];
      const s3 = s3Of(name);
      expect(actionsOf(s3).sort()).toEqual(use ? EXPECTED[use].s3 : []);
      for (const s of s3) expect(JSON.stringify(s.resources)).toMatch(/FilesForms.*\/\*/);
      if (use) expect(kmsOf(name).sort()).toEqual(EXPECTED[use].kms);
    },
  );

  it.each(FUNCTION_NAMES)('%s is told the forms bucket exactly when it uses it', (name) => {
    expect('FORMS_BUCKET' in envOf(name)).toBe(name in FORM_USES);
  });

  it('gives the outbox stream the font beside its bundle, and only it', () => {
    for (const name of FUNCTION_NAMES) {
      if (name === 'outbox-stream')
        expect(envOf(name).FORM_FONT_FILE).toBe('/var/task/NotoSansSC-GB2312.ttf');
      else expect(envOf(name)).not.toHaveProperty('FORM_FONT_FILE');
    }
  });
});

describe('the photos', () => {
  const photos = () => synth.stateful.files.photos;
  const objects = (keys: string) => ({
    'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalId(photos()), 'Arn'] }, `/${keys}`]],
  });
  // The forms bucket's grants are checked above; here only the statements on the photos bucket.
  // CDK may merge a statement's resources across buckets, so each is narrowed to this bucket's.
  const s3Of = (name: FunctionName) =>
    statementsOf(name)
      .filter((s) => s.actions.some((a) => a.startsWith('s3:')))
      .map((s) => ({
        ...s,
        resources: s.resources.filter((r) => JSON.stringify(r).includes(logicalId(photos()))),
      }))
      .filter((s) => s.resources.length > 0);

  it('are reached by exactly their three functions, each on its own keys, object actions only', () => {
    expect(s3Of('get-job')).toEqual([{ actions: ['s3:GetObject'], resources: [objects('photos/*')] }]);
    expect(s3Of('add-photo')).toEqual([{ actions: ['s3:PutObject'], resources: [objects('uploads/*')] }]);
    expect(s3Of('check-photo')).toEqual([
      { actions: ['s3:DeleteObject', 's3:GetObject'], resources: [objects('uploads/*')] },
      { actions: ['s3:PutObject'], resources: [objects('photos/*')] },
    ]);
    const others = FUNCTION_NAMES.filter((n) => !['get-job', 'add-photo', 'check-photo'].includes(n));
    for (const name of others) expect(s3Of(name)).toEqual([]);
  });

  it("use the buckets' key only as they must: decrypt to read, a data key to write", () => {
    const key = { 'Fn::GetAtt': [logicalId(synth.stateful.files.key), 'Arn'] };
    const keyRights = (name: FunctionName) =>
      statementsOf(name).filter((s) => JSON.stringify(s.resources) === JSON.stringify([key]));
    expect(keyRights('get-job')).toEqual([{ actions: ['kms:Decrypt'], resources: [key] }]);
    expect(keyRights('add-photo')).toEqual([{ actions: ['kms:GenerateDataKey'], resources: [key] }]);
    expect(keyRights('check-photo')).toEqual([
      { actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [key] },
    ]);
  });

  it('tell check-photo of every upload through EventBridge; what it fails on goes to its queue', () => {
    const rules = Object.values(synth.statelessSynth.resources).filter(
      (r: Json) => r.Type === 'AWS::Events::Rule',
    );
    expect(rules).toHaveLength(1);
    const rule = rules[0] as Json;
    expect(rule.Properties.EventPattern).toEqual({
      source: ['aws.s3'],
      'detail-type': ['Object Created'],
      detail: { bucket: { name: [{ Ref: logicalId(photos()) }] }, object: { key: [{ prefix: 'uploads/' }] } },
    });
    const [target] = rule.Properties.Targets;
    expect(target.Arn).toEqual({
      'Fn::GetAtt': [logicalId(synth.stateless.functions.get('check-photo')), 'Arn'],
    });
    expect(target.RetryPolicy).toEqual({ MaximumEventAgeInSeconds: 7200, MaximumRetryAttempts: 8 });
    const failures = { 'Fn::GetAtt': [logicalId(synth.stateful.photoCheckFailures.queue), 'Arn'] };
    const checkPhoto = { Ref: logicalId(synth.stateless.functions.get('check-photo')) };
    const [config] = Object.values(synth.statelessSynth.resources).filter(
      (r: Json) =>
        r.Type === 'AWS::Lambda::EventInvokeConfig' &&
        JSON.stringify(r.Properties.FunctionName) === JSON.stringify(checkPhoto),
    ) as Json[];
    expect(config.Properties).toMatchObject({
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: failures } },
    });
  });
});
