import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

// Counts what the handlers and the engine ask of DynamoDB: an SDK middleware on the very
// clients they use (the store's client shares its middleware stack with its
// DynamoDBDocumentClient). It also asks for ReturnConsumedCapacity=INDEXES, so the
// capacity units are DynamoDB Local's own accounting: 1 WRU per KB written (2 in a
// transaction), each GSI write counted (3 GSIs with ALL projection here, a key change
// counting twice), 1 RRU per 4 KB strongly consistent read.

const WRITES = new Set([
  'TransactWriteItemsCommand',
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
]);

// lib-dynamodb's DocumentClient names its commands differently: count the DynamoDB API call.
const DOCUMENT_NAMES: Record<string, string> = {
  TransactWriteCommand: 'TransactWriteItemsCommand',
  TransactGetCommand: 'TransactGetItemsCommand',
  GetCommand: 'GetItemCommand',
  PutCommand: 'PutItemCommand',
  UpdateCommand: 'UpdateItemCommand',
  DeleteCommand: 'DeleteItemCommand',
  BatchWriteCommand: 'BatchWriteItemCommand',
  BatchGetCommand: 'BatchGetItemCommand',
};
const lowLevelName = (name: string) => DOCUMENT_NAMES[name] ?? name;

interface Capacity {
  CapacityUnits?: number;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
  Table?: { CapacityUnits?: number };
  GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number }>;
}

export interface MeterSnapshot {
  /** Commands by name (TransactWriteItemsCommand, GetItemCommand, …). */
  commands: Record<string, number>;
  /** Write commands: TransactWriteItems + PutItem + UpdateItem (+ DeleteItem). */
  writes: number;
  /** Items written by those commands (a transaction counts each of its items). */
  itemsWritten: number;
  reads: number;
  wru: number;
  rru: number;
  /** WRU by where they were spent: the table, and each GSI. */
  wruBy: Record<string, number>;
}

export class DynamoMeter {
  private commands = new Map<string, number>();
  private itemsWritten = 0;
  private wru = 0;
  private rru = 0;
  private wruBy = new Map<string, number>();
  private readonly attached = new WeakSet<object>();

  attach(client: Pick<DynamoDBClient, 'middlewareStack'>): void {
    if (this.attached.has(client.middlewareStack)) return;
    this.attached.add(client.middlewareStack);
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const name = lowLevelName(String((context as { commandName?: string }).commandName ?? 'unknown'));
        const input = args.input as Record<string, unknown>;
        input.ReturnConsumedCapacity ??= 'INDEXES';
        const out = await next(args);
        this.commands.set(name, (this.commands.get(name) ?? 0) + 1);
        if (name === 'TransactWriteItemsCommand')
          this.itemsWritten += (input.TransactItems as unknown[] | undefined)?.length ?? 0;
        else if (WRITES.has(name)) this.itemsWritten += 1;
        const consumed = (out.output as { ConsumedCapacity?: Capacity | Capacity[] }).ConsumedCapacity;
        for (const c of Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) {
          if (!WRITES.has(name)) {
            this.rru += c.CapacityUnits ?? c.ReadCapacityUnits ?? 0;
            continue;
          }
          this.wru += c.CapacityUnits ?? c.WriteCapacityUnits ?? 0;
          const spend = (where: string, units = 0) =>
            this.wruBy.set(where, (this.wruBy.get(where) ?? 0) + units);
          spend('table', c.Table?.CapacityUnits);
          for (const [index, u] of Object.entries(c.GlobalSecondaryIndexes ?? {}))
            spend(index, u.CapacityUnits);
        }
        return out;
      },
      // Before the serializer, after lib-dynamodb's marshalling (initialize step).
      { step: 'serialize', priority: 'high', name: 'benchDynamoMeter' },
    );
  }

  snapshot(): MeterSnapshot {
    const commands = Object.fromEntries(this.commands);
    let writes = 0;
    let reads = 0;
    for (const [name, n] of this.commands) {
      if (WRITES.has(name)) writes += n;
      else reads += n;
    }
    return {
      commands,
      writes,
      itemsWritten: this.itemsWritten,
      reads,
      wru: this.wru,
      rru: this.rru,
      wruBy: Object.fromEntries(this.wruBy),
    };
  }

  /** What happened between two snapshots. */
  static diff(before: MeterSnapshot, after: MeterSnapshot): MeterSnapshot {
    const commands: Record<string, number> = {};
    for (const [name, n] of Object.entries(after.commands)) {
      const d = n - (before.commands[name] ?? 0);
      if (d) commands[name] = d;
    }
    return {
      commands,
      writes: after.writes - before.writes,
      itemsWritten: after.itemsWritten - before.itemsWritten,
      reads: after.reads - before.reads,
      wru: after.wru - before.wru,
      rru: after.rru - before.rru,
      wruBy: Object.fromEntries(Object.entries(after.wruBy).map(([k, v]) => [k, v - (before.wruBy[k] ?? 0)])),
    };
  }
}
