import { mergePartitions, type PartitionReader } from '../../../functions/adapters/property-listing';
import { ValidationError } from '../../../functions/domain/errors';
import { rejectionOf } from '../support/fixtures';

// The k-way merge of properties' partitions, on partitions in memory that answer as a Query does:
// up to `limit` items after the bound, in the listing's order, and whether more are left.

type Partitions = Record<string, string[]>;

function reader(partitions: Partitions, limit: number, newestFirst: boolean) {
  const reads: { partition: string; after: string | undefined }[] = [];
  const read: PartitionReader = async (partition, after) => {
    reads.push({ partition, after });
    const keys = [...(partitions[partition] ?? [])].sort();
    if (newestFirst) keys.reverse();
    const rest = keys.filter((k) => after === undefined || (newestFirst ? k < after : k > after));
    return {
      items: rest.slice(0, limit).map((gsi3sk) => ({ gsi3sk, partition })),
      more: rest.length > limit,
    };
  };
  return { read, reads };
}

/** Every page of a listing, followed token by token. */
async function everyPage(partitions: Partitions, limit: number, newestFirst: boolean) {
  const { read } = reader(partitions, limit, newestFirst);
  const pages: string[][] = [];
  let nextToken: string | undefined;
  do {
    const page = await mergePartitions(read, {
      index: 'allJobs',
      partitions: Object.keys(partitions),
      limit,
      nextToken,
      newestFirst,
    });
    pages.push(page.items.map((i) => String(i.gsi3sk)));
    nextToken = page.nextToken;
  } while (nextToken && pages.length < 100);
  return pages;
}

const PARTITIONS: Partitions = {
  'JOB#A1': ['2026-11-01#a', '2026-11-04#d', '2026-11-05#e', '2026-11-09#i'],
  'JOB#B2': ['2026-11-02#b', '2026-11-03#c', '2026-11-06#f', '2026-11-07#g', '2026-11-08#h'],
  'JOB#C3': [],
};
const ALL = Object.values(PARTITIONS).flat().sort();

describe('mergePartitions', () => {
  it.each([1, 2, 3, 4, 9, 10])(
    'pages newest first through every partition, each item once and in order (limit %d)',
    async (limit) => {
      const pages = await everyPage(PARTITIONS, limit, true);

      expect(pages.flat()).toEqual([...ALL].reverse());
      expect(pages.every((p) => p.length <= limit)).toBe(true);
    },
  );

  it.each([1, 3, 20])('pages oldest first alike (limit %d)', async (limit) => {
    expect((await everyPage(PARTITIONS, limit, false)).flat()).toEqual(ALL);
  });

  it('reads each partition once a page, with the limit, from the last key of the page before', async () => {
    const { read, reads } = reader(PARTITIONS, 3, true);
    const first = await mergePartitions(read, {
      index: 'allJobs',
      partitions: ['JOB#A1', 'JOB#B2'],
      limit: 3,
      newestFirst: true,
    });
    await mergePartitions(read, {
      index: 'allJobs',
      partitions: ['JOB#A1', 'JOB#B2'],
      limit: 3,
      nextToken: first.nextToken,
      newestFirst: true,
    });

    expect(first.items.map((i) => i.gsi3sk)).toEqual(['2026-11-09#i', '2026-11-08#h', '2026-11-07#g']);
    expect(reads).toEqual([
      { partition: 'JOB#A1', after: undefined },
      { partition: 'JOB#B2', after: undefined },
      { partition: 'JOB#A1', after: '2026-11-07#g' },
      { partition: 'JOB#B2', after: '2026-11-07#g' },
    ]);
  });

  it('gives no token when every partition is read to its end', async () => {
    const { read } = reader(PARTITIONS, 20, true);

    const page = await mergePartitions(read, {
      index: 'allJobs',
      partitions: Object.keys(PARTITIONS),
      limit: 20,
      newestFirst: true,
    });

    expect(page.items).toHaveLength(ALL.length);
    expect(page).not.toHaveProperty('nextToken');
  });

  it('lists nothing, without a token, from no partitions (a caller whose properties have nothing)', async () => {
    const { read, reads } = reader({}, 5, true);

    expect(
      await mergePartitions(read, { index: 'allJobs', partitions: [], limit: 5, newestFirst: true }),
    ).toEqual({ items: [] });
    expect(reads).toEqual([]);
  });

  it("rejects another listing's token with a 400 naming nextToken, before reading", async () => {
    const { read, reads } = reader(PARTITIONS, 2, true);
    const board = Buffer.from(JSON.stringify({ i: 'withNextStep', k: '2026-11-07#g' })).toString('base64url');

    const e = await rejectionOf(
      mergePartitions(read, {
        index: 'allJobs',
        partitions: ['JOB#A1'],
        limit: 2,
        nextToken: board,
        newestFirst: true,
      }),
    );

    expect(e).toBeInstanceOf(ValidationError);
    expect((e as ValidationError).errors).toEqual([
      { path: 'nextToken', message: 'not a token from this listing' },
    ]);
    expect(reads).toEqual([]);
  });
});
