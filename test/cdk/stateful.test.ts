import { Match } from 'aws-cdk-lib/assertions';
import { FUNCTION_NAMES } from '../../functions/names';
import {
  actionsOf,
  type Json,
  logicalId,
  type Synthesized,
  statementsOfFunction,
  synthRepairStack,
} from './synth';

let synth: Synthesized;

beforeAll(() => {
  synth = synthRepairStack({ alertEmails: ['ops@example.com', 'duty-manager@example.com'] });
});
afterAll(() => synth.cleanup());

describe('jobs table', () => {
  it('is the only table, keyed pk/sk, on demand, with PITR, deletion protection and a ttl attribute', () => {
    synth.template.resourceCountIs('AWS::DynamoDB::Table', 1);
    synth.template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
        TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
      }),
    });
  });

  it('has the three GSIs the job store queries, projecting all attributes', () => {
    const [table] = Object.values(synth.template.findResources('AWS::DynamoDB::Table')) as Json[];
    const indexes = Object.fromEntries(
      table.Properties.GlobalSecondaryIndexes.map((gsi: Json) => [gsi.IndexName, gsi]),
    );
    expect(Object.keys(indexes).sort()).toEqual(['allJobs', 'byResident', 'byStatus']);
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
    const stringAttributes = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk'];
    expect(table.Properties.AttributeDefinitions).toEqual(
      expect.arrayContaining(stringAttributes.map((name) => ({ AttributeName: name, AttributeType: 'S' }))),
    );
    expect(table.Properties.AttributeDefinitions).toHaveLength(stringAttributes.length);
  });
});

describe('notification topics', () => {
  it('are exactly three, all encrypted with the one rotating customer key', () => {
    const { topics } = synth.stack;
    synth.template.resourceCountIs('AWS::SNS::Topic', 3);
    synth.template.resourceCountIs('AWS::KMS::Key', 1);
    synth.template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    for (const topic of topics.all) {
      expect(synth.resources[logicalId(topic)].Properties.KmsMasterKeyId).toEqual({
        'Fn::GetAtt': [logicalId(topics.key), 'Arn'],
      });
    }
  });

  it('refuse publishing without TLS', () => {
    const { topics } = synth.stack;
    for (const topic of topics.all) {
      synth.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
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

  it('email every alertEmails address from context, on the alerts topic only', () => {
    const subscriptions = Object.values(synth.template.findResources('AWS::SNS::Subscription')) as Json[];
    expect(
      subscriptions.map((s) => [s.Properties.Protocol, s.Properties.Endpoint, s.Properties.TopicArn]),
    ).toEqual([
      ['email', 'ops@example.com', { Ref: logicalId(synth.stack.topics.alerts) }],
      ['email', 'duty-manager@example.com', { Ref: logicalId(synth.stack.topics.alerts) }],
    ]);
  });
});

describe('users', () => {
  it('cannot sign themselves up, and carry a mutable custom role attribute', () => {
    synth.template.resourceCountIs('AWS::Cognito::UserPool', 1);
    synth.template.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        Schema: Match.arrayWith([
          Match.objectLike({ Name: 'role', AttributeDataType: 'String', Mutable: true }),
        ]),
      }),
    });
  });

  it('have one app client that reads the role but can never write it', () => {
    synth.template.resourceCountIs('AWS::Cognito::UserPoolClient', 1);
    const [client] = Object.values(synth.template.findResources('AWS::Cognito::UserPoolClient')) as Json[];
    expect(client.Properties.GenerateSecret).toBe(false);
    expect(client.Properties.ReadAttributes).toContain('custom:role');
    expect(client.Properties.WriteAttributes).not.toContain('custom:role');
  });
});

describe('technician webhook secret', () => {
  it('is generated and kept when the stack goes', () => {
    synth.template.resourceCountIs('AWS::SecretsManager::Secret', 1);
    synth.template.hasResource('AWS::SecretsManager::Secret', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ GenerateSecretString: Match.objectLike({ PasswordLength: 64 }) }),
    });
  });

  it('is readable by the technician-webhook function alone', () => {
    const secretRef = { Ref: logicalId(synth.stack.webhookSecret.secret) };
    for (const name of FUNCTION_NAMES) {
      const statements = statementsOfFunction(synth, name);
      const secretActions = actionsOf(statements).filter((a) => a.startsWith('secretsmanager:'));
      if (name === 'technician-webhook') {
        expect(statements).toContainEqual({
          actions: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
          resources: [secretRef],
        });
      } else {
        expect(secretActions).toEqual([]);
      }
    }
  });
});
