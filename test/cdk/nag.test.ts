import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, type NagPack, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { type Json, type Synthesized, synthApp } from './synth';

// Both environments, with recipients of both kinds and CORS origins, so every construct exists.
const ENVIRONMENT = {
  alertRecipients: [{ email: 'ops@example.com' }, { sms: '+8613800138000' }],
  corsOrigins: ['https://app.example.com'],
};
const synths: Record<'dev' | 'prod', Synthesized> = {} as never;

beforeAll(() => {
  synths.dev = synthApp(ENVIRONMENT, { env: 'dev' });
  synths.prod = synthApp(ENVIRONMENT, { env: 'prod' });
});
afterAll(() => {
  for (const synth of Object.values(synths)) synth.cleanup();
});

const packs = (): NagPack[] => [new AwsSolutionsChecks(), new ServerlessChecks()];

interface Finding {
  readonly rule: string;
  readonly severity: string;
  readonly path: string;
}

/** Every finding of both packs; with `ignoreAcknowledgments`, the acknowledged ones too. */
function findings(app: App, ignoreAcknowledgments = false): Finding[] {
  return packs().flatMap((pack) => {
    // The packs check acknowledgments in a private method; bypassing it shows what they hide.
    if (ignoreAcknowledgments) Object.assign(pack, { isAcknowledged: () => false });
    return pack.validateScope(app).violations.flatMap((v) =>
      v.violatingResources.map((r) => ({
        rule: v.ruleName,
        severity: v.severity ?? '',
        path: r.constructPath ?? '',
      })),
    );
  });
}

interface Acknowledgment {
  readonly path: string;
  readonly rule: string;
  readonly reason: string;
}

