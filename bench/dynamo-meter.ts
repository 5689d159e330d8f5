import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { LocalStack } from '../local/stack';

// Counts what the handlers and the engine ask of DynamoDB: an SDK middleware on the very
// clients they use. It also asks for ReturnConsumedCapacity=INDEXES, so the capacity units
// are DynamoDB Local's own accounting (1 WRU per KB written, 2 in a transaction, every GSI
// write counted; 1 RRU per 4 KB strongly consistent read).

/**
 * The DocumentClient the handlers' DynamoDB store sends through, in a stack of this process.
 * The one place bench/ reaches into the ports a stack built.
 */
export function stackStoreClient(stack: LocalStack): DynamoDBDocumentClient {
  return (stack.ports.store as unknown as { table: { doc: DynamoDBDocumentClient } }).table.doc;
}

/** The DynamoDB API call of a command: lib-dynamodb's Get, TransactWrite… are GetItem, TransactWriteItems… */
const apiName = (command: string) =>
  command
    .replace(/Command$/, '')
    .replace(/^(Get|Put|Update|Delete|BatchGet|BatchWrite)$/, '$1Item')
    .replace(/^(TransactGet|TransactWrite)$/, '$1Items');

export const isWrite = (name: string) => /^(Put|Update|Delete|BatchWrite|TransactWrite)Items?$/.test(name);

interface Capacity {
  CapacityUnits?: number;
  Table?: { CapacityUnits?: number };
  GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number }>;
}

export interface MeterSnapshot {
  /** Calls by DynamoDB API name. */
  commands: Record<string, number>;
  writes: number;
  wru: number;
  rru: number;
  /** WRU by where they were spent: the table and each GSI. */
  wruBy: Record<string, number>;
}

const add = (o: Record<string, number>, key: string, n = 1) => {
  o[key] = (o[key] ?? 0) + n;
};

export class DynamoMeter {
  private readonly totals: MeterSnapshot = { commands: {}, writes: 0, wru: 0, rru: 0, wruBy: {} };

  /** Counts every call sent through `client` (a DocumentClient shares its client's middleware stack). */
  attach(client: DynamoDBClient | DynamoDBDocumentClient): void {
    const t = this.totals;
    (client.middlewareStack as DynamoDBClient['middlewareStack']).add(
      (next, context) => async (args) => {
        const name = apiName(String((context as { commandName?: string }).commandName));
        (args.input as Record<string, unknown>).ReturnConsumedCapacity ??= 'INDEXES';
        const out = await next(args);
        add(t.commands, name);
        if (isWrite(name)) t.writes++;
        const consumed = (out.output as { ConsumedCapacity?: Capacity | Capacity[] }).ConsumedCapacity;
        for (const c of [consumed ?? []].flat()) {
          if (!isWrite(name)) {
            t.rru += c.CapacityUnits ?? 0;
            continue;
          }
          t.wru += c.CapacityUnits ?? 0;
          add(t.wruBy, 'table', c.Table?.CapacityUnits ?? 0);
          for (const [index, u] of Object.entries(c.GlobalSecondaryIndexes ?? {}))
            add(t.wruBy, index, u.CapacityUnits ?? 0);
        }
        return out;
      },
      // After lib-dynamodb's marshalling (initialize), before the serializer.
      { step: 'serialize', priority: 'high', name: 'benchDynamoMeter' },
    );
  }

  snapshot(): MeterSnapshot {
    return structuredClone(this.totals);
  }

  /** What happened between two snapshots. */
  static diff(before: MeterSnapshot, after: MeterSnapshot): MeterSnapshot {
    const minus = (a: Record<string, number>, b: Record<string, number>) =>
      Object.fromEntries(
        Object.entries(a)
          .map(([k, v]) => [k, v - (b[k] ?? 0)])
          .filter(([, v]) => v),
      );
    return {
      commands: minus(after.commands, before.commands),
      writes: after.writes - before.writes,
      wru: after.wru - before.wru,
      rru: after.rru - before.rru,
      wruBy: minus(after.wruBy, before.wruBy),
    };
  }
}
