import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  type ITable,
  ProjectionType,
  StreamViewType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import {
  DIRECTORY_ITEM,
  INDEXES,
  type IndexName,
  KEY,
  REPORT_ITEM,
  STREAM_MARKER,
  TTL_ATTRIBUTE,
  WEBHOOK_ITEM,
} from '../functions/adapters/table-layout';

/**
 * The indexes list-jobs and read-complaints query (complaints list under their own `C…`
 * partitions of the same indexes); withNextStep is also the board's and the complaint queue.
 * Not lastSigned: only the booking reads it (RECALL_INDEXES).
 */
export const LISTING_INDEXES: readonly IndexName[] = ['byResident', 'byStatus', 'allJobs', 'withNextStep'];
/** The index a booking reads the unit's last signed job from, to tell a recall. */
export const RECALL_INDEXES: readonly IndexName[] = ['lastSigned'];
/** The roster's listing (functions/adapters/dynamo-directory.ts lists technicians from allJobs). */
export const ROSTER_INDEXES: readonly IndexName[] = ['allJobs'];
/** A technician's open jobs, counted for the roster's maxOpenJobs rule. */
export const HOLDER_INDEXES: readonly IndexName[] = ['byTechnician'];

/** The single table: jobs, complaints, their history, dedupe and idempotency records, the report counters. */
export interface JobTableProps {
  /** RETAIN on delete and deletion protection (prod); otherwise the table goes with the stack. */
  readonly protectData: boolean;
}

export class JobTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string, props: JobTableProps) {
    super(scope, id);
    this.table = new Table(this, 'Table', {
      partitionKey: { name: KEY.partition, type: AttributeType.STRING },
      sortKey: { name: KEY.sort, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // The AWS managed key: KMS-backed and visible in CloudTrail, with no key to pay for or grant.
      encryption: TableEncryption.AWS_MANAGED,
      deletionProtection: props.protectData,
      // Only dedupe/idempotency records and stream markers set `ttl`; jobs and history never expire.
      timeToLiveAttribute: TTL_ATTRIBUTE,
      // The report consumer derives what a change settled from the job before and after it.
      stream: StreamViewType.NEW_AND_OLD_IMAGES,
      removalPolicy: props.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    for (const [indexName, keys] of Object.entries(INDEXES)) {
      this.table.addGlobalSecondaryIndex({
        indexName,
        partitionKey: { name: keys.partitionKey, type: AttributeType.STRING },
        sortKey: { name: keys.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }
  }
}

/**
 * What the job and complaint stores send (functions/adapters/dynamo-table.ts, which both use), as
 * IAM actions. A TransactWriteItems is authorised item by item: its Puts and Updates.
 */
export const JOB_STORE_READS = ['dynamodb:GetItem', 'dynamodb:Query'];
export const JOB_STORE_WRITES = ['dynamodb:PutItem', 'dynamodb:UpdateItem'];

export interface JobStoreAccess {
  readonly write: boolean;
  /** The GSIs it may Query, named one by one (never `index/*`); none by default. */
  readonly indexes?: readonly IndexName[];
}

/** Item actions on the base table, held to some partitions when `leadingKeys` names them. */
export function grantOnTable(
  table: ITable,
  grantee: IGrantable,
  actions: string[],
  leadingKeys?: string[],
): void {
  Grant.addToPrincipal({
    grantee,
    actions,
    resourceArns: [table.tableArn],
    ...(leadingKeys && {
      conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': leadingKeys } },
    }),
  });
}

/**
 * The job and complaint stores (one table, one transaction path). Narrower than
 * Table.grantReadData/grantReadWriteData: no Scan, no batch or stream actions, no DeleteItem,
 * and only the indexes the function queries.
 */
export function grantJobStore(table: ITable, grantee: IGrantable, access: JobStoreAccess): void {
  grantOnTable(table, grantee, [...JOB_STORE_READS, ...(access.write ? JOB_STORE_WRITES : [])]);
  if (access.indexes?.length) {
    Grant.addToPrincipal({
      grantee,
      actions: ['dynamodb:Query'],
      resourceArns: access.indexes.map((name) => `${table.tableArn}/index/${name}`),
    });
  }
}

/** What the directory sends (functions/adapters/dynamo-directory.ts): GetItem and PutItem, and Query for its listings. */
export const DIRECTORY_WRITES = ['dynamodb:GetItem', 'dynamodb:PutItem'];
/** The directory's partitions, as dynamodb:LeadingKeys patterns. */
export const DIRECTORY_PARTITIONS = [
  `${DIRECTORY_ITEM.propertyPrefix}*`,
  `${DIRECTORY_ITEM.technicianPrefix}*`,
];

/**
 * The managers' directory function: its items only (a property's settings, a technician), and its
 * listings' Query of the allJobs index. Every other function reads a property's policy with the
 * GetItem its job-store grant already holds.
 */
export function grantDirectory(table: ITable, grantee: IGrantable): void {
  grantOnTable(table, grantee, DIRECTORY_WRITES, DIRECTORY_PARTITIONS);
  Grant.addToPrincipal({
    grantee,
    actions: ['dynamodb:Query'],
    resourceArns: [`${table.tableArn}/index/allJobs`],
  });
}

/** What the report store sends (functions/adapters/dynamo-report-store.ts), as IAM actions. */
export const REPORT_STORE_READS = ['dynamodb:Query'];
/**
 * Its one TransactWriteItems: the marker's Put and the counters' Updates. IAM has no action for a
 * transaction itself; each item is authorised as its own PutItem or UpdateItem (no ConditionCheck is sent).
 */
export const REPORT_STORE_WRITES = ['dynamodb:PutItem', 'dynamodb:UpdateItem'];
/** The partitions the report store reads and writes, as dynamodb:LeadingKeys patterns. */
export const REPORT_PARTITIONS = {
  counters: `${REPORT_ITEM.partitionPrefix}*`,
  markers: `${STREAM_MARKER.partitionPrefix}*`,
} as const;

/**
 * The report reader may only Query the report partitions; the stream consumer may only add to
 * them and write its markers. Neither can read or change a job, nor Scan. The consumer's stream
 * read comes with its event source (DynamoEventSource grants it on the table's stream).
 */
export function grantReportStore(table: ITable, grantee: IGrantable, access: { write: boolean }): void {
  if (access.write)
    grantOnTable(table, grantee, REPORT_STORE_WRITES, [
      REPORT_PARTITIONS.counters,
      REPORT_PARTITIONS.markers,
    ]);
  else grantOnTable(table, grantee, REPORT_STORE_READS, [REPORT_PARTITIONS.counters]);
}

/** What the webhook store sends (functions/adapters/dynamo-webhook-store.ts), as IAM actions. */
export const WEBHOOK_STORE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:Query',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
];

/**
 * The webhook endpoints' partitions only (`WEBHOOK#…`: endpoints, deliveries, leases); with
 * `listings`, the allJobs index too (the endpoints' listing, read by the follower and the routes).
 */
export function grantWebhookStore(table: ITable, grantee: IGrantable, access: { listings: boolean }): void {
  grantOnTable(table, grantee, WEBHOOK_STORE_ACTIONS, [`${WEBHOOK_ITEM.partitionPrefix}*`]);
  if (access.listings)
    Grant.addToPrincipal({
      grantee,
      actions: ['dynamodb:Query'],
      resourceArns: [`${table.tableArn}/index/allJobs`],
    });
}
