import { createHash } from 'node:crypto';
import { ForbiddenError, NotFoundError } from '../../../functions/domain/errors';
import { exportJobHistory, verifyJobHistory } from '../../../functions/domain/history-cases';
import {
  CHAIN_FORMAT,
  type ChainedItem,
  canonicalJson,
  chainOnto,
  hashOf,
  historyExport,
  type StoredHistoryItem,
  verifyChain,
} from '../../../functions/domain/history-chain';
import type { HistoryItem } from '../../../functions/domain/types';
import { toComplaintHistoryView, toHistoryView } from '../../../functions/domain/views';
import { type FakePorts, fakePorts } from '../support/fakes';
import {
  AGENT,
  iso,
  jobIn,
  MANAGER,
  MINUTE,
  NOW,
  OTHER_RESIDENT,
  RESIDENT,
  rejectionOf,
} from '../support/fixtures';

const JOB = { subject: 'job', id: 'job-1' } as const;
const item = (type: string, minutes: number, data: Record<string, unknown> = {}): HistoryItem => ({
  type,
  at: iso(NOW, minutes * MINUTE),
  actor: 'system',
  data,
});
const FIVE = [
  item('job.booked', 0, { unitId: 'B2-1-101' }),
  item('job.accepted', 1, { technician: { id: 't-1', name: '王伟' } }),
  item('job.arrived', 2),
  item('job.completed', 3, { laborWaived: true }),
  item('job.form_signed', 4, { quote: { labor: 80, parts: [1.5, 2] } }),
];
/** The five items chained as two commits would have: three, then two onto the first's head. */
function chained(): { items: ChainedItem[]; head: string } {
  const first = chainOnto(JOB, null, FIVE.slice(0, 3));
  const second = chainOnto(JOB, first.head, FIVE.slice(3));
  return { items: [...first.items, ...second.items], head: second.head as string };
}

describe('canonicalJson', () => {
  it('sorts the keys of every object, nested ones too, and leaves no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('sorts keys by UTF-16 code units, as RFC 8785 does (upper case before lower, digits first)', () => {
    expect(canonicalJson({ b: 0, B: 0, '1': 0, é: 0 })).toBe('{"1":0,"B":0,"b":0,"é":0}');
  });

  it('keeps Chinese text as it is (UTF-8 when hashed), escaping only what JSON must', () => {
    expect(canonicalJson({ name: '王伟', note: 'a "quote"\n' })).toBe(
      '{"name":"王伟","note":"a \\"quote\\"\\n"}',
    );
  });

  it('drops undefined properties, as a stored item has none', () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
  });

  it('refuses a number JSON cannot carry', () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(TypeError);
  });
});

describe('hashOf', () => {
  it('is SHA-256 (hex) over the canonical JSON of subject, id, the item and the previous hash', () => {
    const one = item('job.booked', 0, { unitId: 'B2-1-101' });
    const written = `{"actor":"system","at":"${one.at}","data":{"unitId":"B2-1-101"},"id":"job-1","prevHash":null,"subject":"job","type":"job.booked"}`;

    expect(hashOf(JOB, one, null)).toBe(createHash('sha256').update(written).digest('hex'));
  });

  it('binds the item to its job and to its predecessor', () => {
    const one = FIVE[0] as HistoryItem;
    const base = hashOf(JOB, one, null);

    expect(hashOf({ subject: 'job', id: 'job-2' }, one, null)).not.toBe(base);
    expect(hashOf({ subject: 'complaint', id: 'job-1' }, one, null)).not.toBe(base);
    expect(hashOf(JOB, one, 'a'.repeat(64))).not.toBe(base);
  });
});

describe('chainOnto', () => {
  it('links each item to the one before, the first to the head, and answers the new head', () => {
    const head = 'e'.repeat(64);
    const { items, head: next } = chainOnto(JOB, head, FIVE.slice(0, 2));

    expect(items[0]?.prevHash).toBe(head);
    expect(items[1]?.prevHash).toBe(items[0]?.hash);
    expect(next).toBe(items[1]?.hash);
    expect(items.map((i) => i.hash)).toEqual([
      hashOf(JOB, FIVE[0] as HistoryItem, head),
      hashOf(JOB, FIVE[1] as HistoryItem, items[0]?.hash ?? null),
    ]);
  });

  it('keeps the head when there is nothing to chain', () => {
    expect(chainOnto(JOB, 'e'.repeat(64), [])).toEqual({ items: [], head: 'e'.repeat(64) });
    expect(chainOnto(JOB, null, [])).toEqual({ items: [], head: null });
  });

  it('stores what it hashed: the JSON value of the item, undefined dropped', () => {
    const [one] = chainOnto(JOB, null, [item('x', 0, { a: undefined, b: 1 })]).items;

    expect(one?.data).toEqual({ b: 1 });
    expect(Object.keys(one?.data ?? {})).toEqual(['b']);
  });
});

