import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  ScanCommand,
} from '@aws-sdk/lib-dynamodb';
import { startDynamo } from '../../local/dynamodb';
import { TABLE_NAME } from '../../local/stack';
import { tableDefinition } from '../../local/table';
import { urgentBooking } from '../support/client';
import { testStack } from '../support/stack';

// A DATA_DIR made before an index existed (0.6 added lastSigned, dispatch byTechnician) is upgraded
// at start, not refused.

const dir = mkdtempSync(join(tmpdir(), 'data-upgrade-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('a table from before the lastSigned and byTechnician indexes gets them, built and active, when DynamoDB Local starts on it', async () => {
  const added = ['lastSigned', 'byTechnician'];
  const old = tableDefinition('home-repair');
  old.GlobalSecondaryIndexes = old.GlobalSecondaryIndexes?.filter((i) => !added.includes(i.IndexName ?? ''));
  old.AttributeDefinitions = old.AttributeDefinitions?.filter((a) => !/^gsi[56]/.test(a.AttributeName ?? ''));
  const first = await startDynamo(dir, 'other-table');
  await first.client.send(new CreateTableCommand(old));
  await first.stop();

  const second = await startDynamo(dir, 'home-repair');
  try {
    const { Table } = await second.client.send(new DescribeTableCommand({ TableName: 'home-repair' }));
    const indexes = Object.fromEntries(
      (Table?.GlobalSecondaryIndexes ?? []).map((i) => [i.IndexName, i.IndexStatus]),
    );
    expect(indexes).toEqual({
      byResident: 'ACTIVE',
      byStatus: 'ACTIVE',
      allJobs: 'ACTIVE',
      withNextStep: 'ACTIVE',
      lastSigned: 'ACTIVE',
      byTechnician: 'ACTIVE',
    });
  } finally {
    await second.stop();
  }
});

// 0.x keyed the listing indexes by property: a DATA_DIR from before has its jobs and complaints in
// the company-wide partitions (allJobs `JOB`, byStatus `STATUS#<status>`, withNextStep `STEP`,
// and the complaints' `C…`) and no registry of properties. The start moves them, once.
describe('a DATA_DIR from before the property-keyed listings', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'listing-upgrade-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  const booked: Record<string, string> = {};
  let complaintId = '';

  /** Puts an item back as the version before wrote it: legacy partitions, nothing registered. */
  async function toLegacy(doc: DynamoDBDocumentClient, item: Record<string, unknown>) {
    const complaint = String(item.pk).startsWith('COMPLAINT#');
    const c = complaint ? 'C' : '';
    const legacy: Record<string, unknown> = {
      ...item,
      gsi2pk: `${c}STATUS#${item.status}`,
      gsi3pk: complaint ? 'COMPLAINT' : 'JOB',
      ...(item.gsi4pk !== undefined && { gsi4pk: `${c}STEP` }),
    };
    await doc.send(new PutCommand({ TableName: TABLE_NAME, Item: legacy }));
  }

  beforeAll(async () => {
    const first = await testStack({ dataDir, clockSpeed: 0 });
    try {
      const resident = await first.client.token('r-old', 'resident');
      for (const unitId of ['A1-0101', 'B2-0202']) {
        const r = await first.client.bookJob(resident, urgentBooking({ unitId }) as never);
        booked[unitId.slice(0, 2)] = (r.body as { jobId: string }).jobId;
      }
      const c = await first.client.fileComplaint(resident, {
        jobId: booked.A1 as string,
        category: 'quality',
        description: 'Still dripping',
      });
      complaintId = (c.body as { complaintId: string }).complaintId;
      await first.stack.workflow.settle();
    } finally {
      await first.stack.stop();
    }
    const dynamo = await startDynamo(join(dataDir, 'dynamodb'), TABLE_NAME);
    try {
      const doc = DynamoDBDocumentClient.from(dynamo.client);
      const { Items = [] } = await doc.send(new ScanCommand({ TableName: TABLE_NAME }));
      for (const item of Items) {
        if (item.sk === 'JOB' || item.sk === 'COMPLAINT') await toLegacy(doc, item);
        if (String(item.pk).startsWith('SEENPROPERTY#') || String(item.pk).startsWith('UPGRADE#'))
          await doc.send(new DeleteCommand({ TableName: TABLE_NAME, Key: { pk: item.pk, sk: item.sk } }));
      }
    } finally {
      await dynamo.stop();
    }
  });

  test('the start re-keys the old items, so the listings, the board, a scope and the restart find them again', async () => {
    const { stack, client } = await testStack({ dataDir, clockSpeed: 0 });
    try {
      const company = await client.token('m-all', 'manager');
      const b2 = await client.token('m-b2', 'manager', ['B2']);
      const agent = await client.token('a-all', 'agent');
      const jobIds = async (token: string, query = {}) =>
        (
          (await client.listJobs(token, { limit: 100, ...query })).body as { items: { jobId: string }[] }
        ).items.map((j) => j.jobId);

      expect(stack.resume.read).toBe(2);
      expect(stack.resumedComplaints.read).toBe(1);
      expect((await jobIds(company)).sort()).toEqual([booked.A1, booked.B2].sort());
      expect((await jobIds(company, { open: true })).sort()).toEqual([booked.A1, booked.B2].sort());
      expect(await jobIds(company, { status: 'booked', property: 'A1' })).toEqual([booked.A1]);
      expect(await jobIds(b2)).toEqual([booked.B2]);
      const queue = await client.listComplaints(agent, { open: true });
      expect((queue.body as { items: { complaintId: string }[] }).items.map((c) => c.complaintId)).toEqual([
        complaintId,
      ]);
      const doc = DynamoDBDocumentClient.from(stack.dynamo.client);
      const job = await doc.send(
        new GetCommand({ TableName: TABLE_NAME, Key: { pk: `JOB#${booked.A1}`, sk: 'JOB' } }),
      );
      expect(job.Item).toMatchObject({ gsi2pk: 'STATUS#A1#booked', gsi3pk: 'JOB#A1', gsi4pk: 'STEP#A1' });
    } finally {
      await stack.stop();
    }
  });
});
