import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

// The local twin of lib/'s table: same keys and GSIs (test/cdk checks they agree).
const S = 'S' as const;
const gsi = (name: string, n: number) => ({
  IndexName: name,
  KeySchema: [
    { AttributeName: `gsi${n}pk`, KeyType: 'HASH' as const },
    { AttributeName: `gsi${n}sk`, KeyType: 'RANGE' as const },
  ],
  Projection: { ProjectionType: 'ALL' as const },
});

export const tableDefinition = (TableName: string): CreateTableCommandInput => ({
  TableName,
  BillingMode: 'PAY_PER_REQUEST',
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ],
  AttributeDefinitions: ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk'].map(
    (AttributeName) => ({
      AttributeName,
      AttributeType: S,
    }),
  ),
  GlobalSecondaryIndexes: [gsi('byResident', 1), gsi('byStatus', 2), gsi('allJobs', 3)],
});
