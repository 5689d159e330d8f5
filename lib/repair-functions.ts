import * as path from 'node:path';
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { IndexName } from '../functions/adapters/table-layout';
import type { Bucket } from '../functions/domain/ports';
import { FORM_FONT, FUNCTION_NAMES, type FunctionName } from '../functions/names';
import type { RepairConfig } from './config';
import {
  grantDirectory,
  grantJobStore,
  grantReportStore,
  grantWebhookStore,
  HOLDER_INDEXES,
  LISTING_INDEXES,
  RECALL_INDEXES,
  ROSTER_INDEXES,
} from './job-table';
import { functionEntry } from './paths';
import { ServiceFunction } from './service-function';
import { WebhookDelivery } from './webhook-delivery';

// Jobs and complaints are one store on one table (functions/adapters/dynamo-table.ts).
const READERS: readonly FunctionName[] = ['get-job', 'list-jobs', 'job-history', 'read-complaints'];
const WRITERS: readonly FunctionName[] = [
  'create-job',
  'cancel-job',
  'reschedule-job',
  'record-callback',
  'rate-job',
  'open-follow-up',
  'assign-job',
  'file-complaint',
  'handle-complaint',
  'technician-webhook',
  'await-milestone',
  'workflow-step',
  // What follows a commit (functions/outbox-stream): its followers read and write jobs' items.
  'outbox-stream',
];
/** The GSIs each function queries; the others query none. */
const INDEX_READERS: Partial<Record<FunctionName, readonly IndexName[]>> = {
  'list-jobs': LISTING_INDEXES,
  'read-complaints': LISTING_INDEXES,
  // A booking reads the unit's last signed job to tell a recall, and the roster to tell its pool.
  'create-job': [...RECALL_INDEXES, ...ROSTER_INDEXES],
  // The roster rules: the roster, and the technician's open jobs. Reworks and follow-ups tell a pool too.
  'technician-webhook': [...ROSTER_INDEXES, ...HOLDER_INDEXES],
  'assign-job': [...ROSTER_INDEXES, ...HOLDER_INDEXES],
  'record-callback': ROSTER_INDEXES,
  'open-follow-up': ROSTER_INDEXES,
};
/**
 * Told and granted all three topics: the notifier is configured with all three or none
 * (functions/config.ts). Only the outbox consumer publishes: every use case's notices (and the
 * staff warning of a job given back, on the alerts topic) are outbox messages it delivers
 * (functions/domain/outbox.ts); the state machines publish the managers' SLA alerts themselves.
 */
const PUBLISHERS: readonly FunctionName[] = [
  'outbox-stream',
  // The managers' alert when an endpoint that keeps failing is disabled.
  'deliver-webhooks',
];
/** Topic.grantPublish on a KMS-encrypted topic: the key actions SNS documents for publishers. */
export const KMS_PUBLISH_ACKNOWLEDGEMENT = {
  id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
  reason:
    'Publishing to an SSE-KMS topic needs kms:GenerateDataKey* and kms:Decrypt (SNS developer guide, "Configuring AWS KMS permissions"); granted on the topics\' one key only.',
};
/**
 * Told the deployment's seed of every property's policy (functions/domain/policy.ts): any function
 * that reads jobs or the directory may need a property's policy.
 */
const POLICY_READERS: readonly FunctionName[] = [...READERS, ...WRITERS, 'manage-directory'];
/**
 * Outbound webhooks (functions/domain/webhook-cases.ts): the follower queues deliveries, the
 * managers' routes change endpoints and retry deliveries, the deliverer sends them; each kicks the
 * deliverer (an asynchronous invoke), and only the deliverer schedules its own retries.
 */
