import { Match } from 'aws-cdk-lib/assertions';
import { FUNCTION_NAMES } from '../../functions/names';
import { tableDefinition } from '../../local/table';
import {
  actionsOf,
  type Json,
  logicalId,
  resourcesOfType,
  type Synthesized,
  statementsOfFunction,
  synthApp,
} from './synth';

const RECIPIENTS = [
  { email: 'ops@example.com' },
  { email: 'agents@example.com', types: ['callback.reminder', 'sla.callback_missed'] },
  { sms: '+8613800138000' },
  { sms: '+8613900139000', severities: ['critical', 'warning'] },
];

let synth: Synthesized;

beforeAll(() => {
  synth = synthApp({ alertRecipients: RECIPIENTS });
});
afterAll(() => synth.cleanup());

const template = () => synth.statefulSynth.template;
const resources = () => synth.statefulSynth.resources;
const getAttArn = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });

describe('jobs table', () => {
  it('is the only table, keyed pk/sk, on demand, with PITR, encryption and a ttl attribute', () => {
    template().resourceCountIs('AWS::DynamoDB::Table', 1);
    template().hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
    });
  });

  it('streams every change with the item before and after it, for the report consumer, as the local table does', () => {
    template().hasResourceProperties('AWS::DynamoDB::Table', {
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
    });
    expect(tableDefinition('local').StreamSpecification).toEqual({
      StreamEnabled: true,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    });
  });

  it('goes with a dev stack: no deletion protection, deleted with it', () => {
    template().hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({ DeletionProtectionEnabled: false }),
    });
  });

  it('has the GSIs of the listings and the sparse next-step, last-signed and by-technician indexes, projecting all attributes', () => {
    const [table] = resourcesOfType(synth.statefulSynth, 'AWS::DynamoDB::Table');
    const indexes = Object.fromEntries(
      table.Properties.GlobalSecondaryIndexes.map((gsi: Json) => [gsi.IndexName, gsi]),
    );
    expect(Object.keys(indexes).sort()).toEqual([
      'allJobs',
      'byResident',
      'byStatus',
      'byTechnician',
      'lastSigned',
      'withNextStep',
    ]);
    const expectIndex = (name: string, pk: string, sk: string) =>
      expect(indexes[name]).toEqual({
        IndexName: name,
        KeySchema: [
          { AttributeName: pk, KeyType: 'HASH' },
          { AttributeName: sk, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      });
    expectIndex('byResident', 'gsi1pk', 'gsi1sk');
    expectIndex('byStatus', 'gsi2pk', 'gsi2sk');
    expectIndex('allJobs', 'gsi3pk', 'gsi3sk');
    expectIndex('withNextStep', 'gsi4pk', 'gsi4sk');
    // The recall lookup: a unit's last signed job of a category (sparse: signed jobs only).
    expectIndex('lastSigned', 'gsi5pk', 'gsi5sk');
    // The roster's maxOpenJobs count: the jobs a technician holds (sparse: held jobs only).
    expectIndex('byTechnician', 'gsi6pk', 'gsi6sk');
    expect(table.Properties.AttributeDefinitions).toHaveLength(14);
  });
});

describe('stream and delivery failures', () => {
  it('are the only other queues (with the photo checks that failed for good)', () => {
    template().resourceCountIs('AWS::SQS::Queue', 5);
  });

  it.each([
    'reportStreamFailures',
    'outboxStreamFailures',
    'webhookDeliveryFailures',
    'photoCheckFailures',
  ] as const)('%s: SQS-managed encryption, kept 14 days, TLS only', (name) => {
    const queue = synth.stateful[name].queue;
    expect(resources()[logicalId(queue)].Properties).toEqual({
      MessageRetentionPeriod: 14 * 24 * 3600,
      SqsManagedSseEnabled: true,
    });
    template().hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: logicalId(queue) }],
      PolicyDocument: {
        Statement: [
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ],
      },
    });
  });
});

