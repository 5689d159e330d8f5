import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { Context, DynamoDBRecord } from 'aws-lambda';
import { DynamoJobStore } from '../../../functions/adapters/dynamo-job-store';
import { DynamoOutboxLedger, outboxEntryOf, outboxItem } from '../../../functions/adapters/dynamo-outbox';
import { DynamoTable } from '../../../functions/adapters/dynamo-table';
import { localObservability } from '../../../functions/adapters/observability';
import type { AppPorts } from '../../../functions/adapters/ports';
import { retryPauseMs } from '../../../functions/adapters/table-stream';
import type { Decision } from '../../../functions/domain/lifecycle';
import { entryOf, outboxed } from '../../../functions/domain/outbox';
import { outboxStreamHandler } from '../../../functions/outbox-stream/outbox-stream';
import { ddb, NOW_S, TABLE, transactItems } from '../support/dynamo-mock';
import { fakePorts } from '../support/fakes';
import { makeJob, NOW, settings } from '../support/fixtures';

// The outbox entries in the table: written in the commit's transaction, read back from the
// stream, their delivery marked on the entry.

const clock = { now: () => NOW };
const client = new DynamoDBClient({ region: 'ap-east-1' });
const booked: Decision = {
  job: makeJob({ version: 1 }),
  history: [{ type: 'job.booked', at: NOW.toISOString(), actor: 'resident:r-1', data: {} }],
  resume: null,
};
const [write] = outboxed([{ kind: 'job', decision: booked, expectedVersion: null }], settings(), NOW);
const entry = entryOf(write as NonNullable<typeof write>);

beforeEach(() => ddb.reset());

const inserted = (keys: Record<string, string>, item: Record<string, unknown>): DynamoDBRecord => ({
  eventID: 'e-1',
  eventName: 'INSERT',
  dynamodb: {
    Keys: marshall(keys) as never,
    NewImage: marshall({ ...keys, ...item }, { removeUndefinedValues: true }) as never,
    SequenceNumber: '1',
  },
});

describe('the commit', () => {
  it("puts one outbox entry per write beside its history, new, in the aggregate's partition", async () => {
    ddb.on(TransactWriteCommand).resolves({});

    await new DynamoJobStore(client, TABLE, clock).commit([write as NonNullable<typeof write>]);

    const items = transactItems();
    expect(items.map((i) => [i.Put?.Item?.pk, i.Put?.Item?.sk?.toString().slice(0, 7)])).toEqual([
      ['JOB#job-1', 'JOB'],
      ['JOB#job-1', 'EVT#202'],
      ['JOB#job-1', 'OUTBOX#'],
    ]);
    expect(items[2]?.Put).toMatchObject({
      Item: { sk: 'OUTBOX#000001', subject: 'job', subjectId: 'job-1', version: 1 },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    expect(items[2]?.Put?.Item?.messages.map((m: { id: string }) => m.id)).toEqual([
      'job-1:1:0',
      'job-1:1:1',
      'job-1:1:2',
    ]);
  });

  it('writes no entry for a write that announces nothing', async () => {
    ddb.on(TransactWriteCommand).resolves({});

    await new DynamoJobStore(client, TABLE, clock).save(booked, 0);

    expect(transactItems().map((i) => i.Put?.Item?.sk?.toString().slice(0, 3))).toEqual(['JOB', 'EVT']);
  });
});

describe('outboxEntryOf', () => {
  const keys = { pk: 'JOB#job-1', sk: 'OUTBOX#000001' };

  it('reads the entry an INSERT put, as it was written', () => {
    expect(outboxEntryOf(inserted(keys, outboxItem(entry)))).toEqual(entry);
  });

  it('skips its own mark (MODIFY), an expiry (REMOVE), other items, and OUTBOX# keys outside a job or complaint', () => {
    const record = inserted(keys, outboxItem(entry));
    expect(outboxEntryOf({ ...record, eventName: 'MODIFY' })).toBeNull();
    expect(outboxEntryOf({ ...record, eventName: 'REMOVE' })).toBeNull();
    expect(outboxEntryOf(inserted({ pk: 'JOB#job-1', sk: 'EVT#x' }, {}))).toBeNull();
    expect(outboxEntryOf(inserted({ pk: 'BENCH#tx-1', sk: 'OUTBOX#000001' }, { messages: [] }))).toBeNull();
  });
});

describe('DynamoOutboxLedger', () => {
  const ledger = () => new DynamoOutboxLedger(new DynamoTable(client, TABLE, clock), clock);

  it('reads the delivered ids from the entry, consistently; none when it has no marks', async () => {
    ddb
      .on(GetCommand)
      .resolvesOnce({ Item: { delivered: new Set(['job-1:1:0']) } })
      .resolvesOnce({ Item: {} });

    expect(await ledger().delivered(entry)).toEqual(new Set(['job-1:1:0']));
    expect(await ledger().delivered(entry)).toEqual(new Set());
    expect(ddb.commandCalls(GetCommand)[0]?.args[0].input).toMatchObject({
      Key: { pk: 'JOB#job-1', sk: 'OUTBOX#000001' },
      ConsistentRead: true,
    });
  });

  it('adds the ids to the set; once complete, the entry expires after two days', async () => {
    ddb.on(UpdateCommand).resolves({});

    await ledger().markDelivered(entry, ['job-1:1:0'], false);
    await ledger().markDelivered(entry, ['job-1:1:1', 'job-1:1:2'], true);

    const [partial, complete] = ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input);
    expect(partial).toMatchObject({
      UpdateExpression: 'ADD #delivered :ids',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':ids': new Set(['job-1:1:0']) },
    });
    expect(complete).toMatchObject({
      UpdateExpression: 'ADD #delivered :ids SET #ttl = :ttl',
      ExpressionAttributeValues: {
        ':ids': new Set(['job-1:1:1', 'job-1:1:2']),
        ':ttl': NOW_S + 2 * 24 * 3600,
      },
    });
  });
});

