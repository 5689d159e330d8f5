import { unmarshall } from '@aws-sdk/util-dynamodb';
import { repairEmptyMaps, toLambdaRecord } from '../../../local/stream';

// The local poller hands the consumer what Lambda's event source would: the Streams API's
// record in the Lambda event's shape, with DynamoDB Local's one wire quirk put right.

describe('toLambdaRecord', () => {
  const record = {
    eventID: 'e-1',
    eventName: 'MODIFY' as const,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'ddblocal',
    dynamodb: {
      ApproximateCreationDateTime: new Date('2026-12-10T02:00:00.000Z'),
      Keys: { pk: { S: 'JOB#j-1' }, sk: { S: 'JOB' } },
      OldImage: { pk: { S: 'JOB#j-1' }, version: { N: '1' } },
      NewImage: { pk: { S: 'JOB#j-1' }, version: { N: '2' } },
      SequenceNumber: '000000000000000000007',
      SizeBytes: 40,
      StreamViewType: 'NEW_AND_OLD_IMAGES' as const,
    },
  };

  it('keeps the ids, keys, both images and sequence number, with the stream as event source', () => {
    expect(toLambdaRecord(record, 'arn:stream')).toEqual({
      eventID: 'e-1',
      eventName: 'MODIFY',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'ddblocal',
      eventSourceARN: 'arn:stream',
      dynamodb: {
        ApproximateCreationDateTime: Math.floor(Date.parse('2026-12-10T02:00:00.000Z') / 1000),
        Keys: record.dynamodb.Keys,
        OldImage: record.dynamodb.OldImage,
        NewImage: record.dynamodb.NewImage,
        SequenceNumber: '000000000000000000007',
        SizeBytes: 40,
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    });
  });
});

describe('repairEmptyMaps', () => {
  it('reads an untyped value as the empty map DynamoDB Local meant, at any depth', () => {
    const local = {
      alerts: {},
      sla: { M: { nested: {}, due: { S: 'x' } } },
      list: { L: [{}, { N: '1' }] },
      empty: { L: [] },
    };

    const repaired = repairEmptyMaps(local);

    expect(repaired).toEqual({
      alerts: { M: {} },
      sla: { M: { nested: { M: {} }, due: { S: 'x' } } },
      list: { L: [{ M: {} }, { N: '1' }] },
      empty: { L: [] },
    });
    expect(unmarshall(repaired as never)).toEqual({
      alerts: {},
      sla: { nested: {}, due: 'x' },
      list: [{}, 1],
      empty: [],
    });
  });
});