describe('notification topics', () => {
  it('are exactly three, all encrypted with the one rotating customer key', () => {
    const { topics } = synth.stateful;
    template().resourceCountIs('AWS::SNS::Topic', 3);
    // The topics' key and the files' (lib/file-buckets.ts).
    template().resourceCountIs('AWS::KMS::Key', 2);
    expect(resources()[logicalId(topics.key)].Properties).toMatchObject({
      EnableKeyRotation: true,
      PendingWindowInDays: 7,
    });
    for (const topic of topics.all) {
      expect(resources()[logicalId(topic)].Properties.KmsMasterKeyId).toEqual(
        getAttArn(logicalId(topics.key)),
      );
    }
  });

  it('refuse publishing without TLS', () => {
    for (const topic of synth.stateful.topics.all) {
      template().hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [{ Ref: logicalId(topic) }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 'sns:Publish',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    }
  });

  // CloudWatch alarms publish as cloudwatch.amazonaws.com: the alerts topic and its key must admit it.
  const alarmSource = {
    StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
    ArnLike: {
      'aws:SourceArn': {
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':cloudwatch:',
            { Ref: 'AWS::Region' },
            ':',
            { Ref: 'AWS::AccountId' },
            ':alarm:home-repair-dev-*',
          ],
        ],
      },
    },
  };

  it("let this environment's alarms publish to the alerts topic, and to no other topic", () => {
    const { topics } = synth.stateful;
    const cloudwatchStatements = (topicId: string) =>
      resourcesOfType(synth.statefulSynth, 'AWS::SNS::TopicPolicy')
        .filter((p) => p.Properties.Topics[0].Ref === topicId)
        .flatMap((p) => p.Properties.PolicyDocument.Statement)
        .filter((s: Json) => s.Principal?.Service === 'cloudwatch.amazonaws.com');
    expect(cloudwatchStatements(logicalId(topics.alerts))).toEqual([
      {
        Sid: 'CloudWatchAlarmsPublish',
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: 'sns:Publish',
        Resource: { Ref: logicalId(topics.alerts) },
        Condition: alarmSource,
      },
    ]);
    expect(cloudwatchStatements(logicalId(topics.residents))).toEqual([]);
    expect(cloudwatchStatements(logicalId(topics.technicians))).toEqual([]);
  });

  it("let this environment's alarms use the key, and nothing else from CloudWatch", () => {
    const key = resources()[logicalId(synth.stateful.topics.key)];
    const cloudwatch = key.Properties.KeyPolicy.Statement.filter(
      (s: Json) => s.Principal?.Service === 'cloudwatch.amazonaws.com',
    );
    expect(cloudwatch).toEqual([
      {
        Sid: 'CloudWatchAlarmsUseKey',
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Resource: '*',
        Condition: alarmSource,
      },
    ]);
  });
});

