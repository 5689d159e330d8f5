import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { verifyChain } from '../../functions/domain/history-chain';
import type { HistoryExport, StoredHistoryItem } from '../../functions/domain/types';
import { TABLE_NAME } from '../../local/stack';
import { type Client, drive, ON_SITE_STEPS, urgentBooking } from '../support/client';
import { testStack } from '../support/stack';

// Tamper-evident history (issue #13 part 5) on the local stack: a job through its steps checks
// valid; an item edited, or the last one deleted, straight in DynamoDB Local, no longer does; the
// script in docs/verify-history.md, run as written there, agrees on a real export.

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'history-chain-'));
let stack: Awaited<ReturnType<typeof testStack>>['stack'];
let client: Client;
let doc: DynamoDBDocumentClient;
let staff: string;
let resident: string;
let jobId: string;

/** The script of docs/verify-history.md: its one `js` block, saved as the page says. */
function docsScript(): string {
  const page = readFileSync(join(__dirname, '../../docs/verify-history.md'), 'utf8');
  const blocks = [...page.matchAll(/```js\n([\s\S]*?)```/g)];
  expect(blocks).toHaveLength(1);
  const path = join(dir, 'verify-history.cjs');
  writeFileSync(path, blocks[0]?.[1] ?? '');
  return path;
}

/** Runs the docs' script on an export: its output and exit code. */
async function check(exported: unknown): Promise<{ out: string; code: number }> {
  const file = join(dir, `export-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(exported, null, 2));
  try {
    const { stdout } = await run(process.execPath, [docsScript(), file]);
    return { out: stdout.trim(), code: 0 };
  } catch (e) {
    const failed = e as { stdout: string; code: number };
    return { out: failed.stdout.trim(), code: failed.code };
  }
}

/** The job's history items as the table holds them, with their keys, oldest first. */
async function stored(id: string) {
  const out = await doc.send(
    new QueryCommand({
      TableName: TABLE_NAME,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :evt)',
      ExpressionAttributeValues: { ':pk': `JOB#${id}`, ':evt': 'EVT#' },
    }),
  );
  return out.Items ?? [];
}

const verify = async (id = jobId, token = staff) =>
  (await client.request('GET', `/jobs/${id}/history/verify`, { token })).body;

beforeAll(async () => {
  ({ stack, client } = await testStack());
  doc = DynamoDBDocumentClient.from(stack.dynamo.client);
  resident = await client.token('r-1', 'resident');
  staff = await client.token('m-1', 'manager');
  jobId = (await client.book(resident, urgentBooking({ description: '厨房水龙头漏水' }))).body.jobId;
  await drive(client, jobId, ['job.accepted', 'job.arrived', ...ON_SITE_STEPS]);
  await stack.workflow.settle();
});

