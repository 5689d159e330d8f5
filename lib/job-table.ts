import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  type ITable,
  ProjectionType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { INDEXES, type IndexName, KEY, TTL_ATTRIBUTE } from '../functions/adapters/table-layout';

/** The indexes list-jobs queries; withNextStep is also the board's list of open jobs. */
export const LISTING_INDEXES: readonly IndexName[] = ['byResident', 'byStatus', 'allJobs', 'withNextStep'];

/** The single table: jobs, their history, dedupe and idempotency records. */
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
      // Only dedupe/idempotency records set `ttl`; jobs and history never expire.
      timeToLiveAttribute: TTL_ATTRIBUTE,
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

/** What the job store sends (functions/adapters/dynamo-job-store.ts), as IAM actions. */
export const JOB_STORE_READS = ['dynamodb:GetItem', 'dynamodb:Query'];
export const JOB_STORE_WRITES = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'];

export interface JobStoreAccess {
  readonly write: boolean;
  /** Query the GSIs (listings); named one by one, not `index/*`. */
  readonly indexes: boolean;
}

/**
 * Narrower than Table.grantReadData/grantReadWriteData: no Scan, no batch or stream
 * actions, no DeleteItem, and the indexes only for the function that lists.
 */
export function grantJobStore(table: ITable, grantee: IGrantable, access: JobStoreAccess): void {
  Grant.addToPrincipal({
    grantee,
    actions: [...JOB_STORE_READS, ...(access.write ? JOB_STORE_WRITES : [])],
    resourceArns: [table.tableArn],
  });
  if (access.indexes) {
    Grant.addToPrincipal({
      grantee,
      actions: ['dynamodb:Query'],
      resourceArns: LISTING_INDEXES.map((name) => `${table.tableArn}/index/${name}`),
    });
  }
}