const WEBHOOK_STORE_USERS: readonly FunctionName[] = ['outbox-stream', 'manage-webhooks', 'deliver-webhooks'];
/** The deliverer runs for up to MAX_SENDS_PER_RUN sends of DELIVERY_TIMEOUT_MS each, under a 6-minute lease. */
const DELIVERER_TIMEOUT = Duration.minutes(5);
/** Why a function's role has a statement on `*` besides X-Ray's (cdk-nag's AwsSolutions-IAM5). */
const STREAM_READER_ACTIONS =
  'And dynamodb:ListStreams, which the DynamoDB event source mapping needs and IAM does not scope to a resource; the stream read itself (DescribeStream, GetRecords, GetShardIterator) is on the table stream ARN only.';
const UNSCOPED_ACTIONS: Partial<Record<FunctionName, string>> = {
  'report-stream': STREAM_READER_ACTIONS,
  'outbox-stream': STREAM_READER_ACTIONS,
};

/**
 * The buckets each function reaches and how: `read` (GetObject, so it may also presign a download),
 * `put` (PutObject only), `write` (GetObject and PutObject), `check` (read, write and delete: the
 * photos' content check). Each is told the names of its buckets (PHOTOS_BUCKET, FORMS_BUCKET).
 */
type FileUse = 'read' | 'put' | 'write' | 'check';
const FILE_USERS: Partial<Record<FunctionName, Partial<Record<Bucket, FileUse>>>> = {
  // GET /jobs/{id}/form presigns a read of the archived PDF; it never writes.
  'get-job': { forms: 'read' },
  // job.form_signed puts the signature image before its commit; it never reads it back.
  'technician-webhook': { forms: 'put' },
  // The form archive (functions/domain/forms.ts): reads the signature and any PDF put before, puts the PDF.
  'outbox-stream': { forms: 'write' },
};

/**
 * The form renderer's font (2 MB, functions/adapters/fonts/) goes into the outbox-stream's asset
 * beside index.mjs, read from the disk at the first form: a file, not a base64 string in every
 * function's bundle.
 */
const FORM_FONT_BUNDLING = {
  commandHooks: {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (inputDir: string, outputDir: string) => [
      `cp "${path.join(inputDir, FORM_FONT)}" "${path.join(outputDir, path.basename(FORM_FONT))}"`,
    ],
  },
};

/**
 * Longer than the default 10 s: the outbox consumer pauses up to OUTBOX_READING.pauseCapMs before
 * it answers a failed record (its in-handler backoff), after delivering up to a batch of entries.
 */
const TIMEOUTS: Partial<Record<FunctionName, Duration>> = {
  'outbox-stream': Duration.seconds(60),
};

export interface Topics {
  readonly alerts: ITopic;
  readonly residents: ITopic;
  readonly technicians: ITopic;
}

export interface RepairFunctionsProps {
  readonly table: ITable;
  readonly topics: Topics;
  readonly webhookSecret: ISecret;
  /** The webhook deliverer's on-failure destination (lib/webhook-delivery.ts DeliveryFailures). */
  readonly deliveryFailures: IQueue;
  /** The photos and forms buckets (lib/file-buckets.ts), by the functions' names for them. */
  readonly buckets: Readonly<Record<Bucket, IBucket>>;
  readonly config: RepairConfig;
}

/**
 * One Lambda per entry point under functions/, with the env each handler reads and the
 * narrowest grants on the table, topics and webhook secret. Workflow grants (start,
 * task responses) are added once the state machines exist (lib/workflow-grants.ts).
 */
export class RepairFunctions extends Construct {
  private readonly byName: Record<FunctionName, ServiceFunction>;

