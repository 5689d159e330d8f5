import { Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { IndexName } from '../functions/adapters/table-layout';
import type { Bucket } from '../functions/domain/ports';
import { FUNCTION_NAMES, type FunctionName } from '../functions/names';
import type { RepairConfig } from './config';
import {
  grantDirectory,
  grantJobStore,
  grantReportStore,
  HOLDER_INDEXES,
  LISTING_INDEXES,
  RECALL_INDEXES,
  ROSTER_INDEXES,
} from './job-table';
import { functionEntry } from './paths';
import { ServiceFunction } from './service-function';

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
 * (functions/config.ts), whichever a function's notices go to.
 */
const PUBLISHERS: readonly FunctionName[] = [
  'create-job',
  'cancel-job',
  'reschedule-job',
  'record-callback',
  'open-follow-up',
  'assign-job',
  'file-complaint',
  'handle-complaint',
  'technician-webhook',
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
/** Why a function's role has a statement on `*` besides X-Ray's (cdk-nag's AwsSolutions-IAM5). */
const STREAM_READER_ACTIONS =
  'And dynamodb:ListStreams, which the DynamoDB event source mapping needs and IAM does not scope to a resource; the stream read itself (DescribeStream, GetRecords, GetShardIterator) is on the table stream ARN only.';
const UNSCOPED_ACTIONS: Partial<Record<FunctionName, string>> = {
  'report-stream': STREAM_READER_ACTIONS,
  'outbox-stream': STREAM_READER_ACTIONS,
};

/**
 * The buckets each function reaches and how: `read` (GetObject, so it may also presign a download),
 * `write` (PutObject too), `check` (read, write and delete: the photos' content check). Each is
 * told the names of its buckets (PHOTOS_BUCKET, FORMS_BUCKET).
 */
const FILE_USERS: Partial<Record<FunctionName, Partial<Record<Bucket, 'read' | 'write' | 'check'>>>> = {};

export interface Topics {
  readonly alerts: ITopic;
  readonly residents: ITopic;
  readonly technicians: ITopic;
}

export interface RepairFunctionsProps {
  readonly table: ITable;
  readonly topics: Topics;
  readonly webhookSecret: ISecret;
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
    const entries = FUNCTION_NAMES.map((name) => {
      const fn = new ServiceFunction(this, pascalCase(name), {
        entry: functionEntry(name),
        environment: environmentOf(name, props),
        retention: config.logRetentionDays,
        unscopedActions: UNSCOPED_ACTIONS[name],
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
    for (const [name, uses] of Object.entries(FILE_USERS) as [
      FunctionName,
      Partial<Record<Bucket, string>>,
    ][]) {
      for (const [bucket, use] of Object.entries(uses) as [Bucket, string][]) {
        const b = props.buckets[bucket];
        if (use === 'read') b.grantRead(this.get(name));
        else b.grantReadWrite(this.get(name));
        if (use === 'check') b.grantDelete(this.get(name));
      }
    }
  }

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
  const files = FILE_USERS[name] ?? {};
  if (files.photos) environment.PHOTOS_BUCKET = props.buckets.photos.bucketName;
  if (files.forms) environment.FORMS_BUCKET = props.buckets.forms.bucketName;
  return environment;
}

const pascalCase = (name: string): string =>
  name.replace(/(^|-)([a-z])/g, (_match, _dash: string, letter: string) => letter.toUpperCase());