describe('alert subscriptions', () => {
  const subscriptions = () => resourcesOfType(synth.statefulSynth, 'AWS::SNS::Subscription');
  const dlqArn = () => getAttArn(logicalId(synth.stateful.alertSubscriptions.deadLetterQueue));

  it('subscribe every recipient from context to the alerts topic only', () => {
    const alerts = { Ref: logicalId(synth.stateful.topics.alerts) };
    expect(
      subscriptions().map((s) => [s.Properties.Protocol, s.Properties.Endpoint, s.Properties.TopicArn]),
    ).toEqual([
      ['email', 'ops@example.com', alerts],
      ['email', 'agents@example.com', alerts],
      ['sms', '+8613800138000', alerts],
      ['sms', '+8613900139000', alerts],
    ]);
  });

  it('filter on severity and type: SMS critical only by default, email everything', () => {
    expect(subscriptions().map((s) => [s.Properties.Endpoint, s.Properties.FilterPolicy])).toEqual([
      // Unfiltered, so it also receives the CloudWatch alarms (they carry no attributes).
      ['ops@example.com', undefined],
      ['agents@example.com', { type: ['callback.reminder', 'sla.callback_missed'] }],
      ['+8613800138000', { severity: ['critical'] }],
      ['+8613900139000', { severity: ['critical', 'warning'] }],
    ]);
  });

  it('send what SNS cannot deliver to the dead-letter queue', () => {
    for (const subscription of subscriptions()) {
      expect(subscription.Properties.RedrivePolicy).toEqual({ deadLetterTargetArn: dlqArn() });
    }
  });

  it('have a dead-letter queue encrypted with the topics key, kept 14 days, TLS only', () => {
    const { topics, alertSubscriptions } = synth.stateful;
    expect(resources()[logicalId(alertSubscriptions.deadLetterQueue)].Properties).toMatchObject({
      KmsMasterKeyId: getAttArn(logicalId(topics.key)),
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
    template().hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: logicalId(alertSubscriptions.deadLetterQueue) }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'sns.amazonaws.com' },
            Action: 'sqs:SendMessage',
            Condition: { ArnEquals: { 'aws:SourceArn': { Ref: logicalId(topics.alerts) } } },
          }),
        ]),
      },
    });
  });

  it('let SNS use the key for the dead-letter queue on behalf of the alerts topic only', () => {
    const key = resources()[logicalId(synth.stateful.topics.key)];
    const sns = key.Properties.KeyPolicy.Statement.filter(
      (s: Json) => s.Principal?.Service === 'sns.amazonaws.com',
    );
    expect(sns).toEqual([
      {
        Sid: 'AlertsDeadLetterQueue',
        Effect: 'Allow',
        Principal: { Service: 'sns.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Resource: '*',
        Condition: {
          ArnEquals: {
            'aws:SourceArn': {
              'Fn::Join': [
                '',
                [
                  'arn:',
                  { Ref: 'AWS::Partition' },
                  ':sns:',
                  { Ref: 'AWS::Region' },
                  ':',
                  { Ref: 'AWS::AccountId' },
                  ':home-repair-dev-alerts',
                ],
              ],
            },
          },
        },
      },
    ]);
    template().hasResourceProperties('AWS::SNS::Topic', { TopicName: 'home-repair-dev-alerts' });
  });
});

describe('users', () => {
  it('cannot sign themselves up, need strong passwords, and carry custom role and properties attributes', () => {
    template().resourceCountIs('AWS::Cognito::UserPool', 1);
    template().hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      Policies: {
        PasswordPolicy: Match.objectLike({
          MinimumLength: 12,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        }),
      },
      MfaConfiguration: 'OPTIONAL',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      Schema: Match.arrayWith([
        Match.objectLike({ Name: 'role', AttributeDataType: 'String', Mutable: true }),
        Match.objectLike({
          Name: 'properties',
          AttributeDataType: 'String',
          Mutable: true,
          StringAttributeConstraints: { MinLength: '1', MaxLength: '2048' },
        }),
      ]),
    });
  });

  it('have a group per role, for the cognito:groups claim', () => {
    const groups = resourcesOfType(synth.statefulSynth, 'AWS::Cognito::UserPoolGroup');
    expect(groups.map((g) => [g.Properties.GroupName, g.Properties.Precedence])).toEqual([
      ['manager', 0],
      ['agent', 1],
      ['resident', 2],
    ]);
    for (const group of groups) {
      expect(group.Properties.UserPoolId).toEqual({ Ref: logicalId(synth.stateful.users.userPool) });
    }
  });

  it('have one app client that reads the role and the properties but can never write them', () => {
    template().resourceCountIs('AWS::Cognito::UserPoolClient', 1);
    const [client] = resourcesOfType(synth.statefulSynth, 'AWS::Cognito::UserPoolClient');
    expect(client.Properties.GenerateSecret).toBe(false);
    expect(client.Properties.ReadAttributes).toContain('custom:role');
    expect(client.Properties.WriteAttributes).not.toContain('custom:role');
    expect(client.Properties.ReadAttributes).toContain('custom:properties');
    expect(client.Properties.WriteAttributes).not.toContain('custom:properties');
  });

  it("give the apps' client no OAuth grant: managed login is the pages' client's alone", () => {
    const [client] = resourcesOfType(synth.statefulSynth, 'AWS::Cognito::UserPoolClient');
    expect(client.Properties.AllowedOAuthFlowsUserPoolClient).toBe(false);
    expect(client.Properties.AllowedOAuthFlows).toBeUndefined();
    expect(client.Properties.CallbackURLs).toBeUndefined();
    expect(client.Properties.ExplicitAuthFlows.sort()).toEqual([
      'ALLOW_REFRESH_TOKEN_AUTH',
      'ALLOW_USER_SRP_AUTH',
    ]);
  });
});

