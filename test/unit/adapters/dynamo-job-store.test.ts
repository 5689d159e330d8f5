import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { DynamoJobStore } from '../../../functions/adapters/dynamo-job-store';
import type { ComplaintDecision } from '../../../functions/domain/complaints';
import {
  NotFoundError,
  StaleWriteError,
  UnavailableError,
  ValidationError,
} from '../../../functions/domain/errors';
import type { Decision } from '../../../functions/domain/lifecycle';
import { QuotaExceededError, type Receipt, ReceiptExistsError } from '../../../functions/domain/ports';
import { canceled, ddb, NOW_S, TABLE, transactItems } from '../support/dynamo-mock';
import { complaintIn, defined, jobIn, NOW, rejectionOf } from '../support/fixtures';

const clock = { now: () => NOW };

// The chain's hashes written out by hand (history-chain.ts is not asked): canonical JSON, keys sorted.
const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const FIRST_HASH = sha256(
  `{"actor":"technician:t-1","at":"${NOW.toISOString()}","data":{"a":1},"id":"job-1","prevHash":null,"subject":"job","type":"job.accepted"}`,
);
const SECOND_HASH = sha256(
  `{"actor":"system","at":"${NOW.toISOString()}","data":{},"id":"job-1","prevHash":"${FIRST_HASH}","subject":"job","type":"note"}`,
);

const store = () => new DynamoJobStore(new DynamoDBClient({ region: 'ap-east-1' }), TABLE, clock);

const job = jobIn('accepted', { version: 5, createdAt: '2026-11-20T01:00:00.000Z' });
const decision: Decision = {
  job,
  history: [
    { type: 'job.accepted', at: NOW.toISOString(), actor: 'technician:t-1', data: { a: 1 } },
    { type: 'note', at: NOW.toISOString(), actor: 'system', data: {} },
  ],
  resume: null,
};
const receipt: Receipt = {
  kind: 'webhook',
  key: 'msg-1',
  bodyHash: 'h',
  result: { jobId: 'job-1', status: 'accepted' },
};

beforeEach(() => {
  ddb.reset();
});

describe('get', () => {
  it('reads the job item by key, consistently', async () => {
    ddb.on(GetCommand).resolves({});

    await store().get('job-1');

    expect(ddb.commandCalls(GetCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      Key: { pk: 'JOB#job-1', sk: 'JOB' },
      ConsistentRead: true,
    });
  });

  it('returns null for a missing job', async () => {
    ddb.on(GetCommand).resolves({});

    expect(await store().get('job-1')).toBeNull();
  });

  it('strips the table keys and index attributes from the job', async () => {
    ddb.on(GetCommand).resolves({
      Item: {
        ...job,
        pk: 'JOB#job-1',
        sk: 'JOB',
        gsi1pk: 'a',
        gsi1sk: 'b',
        gsi2pk: 'c',
        gsi2sk: 'd',
        gsi3pk: 'e',
        gsi3sk: 'f',
      },
    });

    expect(await store().get('job-1')).toEqual(job);
  });
});