describe('verifyChain', () => {
  it('finds an untouched history valid, with its length and head', () => {
    const { items, head } = chained();

    expect(verifyChain(JOB, items, head)).toEqual({ valid: true, items: 5, legacy: 0, head });
  });

  it('finds an empty history of a job with no head valid', () => {
    expect(verifyChain(JOB, [], null)).toEqual({ valid: true, items: 0, legacy: 0, head: null });
  });

  it.each([
    ['its data', (i: ChainedItem) => ({ ...i, data: { ...i.data, laborWaived: false } })],
    ['its time', (i: ChainedItem) => ({ ...i, at: iso(NOW, 10 * MINUTE) })],
    ['its actor', (i: ChainedItem) => ({ ...i, actor: 'manager:m-1' })],
    ['its type', (i: ChainedItem) => ({ ...i, type: 'job.unable_to_fix' })],
  ])('finds an item whose %s was edited, at that item', (_what, edit) => {
    const { items, head } = chained();
    items[3] = edit(items[3] as ChainedItem);

    expect(verifyChain(JOB, items, head)).toEqual({
      valid: false,
      items: 5,
      legacy: 0,
      brokenAt: 3,
      reason: 'item 3 does not match its hash: it was edited',
    });
  });

  it('finds an item removed from the middle, at the item after it', () => {
    const { items, head } = chained();
    items.splice(2, 1);

    expect(verifyChain(JOB, items, head)).toMatchObject({
      valid: false,
      items: 4,
      brokenAt: 2,
      reason: 'item 2 does not link to item 1: an item was removed, inserted or moved',
    });
  });

  it('finds two items swapped, at the first of them', () => {
    const { items, head } = chained();
    [items[1], items[2]] = [items[2] as ChainedItem, items[1] as ChainedItem];

    expect(verifyChain(JOB, items, head)).toMatchObject({ valid: false, brokenAt: 1 });
  });

  it('finds the last item removed by the head the job records', () => {
    const { items, head } = chained();
    items.pop();

    expect(verifyChain(JOB, items, head)).toEqual({
      valid: false,
      items: 4,
      legacy: 0,
      brokenAt: 4,
      reason: 'the history does not end at the head the job records: its last items were removed',
    });
  });

  it('finds the first item removed', () => {
    const { items, head } = chained();
    items.shift();

    expect(verifyChain(JOB, items, head)).toMatchObject({
      valid: false,
      brokenAt: 0,
      reason: "item 0 links to an item that is not there: the chain's first item was removed",
    });
  });

  it('finds a removed head, and a head whose items are all gone', () => {
    const { items, head } = chained();

    expect(verifyChain(JOB, items, null)).toMatchObject({ valid: false, brokenAt: 5 });
    expect(verifyChain(JOB, [], head)).toMatchObject({ valid: false, brokenAt: 0 });
  });

  it("finds another job's item moved in, though its own hash holds for its own job", () => {
    const { items, head } = chained();
    const foreign = chainOnto({ subject: 'job', id: 'job-2' }, items[1]?.hash ?? null, [
      FIVE[2] as HistoryItem,
    ]);
    items[2] = foreign.items[0] as ChainedItem;

    expect(verifyChain(JOB, items, head)).toMatchObject({ valid: false, brokenAt: 2 });
  });

  it('counts items recorded before the chain existed, first, and checks the chain after them', () => {
    const legacy: StoredHistoryItem[] = [item('job.booked', -2), item('job.accepted', -1)];
    const { items, head } = chained();

    expect(verifyChain(JOB, [...legacy, ...items], head)).toEqual({ valid: true, items: 7, legacy: 2, head });
  });

  it('finds an item without a hash after the chain started (its hash stripped, or inserted)', () => {
    const { items, head } = chained();
    const { hash: _h, prevHash: _p, ...stripped } = items[3] as ChainedItem;
    const broken: StoredHistoryItem[] = [...items];
    broken[3] = stripped;

    expect(verifyChain(JOB, broken, head)).toMatchObject({
      valid: false,
      brokenAt: 3,
      reason: 'item 3 has no hash, though the chain starts at item 0',
    });
  });

  it('finds hashes stripped from the first items: the chain would start with a link to nothing', () => {
    const { items, head } = chained();
    const broken: StoredHistoryItem[] = items.map((i, n) =>
      n < 2 ? { type: i.type, at: i.at, actor: i.actor, data: i.data } : i,
    );

    expect(verifyChain(JOB, broken, head)).toMatchObject({ valid: false, legacy: 2, brokenAt: 2 });
  });
});