describe('technician webhook secret', () => {
  it('is generated, 64 characters', () => {
    template().resourceCountIs('AWS::SecretsManager::Secret', 1);
    template().hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({ PasswordLength: 64, ExcludePunctuation: true }),
    });
  });

  it("is readable by the functions the technicians' platform calls alone", () => {
    const secretRef = { Ref: logicalId(synth.stateful.webhookSecret.secret) };
    for (const name of FUNCTION_NAMES) {
      const statements = statementsOfFunction(synth, name);
      const secretActions = actionsOf(statements).filter((a) => a.startsWith('secretsmanager:'));
      if (name === 'technician-webhook' || name === 'add-photo') {
        expect(statements).toContainEqual({
          actions: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
          resources: [secretRef],
        });
      } else {
        expect(secretActions).toEqual([]);
      }
    }
    for (const workflow of Object.values(synth.stateless.workflows)) {
      const stateMachineRole = logicalId(workflow.stateMachine.role);
      const machine = resourcesOfType(synth.statelessSynth, 'AWS::IAM::Policy').filter((p) =>
        p.Properties.Roles.some((r: Json) => r.Ref === stateMachineRole),
      );
      expect(machine).not.toEqual([]);
      expect(JSON.stringify(machine)).not.toContain('secretsmanager');
    }
  });
});

describe('the file buckets', () => {
  const bucket = (name: 'photos' | 'forms' | 'logs') => resources()[logicalId(synth.stateful.files[name])];
  const keyArn = () => getAttArn(logicalId(synth.stateful.files.key));

  it.each(['photos', 'forms'] as const)(
    '%s: private, versioned, its own customer key, access-logged',
    (name) => {
      expect(bucket(name).Properties).toMatchObject({
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        VersioningConfiguration: { Status: 'Enabled' },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            {
              ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyArn() },
              BucketKeyEnabled: true,
            },
          ],
        },
        LoggingConfiguration: {
          DestinationBucketName: { Ref: logicalId(synth.stateful.files.logs) },
          LogFilePrefix: `${name}/`,
        },
      });
    },
  );

  it.each(['photos', 'forms', 'logs'] as const)('%s refuses requests without TLS', (name) => {
    template().hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logicalId(synth.stateful.files[name]) },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('keeps every form two years under Object Lock in governance mode', () => {
    expect(bucket('forms').Properties).toMatchObject({
      ObjectLockEnabled: true,
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 731 } },
      },
    });
  });

  it('tells EventBridge of new photos (the content check subscribes there), and drops unchecked uploads after a day', () => {
    expect(bucket('photos').Properties.NotificationConfiguration).toEqual({
      EventBridgeConfiguration: { EventBridgeEnabled: true },
    });
    expect(bucket('photos').Properties.LifecycleConfiguration.Rules).toContainEqual(
      expect.objectContaining({
        Prefix: 'uploads/',
        ExpirationInDays: 1,
        NoncurrentVersionExpiration: { NoncurrentDays: 1 },
        Status: 'Enabled',
      }),
    );
  });
});