describe('save', () => {
  it('writes the job on condition that its version is the one read', async () => {
    ddb.on(TransactWriteCommand).resolves({});

    await store().save(decision, 4);

    expect(transactItems()[0]?.Put).toMatchObject({
      TableName: TABLE,
      ConditionExpression: 'version = :expected',
      ExpressionAttributeValues: { ':expected': 4 },
    });
  });

  it('writes an open job with the keys of every listing index and of the next-step index', async () => {
    ddb.on(TransactWriteCommand).resolves({});

    await store().save(decision, 4);

    expect(transactItems()[0]?.Put?.Item).toEqual({
      ...job,
      pk: 'JOB#job-1',
      sk: 'JOB',
      gsi1pk: 'RES#r-1',
      gsi1sk: '2026-11-20T01:00:00.000Z#job-1',
      gsi2pk: 'STATUS#B2#accepted',
      gsi2sk: '2026-11-20T01:00:00.000Z#job-1',
      gsi3pk: 'JOB#B2',
      gsi3sk: '2026-11-20T01:00:00.000Z#job-1',
      gsi4pk: 'STEP#B2',
      gsi4sk: '2026-11-20T01:00:00.000Z#job-1',
      // Held by its technician: counted against their maxOpenJobs.
      gsi6pk: 'TECH#t-1',
      gsi6sk: '2026-11-20T01:00:00.000Z#job-1',
      // The newest history item's hash, so the next commit chains without reading the history.
      historyHead: SECOND_HASH,
    });
  });

  it("chains a commit's history onto the head the job was read with, and moves the head", async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const head = 'f'.repeat(64);

    await store().save({ ...decision, job: { ...job, historyHead: head } }, 4);

    const items = transactItems();
    expect(items[1]?.Put?.Item).toMatchObject({ prevHash: head });
    expect(items[2]?.Put?.Item?.prevHash).toBe(items[1]?.Put?.Item?.hash);
    expect(items[0]?.Put?.Item?.historyHead).toBe(items[2]?.Put?.Item?.hash);
    expect(items[1]?.Put?.Item?.hash).not.toBe(FIRST_HASH);
  });

  it('keeps the head of a commit without history', async () => {
    ddb.on(TransactWriteCommand).resolves({});

    await store().save({ ...decision, job: { ...job, historyHead: FIRST_HASH }, history: [] }, 4);

    expect(transactItems()[0]?.Put?.Item?.historyHead).toBe(FIRST_HASH);
  });

  it('leaves a job the workflow has no step for off the next-step index', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const closed = { ...decision, job: { ...job, status: 'closed' as const } };

    await store().save(closed, 4);

    expect(transactItems()[0]?.Put?.Item).not.toHaveProperty('gsi4pk');
    expect(transactItems()[0]?.Put?.Item).not.toHaveProperty('gsi4sk');
  });

  it('appends each history entry as a new item in the same transaction, never overwriting', async () => {
    ddb.on(TransactWriteCommand).resolves({});

    await store().save(decision, 4);

    const items = transactItems();
    expect(items).toHaveLength(3);
    expect(items[1]?.Put).toEqual({
      TableName: TABLE,
      Item: {
        pk: 'JOB#job-1',
        sk: `EVT#${NOW.toISOString()}#000005#0`,
        ...decision.history[0],
        prevHash: null,
        hash: FIRST_HASH,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    expect(items[2]?.Put?.Item).toMatchObject({
      sk: `EVT#${NOW.toISOString()}#000005#1`,
      prevHash: FIRST_HASH,
      hash: SECOND_HASH,
    });
  });

  it('writes a webhook receipt last, with a seven-day TTL', async () => {
    ddb.on(TransactWriteCommand).resolves({});

    await store().save(decision, 4, receipt);

    const items = transactItems();
    expect(items[items.length - 1]?.Put).toEqual({
      TableName: TABLE,
      Item: { pk: 'HOOK#msg-1', sk: 'RECEIPT', ...receipt, ttl: NOW_S + 7 * 24 * 3600 },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  });

  it('turns a failed version check on the first item into StaleWriteError', async () => {
    ddb.on(TransactWriteCommand).rejects(canceled('ConditionalCheckFailed', 'None', 'None', 'None'));

    expect(await rejectionOf(store().save(decision, 4, receipt))).toBeInstanceOf(StaleWriteError);
  });

  it('turns a failed check on the receipt item into ReceiptExistsError', async () => {
    ddb.on(TransactWriteCommand).rejects(canceled('None', 'None', 'None', 'ConditionalCheckFailed'));

    expect(await rejectionOf(store().save(decision, 4, receipt))).toBeInstanceOf(ReceiptExistsError);
  });

  it('reports the receipt first when both the receipt and the version fail', async () => {
    ddb
      .on(TransactWriteCommand)
      .rejects(canceled('ConditionalCheckFailed', 'None', 'None', 'ConditionalCheckFailed'));

    expect(await rejectionOf(store().save(decision, 4, receipt))).toBeInstanceOf(ReceiptExistsError);
  });

  it('does not read a failed last history item as a receipt when there is no receipt', async () => {
    const failure = canceled('None', 'None', 'ConditionalCheckFailed');
    ddb.on(TransactWriteCommand).rejects(failure);

    expect(await rejectionOf(store().save(decision, 4))).toBe(failure);
  });

  it('answers a transaction conflict as transient: 503 with Retry-After, nothing written', async () => {
    ddb.on(TransactWriteCommand).rejects(canceled('None', 'TransactionConflict', 'None', 'None'));

    const error = await rejectionOf(store().save(decision, 4, receipt));

    expect(error).toBeInstanceOf(UnavailableError);
    expect((error as UnavailableError).retryAfterSeconds).toBe(2);
  });

  it('rethrows a cancellation for any other reason', async () => {
    const failure = canceled('None', 'ValidationError', 'None', 'None');
    ddb.on(TransactWriteCommand).rejects(failure);

    expect(await rejectionOf(store().save(decision, 4, receipt))).toBe(failure);
  });

  it.each([
    [
      'a refused connection',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), { code: 'ECONNREFUSED' }),
    ],
    ['throttling', Object.assign(new Error('slow down'), { name: 'ThrottlingException' })],
    ['a 500 from the service', Object.assign(new Error('boom'), { $metadata: { httpStatusCode: 500 } })],
  ])('turns %s into a 503', async (_, failure) => {
    ddb.on(GetCommand).rejects(failure);

    expect(await rejectionOf(store().get('job-1'))).toBeInstanceOf(UnavailableError);
  });

  it('rethrows errors that are not cancellations', async () => {
    const failure = new Error('ProvisionedThroughputExceeded');
    ddb.on(TransactWriteCommand).rejects(failure);

    expect(await rejectionOf(store().save(decision, 4))).toBe(failure);
  });
});

describe('park', () => {
  const wait = { token: 'tok', milestone: 'arrival' } as const;
  const failed = () =>
    new ConditionalCheckFailedException({ $metadata: {}, message: 'The conditional request failed' });

  it('stores the token and bumps the version in one conditional UpdateItem', async () => {
    ddb.on(UpdateCommand).resolves({});

    expect(await store().park('job-1', wait, ['booked', 'accepted'])).toEqual({ parked: true });

    const input = defined(ddb.commandCalls(UpdateCommand)[0], 'UpdateItem call').args[0].input;
    expect(input).toMatchObject({
      TableName: TABLE,
      Key: { pk: 'JOB#job-1', sk: 'JOB' },
      UpdateExpression: 'SET #wait = :wait, #version = #version + :one',
      ConditionExpression: 'attribute_exists(pk) AND #status IN (:s0, :s1)',
      ExpressionAttributeValues: { ':wait': wait, ':one': 1, ':s0': 'booked', ':s1': 'accepted' },
    });
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('when the job has left the waiting statuses, writes nothing and returns the job as it is', async () => {
    ddb.on(UpdateCommand).rejects(failed());
    ddb.on(GetCommand).resolves({ Item: { pk: 'JOB#job-1', sk: 'JOB', ...jobIn('arrived') } });

    expect(await store().park('job-1', wait, ['booked'])).toEqual({ parked: false, job: jobIn('arrived') });
  });

  it('reports an unknown job as NotFoundError', async () => {
    ddb.on(UpdateCommand).rejects(failed());
    ddb.on(GetCommand).resolves({});

    expect(await rejectionOf(store().park('nope', wait, ['booked']))).toBeInstanceOf(NotFoundError);
  });
});

describe('create', () => {
  it('counts the booking against the quota in the same transaction, before the receipt', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const windowEndsAt = new Date('2026-11-23T09:00:00.000Z');

    await store().create(decision, receipt, { key: 'r-1#2026-11-23T08:00:00.000Z', limit: 10, windowEndsAt });

    const items = transactItems();
    const update = items.at(-2)?.Update;
    expect(update?.Key).toEqual({ pk: 'QUOTA#r-1#2026-11-23T08:00:00.000Z', sk: 'QUOTA' });
    expect(update?.ConditionExpression).toBe('attribute_not_exists(#count) OR #count < :limit');
    expect(update?.ExpressionAttributeValues?.[':limit']).toBe(10);
    expect(items.at(-1)?.Put?.Item?.pk).toMatch(/^(IDEM|HOOK)#/);
  });

  it('reports a full quota as QuotaExceededError', async () => {
    ddb.on(TransactWriteCommand).rejects(canceled('None', 'None', 'None', 'ConditionalCheckFailed', 'None'));
    const quota = { key: 'r-1#w', limit: 1, windowEndsAt: new Date('2026-11-23T09:00:00.000Z') };

    expect(await rejectionOf(store().create(decision, receipt, quota))).toBeInstanceOf(QuotaExceededError);
  });

  it('writes the job only if it does not exist yet', async () => {
    ddb.on(TransactWriteCommand).resolves({});

    await store().create(decision);

    expect(transactItems()[0]?.Put?.ConditionExpression).toBe('attribute_not_exists(pk)');
    expect(transactItems()[0]?.Put?.ExpressionAttributeValues).toBeUndefined();
  });

  it('writes an idempotency receipt with a one-day TTL', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const idem: Receipt = { ...receipt, kind: 'idempotency', key: 'r-1#key-1' };

    await store().create(decision, idem);

    const item = transactItems()[3]?.Put?.Item;
    expect(item).toMatchObject({ pk: 'IDEM#r-1#key-1', sk: 'RECEIPT', ttl: NOW_S + 24 * 3600 });
  });

  it('turns a taken idempotency key into ReceiptExistsError', async () => {
    ddb.on(TransactWriteCommand).rejects(canceled('None', 'None', 'None', 'ConditionalCheckFailed'));

    const error = await rejectionOf(store().create(decision, { ...receipt, kind: 'idempotency' }));

    expect(error).toBeInstanceOf(ReceiptExistsError);
  });
});

describe('receipt', () => {
  it('reads the receipt by kind and key and returns only its fields', async () => {
    ddb.on(GetCommand).resolves({ Item: { pk: 'HOOK#msg-1', sk: 'RECEIPT', ttl: 1, ...receipt } });

    const found = await store().receipt('webhook', 'msg-1');

    expect(found).toEqual(receipt);
    expect(ddb.commandCalls(GetCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      Key: { pk: 'HOOK#msg-1', sk: 'RECEIPT' },
      ConsistentRead: true,
    });
  });

  it('looks idempotency receipts up under IDEM#', async () => {
    ddb.on(GetCommand).resolves({});

    expect(await store().receipt('idempotency', 'r-1#k')).toBeNull();
    expect(ddb.commandCalls(GetCommand)[0]?.args[0].input.Key).toEqual({ pk: 'IDEM#r-1#k', sk: 'RECEIPT' });
  });
});

describe('history', () => {
  it('reads every page of history items, oldest first, and only their public fields', async () => {
    const item = (type: string) => ({
      pk: 'JOB#job-1',
      sk: `EVT#${type}`,
      type,
      at: 'a',
      actor: 'x',
      data: {},
    });
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Items: [item('one')], LastEvaluatedKey: { pk: 'JOB#job-1', sk: 'EVT#one' } })
      .resolvesOnce({ Items: [item('two')] });

    const items = await store().history('job-1');

    expect(items).toEqual([
      { type: 'one', at: 'a', actor: 'x', data: {} },
      { type: 'two', at: 'a', actor: 'x', data: {} },
    ]);
    const calls = ddb.commandCalls(QueryCommand);
    expect(calls[0]?.args[0].input).toMatchObject({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :evt)',
      ExpressionAttributeValues: { ':pk': 'JOB#job-1', ':evt': 'EVT#' },
    });
    expect(calls[1]?.args[0].input.ExclusiveStartKey).toEqual({ pk: 'JOB#job-1', sk: 'EVT#one' });
  });

  it('reads items in commit order with their chain links, though a writer with a slow clock recorded an earlier `at`', async () => {
    const item = (at: string, version: number, n: number, hash?: string) => ({
      pk: 'JOB#job-1',
      sk: `EVT#${at}#${String(version).padStart(6, '0')}#${n}`,
      type: `v${version}.${n}`,
      at,
      actor: 'x',
      data: {},
      ...(hash && { hash, prevHash: null }),
    });
    ddb.on(QueryCommand).resolves({
      // As DynamoDB returns them: by sort key, so by `at` first.
      Items: [
        item('2026-11-23T08:00:00.001Z', 3, 0, 'c'),
        item('2026-11-23T08:00:00.002Z', 2, 0, 'a'),
        item('2026-11-23T08:00:00.002Z', 2, 1, 'b'),
        item('2026-11-23T08:00:00.000Z', 1, 0),
      ],
    });

    const items = await store().history('job-1');

    expect(items.map((i) => i.type)).toEqual(['v1.0', 'v2.0', 'v2.1', 'v3.0']);
    expect(items[0]).not.toHaveProperty('hash');
    expect(items[1]).toEqual({
      type: 'v2.0',
      at: '2026-11-23T08:00:00.002Z',
      actor: 'x',
      data: {},
      hash: 'a',
      prevHash: null,
    });
  });
});

