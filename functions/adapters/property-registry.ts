import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { type DynamoTable, NEW_ITEM } from './dynamo-table';
import { INDEXES, KEY, SEEN_PROPERTY } from './table-layout';

// The properties a listing of the whole company merges (table-layout.ts SEEN_PROPERTY): every
// property that ever had a job or a complaint. The job store notes a write's property before its
// transaction, so no committed job is ever missing from the company's listings (a failed
// transaction leaves a property with nothing in it, which a listing merely finds empty).

const { allJobs } = INDEXES;

export const seenPropertyItem = (propertyId: string) => ({
  [KEY.partition]: `${SEEN_PROPERTY.partitionPrefix}${propertyId}`,
  [KEY.sort]: SEEN_PROPERTY.sort,
  propertyId,
  [allJobs.partitionKey]: SEEN_PROPERTY.listing,
  [allJobs.sortKey]: propertyId,
});

export class PropertyRegistry {
  /** Noted by this process: each property costs one conditional write per process, not per job. */
  private readonly noted = new Set<string>();

  constructor(private readonly table: DynamoTable) {}

  /** Records each property, unless this process recorded it before or it is there already. */
  async note(properties: Iterable<string>): Promise<void> {
    const fresh = [...new Set(properties)].filter((id) => !this.noted.has(id));
    await Promise.all(fresh.map((id) => this.put(id)));
    for (const id of fresh) this.noted.add(id);
  }

  private async put(propertyId: string): Promise<void> {
    try {
      await this.table.send(() =>
        this.table.doc.send(
          new PutCommand({
            TableName: this.table.name,
            Item: seenPropertyItem(propertyId),
            ConditionExpression: NEW_ITEM,
          }),
        ),
      );
    } catch (e) {
      if (!(e instanceof ConditionalCheckFailedException)) throw e;
    }
  }

  /** Every property ever seen, by id (a company has tens or hundreds: one Query, rarely two). */
  async all(): Promise<string[]> {
    return (await this.table.queryAll('allJobs', SEEN_PROPERTY.listing)).map((item) =>
      String(item.propertyId),
    );
  }
}
