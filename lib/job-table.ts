import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';

/** GSI name → its key attributes; the job store queries these, never scans. */
export const JOB_TABLE_INDEXES = {
  byResident: { partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  byStatus: { partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
  allJobs: { partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
} as const;

/** The single table: jobs, their history, dedupe and idempotency records. */
export class JobTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new Table(this, 'Table', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      // Only dedupe/idempotency records set `ttl`; jobs and history never expire.
      timeToLiveAttribute: 'ttl',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const [indexName, keys] of Object.entries(JOB_TABLE_INDEXES)) {
      this.table.addGlobalSecondaryIndex({
        indexName,
        partitionKey: { name: keys.partitionKey, type: AttributeType.STRING },
        sortKey: { name: keys.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }
  }
}
