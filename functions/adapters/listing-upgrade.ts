import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  ScanCommand,
  type ScanCommandOutput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { propertyOf } from '../domain/types';
import { complaintFromItem, complaintItem } from './dynamo-complaint-store';
import { jobFromItem, jobItem } from './dynamo-job-store';
import { DynamoTable } from './dynamo-table';
import { PropertyRegistry } from './property-registry';
import { INDEXES, KEY, LEGACY_LISTING } from './table-layout';

// Items written before the listing indexes were keyed by property sit in the old company-wide
// partitions (allJobs `JOB` / `COMPLAINT`, byStatus `STATUS#<status>`, withNextStep `STEP`, and the
// complaints' `C…` twins). This moves them to their property's partitions, once: at the start of
// the local stack on an older DATA_DIR, and on AWS by `npx tsx scripts/upgrade-listings.ts <table>`
// right after the deploy (docs/deploy.md). Until then old items are still read by id, but no
// listing shows them. Idempotent, and safe alongside traffic: each item is re-keyed only while it
// still has its old keys, and its version is left alone (index bookkeeping, nothing decided).

const { byStatus, allJobs, withNextStep } = INDEXES;
/** The index keys that moved; byResident and lastSigned kept theirs. */
const MOVED: readonly string[] = [byStatus, allJobs, withNextStep].flatMap((i) => [
  i.partitionKey,
  i.sortKey,
]);

export interface UpgradeReport {
  /** The table was re-keyed before (its marker is there): nothing was read. */
  skipped: boolean;
  rekeyed: number;
}

/** Re-keys every item still in the old partitions and registers their properties; then marks the table. */
export async function upgradeListings(
  client: DynamoDBClient,
  tableName: string,
  opts: { force?: boolean } = {},
): Promise<UpgradeReport> {
  // The table's clock dates receipts only, and this writes none.
  const table = new DynamoTable(client, tableName, { now: () => new Date() });
  const { doc } = table;
  const registry = new PropertyRegistry(table);
  const marker = await doc.send(new GetCommand({ TableName: tableName, Key: LEGACY_LISTING.marker }));
  if (marker.Item && !opts.force) return { skipped: true, rekeyed: 0 };
  let rekeyed = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page: ScanCommandOutput = await doc.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: '#all IN (:jobs, :complaints)',
        ExpressionAttributeNames: { '#all': allJobs.partitionKey },
        ExpressionAttributeValues: { ':jobs': LEGACY_LISTING.jobs, ':complaints': LEGACY_LISTING.complaints },
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) {
      const legacy = item[allJobs.partitionKey] as string;
      const fresh: Record<string, unknown> =
        legacy === LEGACY_LISTING.jobs ? jobItem(jobFromItem(item)) : complaintItem(complaintFromItem(item));
      await registry.note([propertyOf(String(item.unitId))]);
      if (await rekey(doc, tableName, item, fresh, legacy)) rekeyed++;
    }
    start = page.LastEvaluatedKey;
  } while (start);
  await doc.send(new PutCommand({ TableName: tableName, Item: { ...LEGACY_LISTING.marker, rekeyed } }));
  return { skipped: false, rekeyed };
}

/** The moved keys as the item would be written today (withNextStep removed if it has none); false if it moved meanwhile. */
async function rekey(
  doc: DynamoDBDocumentClient,
  tableName: string,
  item: Record<string, unknown>,
  fresh: Record<string, unknown>,
  legacy: string,
): Promise<boolean> {
  const set = MOVED.filter((k) => fresh[k] !== undefined);
  const remove = MOVED.filter((k) => fresh[k] === undefined);
  const names = Object.fromEntries(MOVED.map((k, i) => [`#k${i}`, k]));
  const alias = (k: string) => `#k${MOVED.indexOf(k)}`;
  try {
    await doc.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { [KEY.partition]: item[KEY.partition], [KEY.sort]: item[KEY.sort] },
        UpdateExpression: [
          `SET ${set.map((k) => `${alias(k)} = :${alias(k).slice(1)}`).join(', ')}`,
          ...(remove.length ? [`REMOVE ${remove.map(alias).join(', ')}`] : []),
        ].join(' '),
        // Only while it still lists in the old partition: a write since put it where it belongs.
        ConditionExpression: `${alias(allJobs.partitionKey)} = :legacy`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: {
          ':legacy': legacy,
          ...Object.fromEntries(set.map((k) => [`:${alias(k).slice(1)}`, fresh[k]])),
        },
      }),
    );
    return true;
  } catch (e) {
    if (e instanceof ConditionalCheckFailedException) return false;
    throw e;
  }
}