describe('list', () => {
  const tokenFor = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');
  const queryInput = () => defined(ddb.commandCalls(QueryCommand)[0], 'Query call').args[0].input;

  beforeEach(() => {
    ddb.on(QueryCommand).resolves({ Items: [] });
  });

  it("queries a resident's own partition of the byResident index, newest first", async () => {
    await store().list({ residentId: 'r-1', limit: 20 });

    expect(queryInput()).toMatchObject({
      IndexName: 'byResident',
      KeyConditionExpression: 'gsi1pk = :p',
      ExpressionAttributeValues: { ':p': 'RES#r-1' },
      ScanIndexForward: false,
      Limit: 20,
    });
    expect(queryInput().FilterExpression).toBeUndefined();
  });

  it('filters a resident listing by status', async () => {
    await store().list({ residentId: 'r-1', status: 'signed', limit: 20 });

    expect(queryInput()).toMatchObject({
      IndexName: 'byResident',
      FilterExpression: '#status = :status',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':p': 'RES#r-1', ':status': 'signed' },
    });
  });

  it("queries each property's partition of the byStatus index for a staff listing by status", async () => {
    await store().list({ status: 'booked', properties: ['A1', 'B2'], limit: 10 });

    const inputs = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);
    expect(inputs.map((i) => [i.IndexName, i.ExpressionAttributeValues?.[':p'], i.Limit])).toEqual([
      ['byStatus', 'STATUS#A1#booked', 10],
      ['byStatus', 'STATUS#B2#booked', 10],
    ]);
    expect(inputs[0]?.ScanIndexForward).toBe(false);
  });

  it('merges the partitions of every property ever seen for a listing of the whole company', async () => {
    ddb
      .on(QueryCommand, { IndexName: 'allJobs', ExpressionAttributeValues: { ':p': 'SEENPROPERTY' } })
      .resolves({ Items: [{ propertyId: 'A1' }, { propertyId: 'B2' }] });

    await store().list({ limit: 10 });

    const partitions = ddb
      .commandCalls(QueryCommand)
      .map((c) => c.args[0].input.ExpressionAttributeValues?.[':p']);
    expect(partitions).toEqual(['SEENPROPERTY', 'JOB#A1', 'JOB#B2']);
  });

  it('hands back the last sort key emitted as the nextToken and strips keys from the items', async () => {
    const sk = '2026-11-20T01:00:00.000Z#job-1';
    ddb.on(QueryCommand).resolves({
      Items: [{ ...job, pk: 'JOB#job-1', sk: 'JOB', gsi3pk: 'JOB#B2', gsi3sk: sk }],
      LastEvaluatedKey: { pk: 'JOB#job-1', sk: 'JOB', gsi3pk: 'JOB#B2', gsi3sk: sk },
    });

    const page = await store().list({ properties: ['B2'], limit: 1 });

    expect(page.items).toEqual([job]);
    expect(page.nextToken).toBe(tokenFor({ i: 'allJobs', k: sk }));
  });

  it('continues every partition after the sort key of the token', async () => {
    const nextToken = tokenFor({ i: 'allJobs', k: '2026-11-20T01:00:00.000Z#job-1' });

    await store().list({ properties: ['B2'], limit: 5, nextToken });

    expect(queryInput()).toMatchObject({
      KeyConditionExpression: 'gsi3pk = :p AND gsi3sk < :after',
      ExpressionAttributeValues: { ':p': 'JOB#B2', ':after': '2026-11-20T01:00:00.000Z#job-1' },
    });
  });

  it('rejects a token of another listing kind (the board) for the newest-first listing', async () => {
    const nextToken = tokenFor({ i: 'withNextStep', k: 'x#y' });

    expect(await rejectionOf(store().list({ properties: ['B2'], limit: 5, nextToken }))).toBeInstanceOf(
      ValidationError,
    );
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(0);
  });

  it("reads the board from each property's withNextStep partition, oldest first", async () => {
    await store().list({ open: true, properties: ['B2'], limit: 5 });

    expect(queryInput()).toMatchObject({
      IndexName: 'withNextStep',
      ExpressionAttributeValues: { ':p': 'STEP#B2' },
      ScanIndexForward: true,
    });
  });

  it('leaves nextToken out on the last page', async () => {
    expect(await store().list({ properties: ['B2'], limit: 1 })).not.toHaveProperty('nextToken');
  });

  it('continues from a token of the same listing', async () => {
    const key = { pk: 'JOB#job-1', sk: 'JOB', gsi1pk: 'RES#r-1', gsi1sk: 'x' };

    await store().list({ residentId: 'r-1', limit: 5, nextToken: tokenFor(key) });

    expect(queryInput().ExclusiveStartKey).toEqual(key);
  });

  it("rejects a token from another resident's partition with a 400 on nextToken", async () => {
    const key = { pk: 'JOB#job-9', sk: 'JOB', gsi1pk: 'RES#r-2', gsi1sk: 'x' };

    const error = await rejectionOf(store().list({ residentId: 'r-1', limit: 5, nextToken: tokenFor(key) }));

    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).errors).toEqual([
      { path: 'nextToken', message: 'not a token from this listing' },
    ]);
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(0);
  });

  it('rejects a token from another index', async () => {
    const key = { pk: 'JOB#job-9', sk: 'JOB', gsi2pk: 'STATUS#booked', gsi2sk: 'x' };

    expect(
      await rejectionOf(store().list({ residentId: 'r-1', limit: 5, nextToken: tokenFor(key) })),
    ).toBeInstanceOf(ValidationError);
  });

  it.each([
    'not-base64-json',
    tokenFor([]),
    Buffer.from('null').toString('base64url'),
    tokenFor({ i: 'allJobs', k: '' }),
    tokenFor({ i: 'allJobs', k: 7 }),
  ])('rejects the malformed token %j', async (nextToken) => {
    expect(await rejectionOf(store().list({ properties: ['B2'], limit: 5, nextToken }))).toBeInstanceOf(
      ValidationError,
    );
  });
});