afterAll(async () => {
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('a job through its steps', () => {
  test('checks valid, every item linked, the head on the job item', async () => {
    const job = (
      await doc.send(new GetCommand({ TableName: TABLE_NAME, Key: { pk: `JOB#${jobId}`, sk: 'JOB' } }))
    ).Item;
    const items = await stored(jobId);

    expect(items.length).toBeGreaterThanOrEqual(8);
    expect(await verify()).toEqual({ valid: true, items: items.length, legacy: 0, head: job?.historyHead });
    expect(items.at(-1)?.hash).toBe(job?.historyHead);
    expect(items[0]?.prevHash).toBeNull();
    for (const [i, item] of items.entries()) {
      expect(item.hash).toMatch(/^[0-9a-f]{64}$/);
      if (i > 0) expect(item.prevHash).toBe(items[i - 1]?.hash);
    }
  });

  test('shows staff the links on the history, the owner neither links nor head', async () => {
    const forStaff = (await client.request('GET', `/jobs/${jobId}/history`, { token: staff })).body.items;
    const forOwner = (await client.request('GET', `/jobs/${jobId}/history`, { token: resident })).body.items;

    expect(forStaff.every((i: StoredHistoryItem) => typeof i.hash === 'string')).toBe(true);
    expect(forOwner.length).toBeGreaterThan(0);
    expect(forOwner.some((i: StoredHistoryItem) => 'hash' in i || 'prevHash' in i)).toBe(false);
    expect(await verify(jobId, resident)).toEqual({ valid: true, items: forStaff.length, legacy: 0 });
  });

  test('exports a document the script in the docs finds valid, and a tampered copy invalid', async () => {
    const r = await client.request('GET', `/jobs/${jobId}/history/export`, { token: staff });
    expect(r.status).toBe(200);
    const exported = r.body as HistoryExport;
    const { head } = await verify();

    expect(exported).toMatchObject({ format: 'history-chain/1', subject: 'job', id: jobId, head, legacy: 0 });
    expect(await check(exported)).toEqual({
      out: `valid: ${exported.items.length} items, head ${head}`,
      code: 0,
    });

    const edited = structuredClone(exported);
    (edited.items[0] as StoredHistoryItem).data.description = '卫生间漏水';
    expect(await check(edited)).toEqual({ out: 'INVALID at item 0', code: 1 });

    const cut = structuredClone(exported);
    cut.items.pop();
    expect(await check(cut)).toEqual({ out: `INVALID at item ${cut.items.length}`, code: 1 });

    const swapped = structuredClone(exported);
    [swapped.items[2], swapped.items[3]] = [
      swapped.items[3] as StoredHistoryItem,
      swapped.items[2] as StoredHistoryItem,
    ];
    expect(await check(swapped)).toEqual({ out: 'INVALID at item 2', code: 1 });
  });

  test("refuses the owner the export (it holds staff-only items) and hides another resident's job", async () => {
    const other = await client.token('r-9', 'resident');

    expect((await client.request('GET', `/jobs/${jobId}/history/export`, { token: resident })).status).toBe(
      403,
    );
    expect((await client.request('GET', `/jobs/${jobId}/history/verify`, { token: other })).status).toBe(404);
    expect((await client.request('GET', `/jobs/${jobId}/history/export`, { token: other })).status).toBe(403);
  });
});

test('writers racing on one job leave one linear chain (the version condition keeps it so)', async () => {
  const raced = (await client.book(resident, urgentBooking())).body.jobId as string;
  await drive(client, raced, ['job.accepted', 'job.arrived', ...ON_SITE_STEPS]);
  await stack.workflow.settle();
  const before = (await verify(raced)).items as number;
  const agents = await Promise.all([1, 2, 3, 4].map((n) => client.token(`a-${n}`, 'agent')));

  const replies = await Promise.all(
    agents.map((token, n) =>
      client.request('POST', `/jobs/${raced}/callback`, {
        token,
        body: { reached: false, comment: `try ${n}` },
      }),
    ),
  );

  // Each commits after its retries; a transaction conflict DynamoDB reports instead is a 503
  // that changed nothing. Either way the chain holds exactly the commits that answered 200.
  const committed = replies.filter((r) => r.status === 200).length;
  expect(replies.every((r) => r.status === 200 || r.status === 503)).toBe(true);
  expect(committed).toBeGreaterThanOrEqual(2);
  expect(await verify(raced)).toMatchObject({ valid: true, items: before + committed });
});

describe('tampering in DynamoDB', () => {
  test('an item edited in the table is found at that item', async () => {
    const items = await stored(jobId);
    const victim = items[3] as Record<string, unknown>;
    await doc.send(
      new PutCommand({ TableName: TABLE_NAME, Item: { ...victim, actor: 'technician:t-someone-else' } }),
    );
    try {
      expect(await verify()).toMatchObject({
        valid: false,
        items: items.length,
        brokenAt: 3,
        reason: 'item 3 does not match its hash: it was edited',
      });
    } finally {
      await doc.send(new PutCommand({ TableName: TABLE_NAME, Item: victim }));
    }
    expect((await verify()).valid).toBe(true);
  });

  test('the last item deleted is found by the head on the job', async () => {
    const items = await stored(jobId);
    const last = items.at(-1) as Record<string, unknown>;
    await doc.send(new DeleteCommand({ TableName: TABLE_NAME, Key: { pk: last.pk, sk: last.sk } }));
    try {
      expect(await verify()).toEqual({
        valid: false,
        items: items.length - 1,
        legacy: 0,
        brokenAt: items.length - 1,
        reason: 'the history does not end at the head the job records: its last items were removed',
      });
    } finally {
      await doc.send(new PutCommand({ TableName: TABLE_NAME, Item: last }));
    }
  });
});

test("a complaint's history is chained the same way", async () => {
  const r = await client.request('POST', '/complaints', {
    token: resident,
    body: {
      unitId: 'B2-1203',
      category: 'conduct',
      description: '师傅态度不好',
      contactPhone: '+8613800138000',
    },
  });
  expect(r.status).toBe(201);
  const { complaintId } = r.body as { complaintId: string };
  await stack.workflow.settle();
  const complaint = await stack.ports.complaints.get(complaintId);
  const items = await stack.ports.complaints.history(complaintId);

  expect(items[0]?.hash).toMatch(/^[0-9a-f]{64}$/);
  expect(
    verifyChain({ subject: 'complaint', id: complaintId }, items, complaint?.historyHead ?? null),
  ).toMatchObject({ valid: true, items: items.length });
});
