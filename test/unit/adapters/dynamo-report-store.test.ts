import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoReportStore } from '../../../functions/adapters/dynamo-report-store';
import { UnavailableError } from '../../../functions/domain/errors';
import type { ReportFact } from '../../../functions/domain/reports';
import { canceled, ddb, NOW_S, TABLE, transactItems } from '../support/dynamo-mock';
import { defined, NOW, rejectionOf, TECH } from '../support/fixtures';

const store = () =>
  new DynamoReportStore(new DynamoDBClient({ region: 'ap-east-1' }), TABLE, { now: () => NOW });

/** What an accepted, on-time urgent job adds: totals and the technician's row. */
const FACTS: ReportFact[] = [
  { month: '2026-12', property: 'B2', technician: null, counter: 'arrival:urgent:met', by: 1 },
  { month: '2026-12', property: 'B2', technician: TECH, counter: 'arrival:met', by: 1 },
  { month: '2026-12', property: 'B2', technician: TECH, counter: 'jobs', by: 1 },
];

beforeEach(() => {
  ddb.reset();
});

describe('apply', () => {
  it('writes the increments in one transaction, after a marker of the change that must be new', async () => {
    ddb.on(TransactWriteCommand).resolves({});

    expect(await store().apply('event-1', FACTS)).toBe(true);

    const [marker, ...updates] = transactItems();
    expect(marker).toEqual({
      Put: {
        TableName: TABLE,
        Item: { pk: 'APPLIED#event-1', sk: 'APPLIED', ttl: NOW_S + 2 * 24 * 3600 },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    });
    expect(updates.map((u) => u.Update?.Key)).toEqual([
      { pk: 'REPORT#2026-12#B2', sk: 'TOTAL' },
      { pk: 'REPORT#2026-12#*', sk: 'TOTAL' },
      { pk: 'REPORT#2026-12#B2', sk: 'TECH#t-1' },
      { pk: 'REPORT#2026-12#*', sk: 'TECH#t-1' },
    ]);
  });

  it("adds each technician's counters with one ADD per item, and sets the name the technician gave", async () => {
    ddb.on(TransactWriteCommand).resolves({});

    await store().apply('event-1', FACTS);

    const update = defined(transactItems()[3]?.Update, 'the company technician row');
    expect(update).toMatchObject({
      TableName: TABLE,
      UpdateExpression: 'ADD #c0 :c0, #c1 :c1 SET #name = :name, #technicianId = :technicianId',
      ExpressionAttributeNames: { '#c0': 'arrival:met', '#c1': 'jobs', '#name': 'name' },
      ExpressionAttributeValues: { ':c0': 1, ':c1': 1, ':name': 'Wang Wei', ':technicianId': 't-1' },
    });
    expect(update.ConditionExpression).toBeUndefined();
  });

  it('sums facts of the same counter into one increment', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const twice: ReportFact = {
      month: '2026-12',
      property: 'B2',
      technician: null,
      counter: 'satisfaction:sum',
      by: 4,
    };

    await store().apply('event-1', [twice, { ...twice, by: 1 }]);

    expect(transactItems()[1]?.Update).toMatchObject({
      UpdateExpression: 'ADD #c0 :c0',
      ExpressionAttributeValues: { ':c0': 5 },
    });
  });

  it("writes a recall's booking to both months at once: the booking's, and the recalled signature's", async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const recalled = { id: 't-5', name: 'Zhao Qian' };
    const booking: ReportFact[] = [
      { month: '2026-12', property: 'B2', technician: null, counter: 'booked', by: 1 },
      { month: '2026-12', property: 'B2', technician: null, counter: 'category:plumbing', by: 1 },
      { month: '2026-11', property: 'B2', technician: null, counter: 'recalls', by: 1 },
      { month: '2026-11', property: 'B2', technician: recalled, counter: 'recalls', by: 1 },
    ];

    expect(await store().apply('event-1', booking)).toBe(true);

    const [marker, ...updates] = transactItems();
    expect(marker?.Put?.Item?.pk).toBe('APPLIED#event-1');
    expect(
      updates.map((u) => [u.Update?.Key?.pk, u.Update?.Key?.sk, u.Update?.ExpressionAttributeNames]),
    ).toEqual([
      ['REPORT#2026-12#B2', 'TOTAL', { '#c0': 'booked', '#c1': 'category:plumbing' }],
      ['REPORT#2026-12#*', 'TOTAL', { '#c0': 'booked', '#c1': 'category:plumbing' }],
      ['REPORT#2026-11#B2', 'TOTAL', { '#c0': 'recalls' }],
      ['REPORT#2026-11#*', 'TOTAL', { '#c0': 'recalls' }],
      [
        'REPORT#2026-11#B2',
        'TECH#t-5',
        { '#c0': 'recalls', '#name': 'name', '#technicianId': 'technicianId' },
      ],
      [
        'REPORT#2026-11#*',
        'TECH#t-5',
        { '#c0': 'recalls', '#name': 'name', '#technicianId': 'technicianId' },
      ],
    ]);
  });

  it('answers false and changes nothing when the marker exists: the change was applied before', async () => {
    ddb.on(TransactWriteCommand).rejects(canceled('ConditionalCheckFailed', 'None', 'None', 'None', 'None'));

    expect(await store().apply('event-1', FACTS)).toBe(false);
  });

  it('is briefly unavailable when another writer holds the counters or DynamoDB throttles', async () => {
    ddb.on(TransactWriteCommand).rejects(canceled('None', 'TransactionConflict', 'None', 'None', 'None'));
    expect(await rejectionOf(store().apply('event-1', FACTS))).toBeInstanceOf(UnavailableError);

    ddb
      .on(TransactWriteCommand)
      .rejects(Object.assign(new Error('slow down'), { name: 'ThrottlingException' }));
    expect(await rejectionOf(store().apply('event-1', FACTS))).toBeInstanceOf(UnavailableError);
  });
});