describe('commit', () => {
  const complaint = complaintIn('received', { createdAt: '2026-11-20T02:00:00.000Z' });
  const filed: ComplaintDecision = {
    complaint,
    history: [{ type: 'complaint.received', at: NOW.toISOString(), actor: 'agent:a-1', data: {} }],
    resume: null,
  };

  it('writes a job update and a new complaint with their histories in one transaction', async () => {
    ddb.on(TransactWriteCommand).resolves({});

    await store().commit([
      { kind: 'job', decision, expectedVersion: 4, messages: [] },
      { kind: 'complaint', decision: filed, expectedVersion: null, messages: [] },
    ]);

    const items = transactItems();
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(1);
    expect(
      items.map((i) => [
        i.Put?.Item?.pk,
        i.Put?.Item?.sk?.toString().slice(0, 4),
        i.Put?.ConditionExpression,
      ]),
    ).toEqual([
      ['JOB#job-1', 'JOB', 'version = :expected'],
      ['JOB#job-1', 'EVT#', 'attribute_not_exists(pk)'],
      ['JOB#job-1', 'EVT#', 'attribute_not_exists(pk)'],
      ['COMPLAINT#c-1', 'COMP', 'attribute_not_exists(pk)'],
      ['COMPLAINT#c-1', 'EVT#', 'attribute_not_exists(pk)'],
    ]);
    expect(items[3]?.Put?.Item).toMatchObject({
      gsi1pk: 'CRES#r-1',
      gsi2pk: 'CSTATUS#B2#received',
      gsi3pk: 'COMPLAINT#B2',
      gsi4pk: 'CSTEP#B2',
      gsi4sk: `${complaint.sla.investigationDueAt}#c-1`,
    });
  });

  it('turns a failed condition on any aggregate, not only the first, into StaleWriteError', async () => {
    ddb.on(TransactWriteCommand).rejects(canceled('None', 'None', 'None', 'ConditionalCheckFailed', 'None'));

    const e = await rejectionOf(
      store().commit([
        { kind: 'job', decision, expectedVersion: 4, messages: [] },
        { kind: 'complaint', decision: filed, expectedVersion: null, messages: [] },
      ]),
    );

    expect(e).toBeInstanceOf(StaleWriteError);
  });

  it("registers the write's property before its transaction, once per process", async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const s = store();

    await s.save(decision, 4);
    await s.save(decision, 5);

    const puts = ddb.commandCalls(PutCommand);
    expect(puts.map((c) => c.args[0].input)).toEqual([
      {
        TableName: TABLE,
        Item: { pk: 'SEENPROPERTY#B2', sk: 'ITEM', propertyId: 'B2', gsi3pk: 'SEENPROPERTY', gsi3sk: 'B2' },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    ]);
    const transaction = defined(ddb.commandCalls(TransactWriteCommand)[0], 'TransactWrite call');
    expect(defined(puts[0], 'registry put').calledBefore(transaction)).toBe(true);
  });

  it('takes a property another process registered first as registered', async () => {
    ddb.on(PutCommand).rejects(new ConditionalCheckFailedException({ $metadata: {}, message: 'exists' }));
    ddb.on(TransactWriteCommand).resolves({});

    await store().save(decision, 4);

    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  it('puts a signed job on the lastSigned index of its unit and fault', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const signed = { ...decision, job: { ...job, status: 'signed' as const, signedAt: NOW.toISOString() } };

    await store().save(signed, 4);

    expect(transactItems()[0]?.Put?.Item).toMatchObject({
      gsi5pk: `SIGNED#${job.unitId}#${job.category}`,
      gsi5sk: `${NOW.toISOString()}#job-1`,
    });
  });
});

describe('lastSigned', () => {
  it("reads the unit's newest signed job of the category in one Query of one item", async () => {
    const signedAt = '2026-11-01T00:00:00.000Z';
    ddb
      .on(QueryCommand)
      .resolves({ Items: [{ ...jobIn('closed', { signedAt }), pk: 'JOB#job-1', sk: 'JOB' }] });

    const last = await store().lastSigned('B2-1203', 'plumbing');

    expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
      IndexName: 'lastSigned',
      ExpressionAttributeValues: { ':p': 'SIGNED#B2-1203#plumbing' },
      ScanIndexForward: false,
      Limit: 1,
    });
    expect(last).toEqual({ jobId: 'job-1', technician: jobIn('closed').technician, signedAt });
  });

  it('answers null when the unit has no signed job of the category', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });

    expect(await store().lastSigned('B2-1203', 'plumbing')).toBeNull();
  });
});

describe('openJobsOf', () => {
  it("counts the technician's held jobs with COUNT Queries of their byTechnician partition, every page", async () => {
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Count: 2, LastEvaluatedKey: { pk: 'JOB#b' } })
      .resolvesOnce({ Count: 1 });

    const count = await store().openJobsOf('t-1');

    expect(count).toBe(3);
    expect(ddb.commandCalls(QueryCommand).map((c) => c.args[0].input)).toEqual([
      expect.objectContaining({
        IndexName: 'byTechnician',
        ExpressionAttributeValues: { ':p': 'TECH#t-1' },
        Select: 'COUNT',
      }),
      expect.objectContaining({ ExclusiveStartKey: { pk: 'JOB#b' } }),
    ]);
  });

  it.each(['booked', 'signed', 'cancelled'] as const)(
    'leaves a %s job off the byTechnician index: it is nobody’s open job',
    async (status) => {
      ddb.on(TransactWriteCommand).resolves({});

      await store().save({ ...decision, job: { ...job, status } }, 4);

      expect(transactItems()[0]?.Put?.Item).not.toHaveProperty('gsi6pk');
    },
  );
});
