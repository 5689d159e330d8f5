import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { PropertySettings, Technician } from '../domain/policy';
import type { Clock, Directory } from '../domain/ports';
import { DynamoTable, withoutLayout } from './dynamo-table';
import { DIRECTORY_ITEM, INDEXES, KEY } from './table-layout';

// Properties and technicians as items of the one table (table-layout.ts DIRECTORY_ITEM). A write
// replaces the item whole: PUT is the contract's verb, and the item is the manager's form.

const { allJobs } = INDEXES;

const propertyKey = (propertyId: string) => ({
  [KEY.partition]: `${DIRECTORY_ITEM.propertyPrefix}${propertyId}`,
  [KEY.sort]: DIRECTORY_ITEM.sort,
});
const technicianKey = (technicianId: string) => ({
  [KEY.partition]: `${DIRECTORY_ITEM.technicianPrefix}${technicianId}`,
  [KEY.sort]: DIRECTORY_ITEM.sort,
});

export class DynamoDirectory implements Directory {
  readonly table: DynamoTable;

  constructor(client: DynamoDBClient, tableName: string, clock: Clock) {
    this.table = new DynamoTable(client, tableName, clock);
  }

  async property(propertyId: string): Promise<PropertySettings | null> {
    const item = await this.table.get(propertyKey(propertyId));
    if (!item) return null;
    const { propertyId: _id, ...settings } = withoutLayout(item) as unknown as PropertySettings & {
      propertyId: string;
    };
    return settings;
  }

  saveProperty(propertyId: string, settings: PropertySettings): Promise<void> {
    return this.put({
      ...propertyKey(propertyId),
      ...settings,
      propertyId,
      [allJobs.partitionKey]: DIRECTORY_ITEM.propertyListing,
      [allJobs.sortKey]: propertyId,
    });
  }

  properties(): Promise<(PropertySettings & { propertyId: string })[]> {
    return this.all(DIRECTORY_ITEM.propertyListing);
  }

  async technician(technicianId: string): Promise<Technician | null> {
    const item = await this.table.get(technicianKey(technicianId));
    return item ? (withoutLayout(item) as unknown as Technician) : null;
  }

  saveTechnician(t: Technician): Promise<void> {
    return this.put({
      ...technicianKey(t.technicianId),
      ...t,
      [allJobs.partitionKey]: DIRECTORY_ITEM.technicianListing,
      [allJobs.sortKey]: t.technicianId,
    });
  }

  async technicians(property?: string): Promise<Technician[]> {
    const all = await this.all<Technician>(DIRECTORY_ITEM.technicianListing);
    return property ? all.filter((t) => t.properties.includes(property)) : all;
  }

  private async put(item: Record<string, unknown>): Promise<void> {
    await this.table.send(() =>
      this.table.doc.send(new PutCommand({ TableName: this.table.name, Item: item })),
    );
  }

  /** Every item of one directory listing (a company has hundreds, not millions). */
  private async all<T>(partition: string): Promise<T[]> {
    return (await this.table.queryAll('allJobs', partition)).map((item) => withoutLayout(item) as T);
  }
}
