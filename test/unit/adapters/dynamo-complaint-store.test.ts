import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoComplaintStore } from '../../../functions/adapters/dynamo-complaint-store';
import { NotFoundError } from '../../../functions/domain/errors';
import { ddb, TABLE } from '../support/dynamo-mock';
import { complaintIn, NOW, rejectionOf } from '../support/fixtures';

// The complaint store's requests, on a mocked document client (DynamoDB Local runs the same
// store in test/integration/complaints*.test.ts).

const store = () =>
  new DynamoComplaintStore(new DynamoDBClient({ region: 'ap-east-1' }), TABLE, { now: () => NOW });
const item = (c = complaintIn('received')) => ({
  ...c,
  pk: `COMPLAINT#${c.complaintId}`,
  sk: 'COMPLAINT',
  gsi1pk: 'x',
});

beforeEach(() => {
  ddb.reset();
});

it('reads a complaint by its own key, consistently, without the table keys', async () => {
  ddb.on(GetCommand).resolves({ Item: item() });

  expect(await store().get('c-1')).toEqual(complaintIn('received'));
  expect(ddb.commandCalls(GetCommand)[0]?.args[0].input).toEqual({
    TableName: TABLE,
    Key: { pk: 'COMPLAINT#c-1', sk: 'COMPLAINT' },
    ConsistentRead: true,
  });
});

it.each([
  [{ residentId: 'r-1' }, 'byResident', 'CRES#r-1'],
  [{ status: 'investigated' as const, properties: ['B2'] }, 'byStatus', 'CSTATUS#B2#investigated'],
  [{ properties: ['B2'] }, 'allJobs', 'COMPLAINT#B2'],
])(
  'lists %j from its own partition (%s %s), never a job partition, newest first',
  async (filter, index, partition) => {
    ddb.on(QueryCommand).resolves({ Items: [] });

    await store().list({ ...filter, limit: 10 });

    expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
      IndexName: index,
      ExpressionAttributeValues: { ':p': partition },
      ScanIndexForward: false,
      Limit: 10,
    });
  },
);

it('lists the open queue from the next-step index, nearest deadline first, leaving out closed ones', async () => {
  ddb.on(QueryCommand).resolves({ Items: [item(), item(complaintIn('closed', { complaintId: 'c-2' }))] });

  const page = await store().list({ open: true, properties: ['B2'], limit: 10 });

  expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
    IndexName: 'withNextStep',
    ExpressionAttributeValues: { ':p': 'CSTEP#B2' },
    ScanIndexForward: true,
  });
  expect(page.items.map((c) => c.complaintId)).toEqual(['c-1']);
});

it('parks a token only while the complaint is in a waiting status', async () => {
  ddb.on(UpdateCommand).resolves({});

  expect(await store().park('c-1', { token: 't', milestone: 'investigation' }, ['received'])).toEqual({
    parked: true,
  });
  expect(ddb.commandCalls(UpdateCommand)[0]?.args[0].input).toMatchObject({
    Key: { pk: 'COMPLAINT#c-1', sk: 'COMPLAINT' },
    ConditionExpression: 'attribute_exists(pk) AND #status IN (:s0)',
  });
});

it('answers the complaint when it has moved past the wait, and NotFoundError when it is gone', async () => {
  ddb.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ $metadata: {}, message: 'no' }));
  ddb
    .on(GetCommand)
    .resolvesOnce({ Item: item(complaintIn('investigated')) })
    .resolvesOnce({});

  expect(await store().park('c-1', { token: 't', milestone: 'investigation' }, ['received'])).toMatchObject({
    parked: false,
    complaint: { status: 'investigated' },
  });
  expect(
    await rejectionOf(store().park('c-1', { token: 't', milestone: 'investigation' }, ['received'])),
  ).toBeInstanceOf(NotFoundError);
});