describe('retryPauseMs', () => {
  const aged = (seconds: number): DynamoDBRecord => ({
    dynamodb: { ApproximateCreationDateTime: NOW_S - seconds },
  });

  it('pauses an eighth of the record age, at most the cap; nothing without a cap', () => {
    expect(retryPauseMs(aged(8), NOW.getTime(), 20_000)).toBe(1_000);
    expect(retryPauseMs(aged(600), NOW.getTime(), 20_000)).toBe(20_000);
    expect(retryPauseMs(aged(600), NOW.getTime(), 0)).toBe(0);
  });
});

describe('outboxStreamHandler', () => {
  it('delivers an inserted entry once: a redelivered batch sends nothing twice', async () => {
    const p = fakePorts();
    const handler = outboxStreamHandler({
      ...p,
      observability: localObservability({}),
      webhookSecrets: async () => '',
      streamPauseCapMs: 0,
    } as unknown as AppPorts);
    const event = { Records: [inserted({ pk: 'JOB#job-1', sk: 'OUTBOX#000001' }, outboxItem(entry))] };
    const context = {} as Context;

    expect(await handler(event, context)).toEqual({ batchItemFailures: [] });
    expect(await handler(event, context)).toEqual({ batchItemFailures: [] });

    expect(p.notifier.published.map((n) => n.notice.attributes?.messageId)).toEqual([
      'job-1:1:0',
      'job-1:1:1',
    ]);
    expect(p.workflow.started).toEqual(['job-1']);
  });

  it('answers the record as failed while SNS is down, and sends the rest once it is back', async () => {
    const p = fakePorts();
    const handler = outboxStreamHandler({
      ...p,
      observability: localObservability({}),
      streamPauseCapMs: 0,
    } as unknown as AppPorts);
    const event = { Records: [inserted({ pk: 'JOB#job-1', sk: 'OUTBOX#000001' }, outboxItem(entry))] };
    p.notifier.failWith = Object.assign(new Error('down'), { name: 'InternalErrorException' });

    expect(await handler(event, {} as Context)).toEqual({ batchItemFailures: [{ itemIdentifier: '1' }] });
    p.notifier.failWith = undefined;
    expect(await handler(event, {} as Context)).toEqual({ batchItemFailures: [] });

    expect(p.notifier.published).toHaveLength(2);
    expect(p.workflow.started).toEqual(['job-1']);
  });
});
