import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { startDynamo } from '../../local/dynamodb';
import { tableDefinition } from '../../local/table';

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