  constructor(scope: Construct, id: string, props: RepairFunctionsProps) {
    super(scope, id);
    const { table, topics, webhookSecret, config } = props;
    this.webhookDelivery = new WebhookDelivery(this, 'WebhookDelivery', {
      prefix: config.prefix,
      delivererName: `${config.prefix}-deliver-webhooks`,
    });
    const delivery = this.webhookDelivery;
    const entries = FUNCTION_NAMES.map((name) => {
      const fn = new ServiceFunction(this, pascalCase(name), {
        entry: functionEntry(name),
        environment: { ...environmentOf(name, props), ...webhookEnvironmentOf(name, delivery) },
        retention: config.logRetentionDays,
        unscopedActions: UNSCOPED_ACTIONS[name],
        ...(name === 'deliver-webhooks' && {
          functionName: `${config.prefix}-deliver-webhooks`,
          timeout: DELIVERER_TIMEOUT,
          onFailure: new SqsDestination(props.deliveryFailures),
          retryAttempts: 2,
          asyncFailures:
            'Invoked asynchronously (by the stream follower, the manual retry, itself and EventBridge Scheduler): a run Lambda gave up on goes to its on-failure destination (an SQS queue whose depth alarms) rather than a dead-letter queue, which would carry the same event with less context.',
        }),
        ...(TIMEOUTS[name] && { timeout: TIMEOUTS[name] }),
        ...(name === 'outbox-stream' && { bundling: FORM_FONT_BUNDLING }),
      });
      return [name, fn] as const;
    });
    this.byName = Object.fromEntries(entries) as Record<FunctionName, ServiceFunction>;

    for (const name of [...READERS, ...WRITERS]) {
      grantJobStore(table, this.get(name), { write: WRITERS.includes(name), indexes: INDEX_READERS[name] });
    }
    grantDirectory(table, this.get('manage-directory'));
    grantReportStore(table, this.get('monthly-report'), { write: false });
    grantReportStore(table, this.get('report-stream'), { write: true });
    for (const name of PUBLISHERS) {
      for (const topic of [topics.alerts, topics.residents, topics.technicians]) {
        topic.grantPublish(this.get(name));
      }
      Validations.of(this.get(name).serviceRole).acknowledge(KMS_PUBLISH_ACKNOWLEDGEMENT);
    }
    webhookSecret.grantRead(this.get('technician-webhook'));
    for (const name of WEBHOOK_STORE_USERS) {
      const fn = this.get(name);
      grantWebhookStore(table, fn, { listings: name !== 'deliver-webhooks' });
      fn.addToRolePolicy(
        new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [delivery.delivererArn] }),
      );
    }
    const deliverer = this.get('deliver-webhooks');
    deliverer.addToRolePolicy(
      new PolicyStatement({ actions: ['scheduler:CreateSchedule'], resources: [delivery.scheduleArns] }),
    );
    deliverer.addToRolePolicy(
      new PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [delivery.schedulerRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );
    Validations.of(deliverer.serviceRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/${delivery.group.name}/*]`,
      reason:
        'A retry is a one-time schedule named by its queue and time, created at run time: the deliverer may create schedules in its own group only (and Scheduler deletes each after it ran).',
    });
    for (const [name, uses] of Object.entries(FILE_USERS) as [
      FunctionName,
      Partial<Record<Bucket, string>>,
    ][]) {
      for (const [bucket, use] of Object.entries(uses) as [Bucket, string][]) {
        grantFiles(this.get(name), bucket, props.buckets[bucket], use as FileUse);
      }
    }
  }

  readonly webhookDelivery: WebhookDelivery;

  get(name: FunctionName): ServiceFunction {
    return this.byName[name];
  }

  get all(): ServiceFunction[] {
    return FUNCTION_NAMES.map((name) => this.byName[name]);
  }
}

function environmentOf(name: FunctionName, props: RepairFunctionsProps): Record<string, string> {
  const { table, topics, webhookSecret, config } = props;
  const environment: Record<string, string> = {
    TABLE_NAME: table.tableName,
    POWERTOOLS_LOG_LEVEL: config.logLevel,
    TIME_ZONE: config.timeZone,
    STAFF_LOCALE: config.staffLocale,
  };
  if (PUBLISHERS.includes(name)) {
    environment.ALERTS_TOPIC_ARN = topics.alerts.topicArn;
    environment.RESIDENTS_TOPIC_ARN = topics.residents.topicArn;
    environment.TECHNICIANS_TOPIC_ARN = topics.technicians.topicArn;
  }
  if (POLICY_READERS.includes(name)) environment.PROPERTY_POLICY = JSON.stringify(config.propertyPolicy);
  if (name === 'create-job' && config.bookingsPerHour !== undefined) {
    environment.BOOKINGS_PER_HOUR = String(config.bookingsPerHour);
  }
  if (name === 'technician-webhook') environment.TECH_WEBHOOK_SECRET_ARN = webhookSecret.secretArn;
  if (name === 'outbox-stream') environment.FORM_FONT_FILE = `/var/task/${path.basename(FORM_FONT)}`;
  const files = FILE_USERS[name] ?? {};
  if (files.photos) environment.PHOTOS_BUCKET = props.buckets.photos.bucketName;
  if (files.forms) environment.FORMS_BUCKET = props.buckets.forms.bucketName;
  return environment;
}

/** Who runs the deliverer: every function that kicks it; the deliverer also schedules its retries. */
function webhookEnvironmentOf(name: FunctionName, delivery: WebhookDelivery): Record<string, string> {
  if (!WEBHOOK_STORE_USERS.includes(name)) return {};
  return {
    DELIVERER_ARN: delivery.delivererArn,
    ...(name === 'deliver-webhooks' && {
      DELIVERY_SCHEDULER_ROLE_ARN: delivery.schedulerRole.roleArn,
      DELIVERY_SCHEDULE_GROUP: delivery.group.name as string,
    }),
  };
}

const pascalCase = (name: string): string =>
  name.replace(/(^|-)([a-z])/g, (_match, _dash: string, letter: string) => letter.toUpperCase());

/**
 * Exact object actions on the bucket's objects, and the bucket key's: not CDK's grantRead/grantPut,
 * whose wildcards (s3:GetObject*, s3:List*, kms:GenerateDataKey*) reach versions, ACLs and
 * listings nobody here needs, and whose grantReadWrite includes s3:DeleteObject*.
 */
function grantFiles(fn: ServiceFunction, bucket: Bucket, b: IBucket, use: FileUse): void {
  const actions = [
    ...(use !== 'put' ? ['s3:GetObject'] : []),
    ...(use !== 'read' ? ['s3:PutObject'] : []),
    ...(use === 'check' ? ['s3:DeleteObject'] : []),
  ];
  fn.addToRolePolicy(new PolicyStatement({ actions, resources: [b.arnForObjects('*')] }));
  // SSE-KMS: reading decrypts with the bucket key; writing asks it for a data key.
  const key = b.encryptionKey;
  if (key) {
    if (use !== 'put') key.grant(fn, 'kms:Decrypt');
    if (use !== 'read') key.grant(fn, 'kms:GenerateDataKey');
  }
  const reason = `Objects of the ${bucket} bucket only, by exact actions (${actions.join(', ')}): their keys name jobs and uploads made at run time.`;
  // The bucket lives in the stateful stack: the finding names the cross-stack reference CDK makes
  // of its ARN, which exists only once the app is prepared, so it is acknowledged then.
  fn.serviceRole.node.addValidation({
    validate: () => {
      const resource = nagResource(Stack.of(fn).resolve(b.arnForObjects('*')));
      Validations.of(fn.serviceRole).acknowledge({ id: `AwsSolutions-IAM5[Resource::${resource}]`, reason });
      return [];
    },
  });
}

/** A resolved resource as cdk-nag names it in a finding: references as <Id.Attr>, other intrinsics as JSON. */
function nagResource(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as Record<string, unknown>;
  if (Array.isArray(v['Fn::Join'])) {
    const [sep, parts] = v['Fn::Join'] as [string, unknown[]];
    return parts.map(nagResource).join(sep);
  }
  if (Array.isArray(v['Fn::GetAtt'])) return `<${(v['Fn::GetAtt'] as string[]).join('.')}>`;
  if (typeof v.Ref === 'string') return `<${v.Ref}>`;
  return JSON.stringify(value);
}
