import * as path from 'node:path';
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Grant, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { IndexName } from '../functions/adapters/table-layout';
import { PHOTO_PREFIX, UPLOAD_PREFIX } from '../functions/domain/photos';
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
  // A photo announced, then its check's verdict: both on the job item.
  'add-photo',
  'check-photo',
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
  // Presigns the photos' download URLs (a presigned GET is signed with the function's own rights),
  // and GET /jobs/{id}/form a read of the archived PDF; it never writes.
  'get-job': { photos: 'read', forms: 'read' },
  // job.form_signed puts the signature image before its commit; it never reads it back.
  'technician-webhook': { forms: 'put' },
  // The form archive (functions/domain/forms.ts): reads the signature and any PDF put before, puts the PDF.
  'outbox-stream': { forms: 'write' },
  // Presigns the upload's POST: S3 checks the signer may PutObject (and use the key).
  'add-photo': { photos: 'write' },
  'check-photo': { photos: 'check' },
};
interface ObjectRight {
  actions: string[];
  /** The key pattern under the bucket (`photos/*`). */
  keys: string;
}
const GET = 's3:GetObject';
const PUT = 's3:PutObject';
const DELETE = 's3:DeleteObject';
/**
 * What each use may do to which keys, object actions only (CDK's bucket grants add s3:GetBucket*,
 * s3:List* and wildcard actions). In the photos bucket an unchecked upload (uploads/) is never
 * readable by a download URL: get-job reads the checked copies (photos/) only.
 */
const OBJECT_RIGHTS: Record<Bucket, Partial<Record<FileUse, ObjectRight[]>>> = {
  photos: {
    read: [{ actions: [GET], keys: `${PHOTO_PREFIX}*` }],
    write: [{ actions: [PUT], keys: `${UPLOAD_PREFIX}*` }],
    check: [
      { actions: [GET, DELETE], keys: `${UPLOAD_PREFIX}*` },
      { actions: [PUT], keys: `${PHOTO_PREFIX}*` },
    ],
  },
  // Nobody deletes a form or a signature (Object Lock keeps them two years anyway).
  forms: {
    read: [{ actions: [GET], keys: '*' }],
    put: [{ actions: [PUT], keys: '*' }],
    write: [{ actions: [GET, PUT], keys: '*' }],
  },
};

/**
 * The object rights, and the bucket key's: kms:Decrypt to read, kms:GenerateDataKey to write (an
 * SSE-KMS PutObject, or a presigned POST's upload, asks KMS for a data key as the signer).
 */
function grantObjects(bucket: IBucket, fn: ServiceFunction, rights: readonly ObjectRight[]): void {
  for (const r of rights)
    Grant.addToPrincipal({ grantee: fn, actions: r.actions, resourceArns: [bucket.arnForObjects(r.keys)] });
  const actions = rights.flatMap((r) => r.actions);
  if (bucket.encryptionKey) {
    const keyActions = [
      ...(actions.includes(GET) ? ['kms:Decrypt'] : []),
      ...(actions.includes(PUT) ? ['kms:GenerateDataKey'] : []),
    ];
    Grant.addToPrincipal({ grantee: fn, actions: keyActions, resourceArns: [bucket.encryptionKey.keyArn] });
  }
  // cdk-nag names the finding by the resource as this stack resolves it: the bucket is the stateful
  // stack's, so its ARN is a cross-stack reference, known only once the app is prepared. The
  // acknowledgment is added then (validation runs after references are resolved, before the checks).
  fn.node.addValidation({
    validate: () => {
      const arn = JSON.stringify(Stack.of(fn).resolve(bucket.bucketArn));
      for (const r of rights)
        Validations.of(fn.serviceRole).acknowledge({
          id: `AwsSolutions-IAM5[Resource::${arn}/${r.keys}]`,
          reason: `Object keys are chosen per job and photo at run time; limited to ${r.actions.join(', ')} on keys ${r.keys} of this one bucket.`,
        });
      return [];
    },
  });
}

/** The functions the technicians' platform calls, each verifying its signature with the shared secret. */
const WEBHOOK_RECEIVERS: readonly FunctionName[] = ['technician-webhook', 'add-photo'];

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
  /** The webhook deliverer's on-failure destination (a lib/failure-queue.ts FailureQueue). */
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
    for (const name of WEBHOOK_RECEIVERS) webhookSecret.grantRead(this.get(name));
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
      Partial<Record<Bucket, FileUse>>,
    ][]) {
      for (const [bucket, use] of Object.entries(uses) as [Bucket, FileUse][]) {
        const rights = OBJECT_RIGHTS[bucket][use];
        if (!rights) throw new Error(`No ${use} rights are defined on the ${bucket} bucket`);
        grantObjects(props.buckets[bucket], this.get(name), rights);
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
  if (WEBHOOK_RECEIVERS.includes(name)) environment.TECH_WEBHOOK_SECRET_ARN = webhookSecret.secretArn;
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
