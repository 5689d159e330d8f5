import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { INDEXES, KEY } from '../functions/adapters/table-layout';

// The local twin of lib/'s table, from the same layout (test/cdk checks they agree).

/** The stream the report consumer reads, as on AWS: both images of every change. */
export const STREAM_SPECIFICATION = { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } as const;

const keyAttributes = [
  KEY.partition,
  KEY.sort,
  ...Object.values(INDEXES).flatMap((i) => [i.partitionKey, i.sortKey]),
];

export const tableDefinition = (TableName: string): CreateTableCommandInput => ({
  TableName,
  BillingMode: 'PAY_PER_REQUEST',
  KeySchema: [
    { AttributeName: KEY.partition, KeyType: 'HASH' },
    { AttributeName: KEY.sort, KeyType: 'RANGE' },
  ],
  AttributeDefinitions: keyAttributes.map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
  GlobalSecondaryIndexes: Object.entries(INDEXES).map(([IndexName, keys]) => ({
    IndexName,
    KeySchema: [
      { AttributeName: keys.partitionKey, KeyType: 'HASH' },
      { AttributeName: keys.sortKey, KeyType: 'RANGE' },
    ],
    Projection: { ProjectionType: 'ALL' },
  })),
  StreamSpecification: STREAM_SPECIFICATION,
});