describe('historyExport', () => {
  it('lists every item with its links, legacy ones without, anchored by the head', () => {
    const { items, head } = chained();
    const legacy = item('job.booked', -1);

    const doc = historyExport(JOB, [legacy, ...items], head, NOW);

    expect(doc).toMatchObject({
      format: CHAIN_FORMAT,
      subject: 'job',
      id: 'job-1',
      exportedAt: NOW.toISOString(),
      head,
      legacy: 1,
    });
    expect(doc.items[0]).toEqual(legacy);
    expect(doc.items[1]).toEqual({ ...FIVE[0], prevHash: null, hash: items[0]?.hash });
    expect(doc.items).toHaveLength(6);
  });
});

describe('the history views', () => {
  const { items } = chained();

  it.each([AGENT, MANAGER])('show a $role every hash and link', (caller) => {
    expect(toHistoryView(items, caller)).toEqual(items);
  });

  it("show a resident no hash: it covers what the resident's view leaves out, and a small value can be guessed", () => {
    const view = toHistoryView(items, RESIDENT);

    expect(view.length).toBeGreaterThan(0);
    for (const i of view) {
      expect(i).not.toHaveProperty('hash');
      expect(i).not.toHaveProperty('prevHash');
    }
    for (const i of toComplaintHistoryView(items, RESIDENT)) expect(i).not.toHaveProperty('hash');
  });
});

describe('verifyJobHistory and exportJobHistory', () => {
  let p: FakePorts;
  const { items, head } = chained();

  beforeEach(() => {
    p = fakePorts();
    p.store.put(jobIn('signed', { historyHead: head }));
    p.store.histories.set('job-1', structuredClone(items));
  });

  it('tell staff the chain holds, with its head', async () => {
    expect(await verifyJobHistory(p, AGENT, 'job-1')).toEqual({ valid: true, items: 5, legacy: 0, head });
  });

  it('tell the owner whether it holds, without the head', async () => {
    expect(await verifyJobHistory(p, RESIDENT, 'job-1')).toEqual({ valid: true, items: 5, legacy: 0 });
  });

  it('report an edited item where it is', async () => {
    const edited = structuredClone(items);
    (edited[1] as ChainedItem).data = { technician: { id: 't-9', name: 'Someone else' } };
    p.store.histories.set('job-1', edited);

    expect(await verifyJobHistory(p, MANAGER, 'job-1')).toMatchObject({ valid: false, brokenAt: 1 });
  });

  it("answer another resident's request, and an unknown job, with 404", async () => {
    expect(await rejectionOf(verifyJobHistory(p, OTHER_RESIDENT, 'job-1'))).toBeInstanceOf(NotFoundError);
    expect(await rejectionOf(verifyJobHistory(p, MANAGER, 'nope'))).toBeInstanceOf(NotFoundError);
    expect(await rejectionOf(exportJobHistory(p, MANAGER, 'nope'))).toBeInstanceOf(NotFoundError);
  });

  it("answer staff outside the job's property with 404", async () => {
    const elsewhere = { ...AGENT, properties: ['A1'] };

    expect(await rejectionOf(exportJobHistory(p, elsewhere, 'job-1'))).toBeInstanceOf(NotFoundError);
    expect(await rejectionOf(verifyJobHistory(p, elsewhere, 'job-1'))).toBeInstanceOf(NotFoundError);
  });

  it('export every item with its chain to staff, and refuse a resident (the export holds staff-only items)', async () => {
    const doc = await exportJobHistory(p, MANAGER, 'job-1');

    expect(doc.head).toBe(head);
    expect(doc.items).toEqual(items);
    expect(await rejectionOf(exportJobHistory(p, RESIDENT, 'job-1'))).toBeInstanceOf(ForbiddenError);
  });
});