function acknowledgments(root: IConstruct): Acknowledgment[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          rule: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

describe.each(['dev', 'prod'] as const)('cdk-nag on %s', (env) => {
  it('finds nothing unacknowledged, errors or warnings, in AwsSolutions and Serverless', () => {
    expect(findings(synths[env].app)).toEqual([]);
  });

  it('has a concrete reason for every acknowledgment', () => {
    const all = acknowledgments(synths[env].app);
    expect(all.length).toBeGreaterThan(0);
    const vague = all.filter(
      ({ reason }) => reason.length < 60 || /^(todo|n\/a|ok|not needed|suppress)/i.test(reason),
    );
    expect(vague).toEqual([]);
  });

  it('acknowledges only findings that exist, on the construct that has them (nothing stale or broad)', () => {
    const hidden = findings(synths[env].app, true);
    const stale = acknowledgments(synths[env].app).filter(
      ({ path, rule }) =>
        !hidden.some((f) => f.rule === rule && (f.path === path || f.path.startsWith(`${path}/`))),
    );
    expect(stale.map(({ path, rule }) => `${rule} @ ${path}`)).toEqual([]);
  });
});

describe('the acknowledgments', () => {
  it('are the reviewed list', () => {
    const list = acknowledgments(synths.prod.app).map(({ path, rule }) => `${rule} @ ${path}`);
    const summary = [
      ...new Set(list.map((line: Json) => line.replace(/Functions\/\w+/, 'Functions/*'))),
    ].sort();
    // The site's deployment function is CDK's singleton, named after its uuid and memory size.
    const deploymentFunction =
      'home-repair-prod-stateless/Custom::CDKBucketDeployment8693BB64968944B69AAFB0CC9EB8756C512MiB';
    const deploymentRole = 'home-repair-prod-stateless/Site/DeploymentRole';
    const photosArn = JSON.stringify({
      'Fn::GetStackOutput': {
        StackName: 'home-repair-prod-stateful',
        Region: { Ref: 'AWS::Region' },
        OutputName: 'PublishOutputFnGetAttFilesPhotosEC806158ArnCF3A366D',
      },
    });
    expect(summary).toEqual(
      [
        'AwsSolutions-APIG4 @ home-repair-prod-stateless/Api/HttpApi/GET--openapi.json',
        'AwsSolutions-APIG4 @ home-repair-prod-stateless/Api/HttpApi/POST--webhooks--technician',
        'AwsSolutions-APIG4 @ home-repair-prod-stateless/Api/HttpApi/POST--webhooks--technician--uploads',
        'AwsSolutions-CFR1 @ home-repair-prod-stateless/Site/Cdn/Distribution',
        'AwsSolutions-CFR2 @ home-repair-prod-stateless/Site/Cdn/Distribution',
        'AwsSolutions-CFR4 @ home-repair-prod-stateless/Site/Cdn/Distribution',
        'AwsSolutions-COG2 @ home-repair-prod-stateful/Users/UserPool',
        'AwsSolutions-COG8 @ home-repair-prod-stateful/Users/UserPool',
        'AwsSolutions-IAM5[Action::kms:GenerateDataKey*] @ home-repair-prod-stateless/Functions/*',
        'AwsSolutions-IAM5[Action::kms:GenerateDataKey*] @ home-repair-prod-stateless/Workflow/StateMachine/Role',
        'AwsSolutions-IAM5[Action::kms:GenerateDataKey*] @ home-repair-prod-stateless/ComplaintWorkflow/StateMachine/Role',
        `AwsSolutions-IAM5[Action::s3:Abort*] @ ${deploymentRole}`,
        `AwsSolutions-IAM5[Action::s3:DeleteObject*] @ ${deploymentRole}`,
        `AwsSolutions-IAM5[Action::s3:GetBucket*] @ ${deploymentRole}`,
        `AwsSolutions-IAM5[Action::s3:GetObject*] @ ${deploymentRole}`,
        `AwsSolutions-IAM5[Action::s3:List*] @ ${deploymentRole}`,
        'AwsSolutions-IAM5[Resource::*] @ home-repair-prod-stateless/Functions/*',
        // The photo functions' object keys, under their prefix of the photos bucket (a cross-stack ARN).
        ...['photos/*', 'uploads/*'].map(
          (keys) =>
            `AwsSolutions-IAM5[Resource::${photosArn}/${keys}] @ home-repair-prod-stateless/Functions/*`,
        ),
        `AwsSolutions-IAM5[Resource::*] @ ${deploymentRole}`,
        'AwsSolutions-IAM5[Resource::*] @ home-repair-prod-stateless/Workflow/StateMachine/Role',
        'AwsSolutions-IAM5[Resource::*] @ home-repair-prod-stateless/ComplaintWorkflow/StateMachine/Role',
        `AwsSolutions-IAM5[Resource::<SiteBucketsContentA88DA584.Arn>/*] @ ${deploymentRole}`,
        // The forms bucket's objects (lib/repair-functions.ts grantFiles), by its cross-stack ARN.
        'AwsSolutions-IAM5[Resource::{"Fn::GetStackOutput":{"StackName":"home-repair-prod-stateful","Region":{"Ref":"AWS::Region"},"OutputName":"PublishOutputFnGetAttFilesForms19991088Arn6C3301A6"}}/*] @ home-repair-prod-stateless/Functions/*',
        `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*] @ ${deploymentRole}`,
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/home-repair-prod-webhook-retries/*] @ home-repair-prod-stateless/Functions/*',
        `AwsSolutions-L1 @ ${deploymentFunction}`,
        'AwsSolutions-L1 @ home-repair-prod-stateless/Functions/*',
        'AwsSolutions-SMG4 @ home-repair-prod-stateful/TechnicianWebhook/Secret',
        'AwsSolutions-SQS3 @ home-repair-prod-stateful/AlertSubscriptions/DeadLetterQueue',
        'AwsSolutions-SQS3 @ home-repair-prod-stateful/ReportStreamFailures/Queue',
        'AwsSolutions-SQS3 @ home-repair-prod-stateful/OutboxStreamFailures/Queue',
        'AwsSolutions-SQS3 @ home-repair-prod-stateful/WebhookDeliveryFailures/Queue',
        'AwsSolutions-SQS3 @ home-repair-prod-stateful/PhotoCheckFailures/Queue',
        'Serverless-EventBusDLQ @ home-repair-prod-stateless/PhotoUploaded',
        `Serverless-LambdaDLQ @ ${deploymentFunction}`,
        'Serverless-LambdaDLQ @ home-repair-prod-stateless/Functions/*',
        `Serverless-LambdaLatestVersion @ ${deploymentFunction}`,
        'Serverless-LambdaLatestVersion @ home-repair-prod-stateless/Functions/*',
        `Serverless-LambdaTracing @ ${deploymentFunction}`,
        'Serverless-SQSRedrivePolicy @ home-repair-prod-stateful/AlertSubscriptions/DeadLetterQueue',
        'Serverless-SQSRedrivePolicy @ home-repair-prod-stateful/ReportStreamFailures/Queue',
        'Serverless-SQSRedrivePolicy @ home-repair-prod-stateful/OutboxStreamFailures/Queue',
        'Serverless-SQSRedrivePolicy @ home-repair-prod-stateful/WebhookDeliveryFailures/Queue',
        'Serverless-SQSRedrivePolicy @ home-repair-prod-stateful/PhotoCheckFailures/Queue',
      ].sort(),
    );
  });
});