describe('read', () => {
  it("queries the one partition of the month and scope, and reads the totals and the technicians' rows", async () => {
    ddb.on(QueryCommand).resolves({
      Items: [
        { pk: 'REPORT#2026-12#*', sk: 'TECH#t-1', technicianId: 't-1', name: 'Wang Wei', jobs: 2 },
        { pk: 'REPORT#2026-12#*', sk: 'TOTAL', booked: 3, 'category:hvac': 1 },
      ],
    });

    const report = await store().read('2026-12', null);

    expect(ddb.commandCalls(QueryCommand).map((c) => c.args[0].input)).toEqual([
      {
        TableName: TABLE,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'REPORT#2026-12#*' },
        ExclusiveStartKey: undefined,
      },
    ]);
    expect(report).toEqual({
      totals: { booked: 3, 'category:hvac': 1 },
      technicians: [{ id: 't-1', name: 'Wang Wei', counters: { jobs: 2 } }],
    });
  });

  it("reads one property's partition, page after page", async () => {
    ddb
      .on(QueryCommand)
      .resolvesOnce({
        Items: [{ pk: 'REPORT#2026-12#B2', sk: 'TECH#t-1', technicianId: 't-1', name: 'A', jobs: 1 }],
        LastEvaluatedKey: { pk: 'REPORT#2026-12#B2', sk: 'TECH#t-1' },
      })
      .resolvesOnce({
        Items: [{ pk: 'REPORT#2026-12#B2', sk: 'TECH#t-2', technicianId: 't-2', name: 'B', jobs: 1 }],
      });

    const report = await store().read('2026-12', 'B2');

    const calls = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);
    expect(calls.map((c) => c.ExpressionAttributeValues)).toEqual([
      { ':pk': 'REPORT#2026-12#B2' },
      { ':pk': 'REPORT#2026-12#B2' },
    ]);
    expect(calls[1]?.ExclusiveStartKey).toEqual({ pk: 'REPORT#2026-12#B2', sk: 'TECH#t-1' });
    expect(report.technicians.map((t) => t.id)).toEqual(['t-1', 't-2']);
    expect(report.totals).toEqual({});
  });

  it('is briefly unavailable when DynamoDB does not answer', async () => {
    ddb
      .on(QueryCommand)
      .rejects(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }));

    expect(await rejectionOf(store().read('2026-12', null))).toBeInstanceOf(UnavailableError);
  });
});
