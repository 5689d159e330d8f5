import { createHash } from 'node:crypto';
import type { ChainCheck, ChainLink, HistoryExport, HistoryItem, StoredHistoryItem } from './types';

export type { ChainCheck, ChainLink, HistoryExport, StoredHistoryItem };

// Tamper evidence (issue #13 part 5): each history item of a job or complaint carries `hash`,
// SHA-256 (hex) over the canonical JSON of
//   { subject, id, type, at, actor, data, prevHash }
// where prevHash is the hash of the item recorded before it (null for the first), and the
// aggregate keeps the newest hash as its `historyHead`. The subject and id are hashed so that no
// item (or whole chain) can be moved to another job or complaint; the position is not: the link
// to the previous hash already fixes it, and removing, inserting or reordering an item breaks the
// link of the item after it (or, at the end, the head). Items written before the chain existed
// carry no hash: they are the chain's "legacy" prefix, reported, not verifiable.
// What this proves and what not: anyone who can rewrite the table can recompute every hash; the
// chain makes a partial edit visible, and a head kept outside (an export an owners' association
// holds) makes a full rewrite visible later, since a later export must still contain that hash.

export type ChainSubject = { subject: 'job' | 'complaint'; id: string };
export type ChainedItem = HistoryItem & ChainLink;

/** The version of the export document and of what is hashed; a checker refuses others. */
export const CHAIN_FORMAT: HistoryExport['format'] = 'history-chain/1';

/** JSON with every object's keys sorted (by UTF-16 code units, as RFC 8785) and no whitespace. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError('not a JSON number');
  return JSON.stringify(value);
}

/** The hash of one item, linked to the one before it (null: it is the first). */
export function hashOf(of: ChainSubject, item: HistoryItem, prevHash: string | null): string {
  const { type, at, actor, data } = item;
  const doc = { subject: of.subject, id: of.id, type, at, actor, data, prevHash };
  return createHash('sha256').update(canonicalJson(doc), 'utf8').digest('hex');
}

/**
 * A decision's new items chained onto the aggregate's head, and the new head. Each item is its
 * JSON value (undefined dropped), so what is stored is exactly what was hashed.
 */
export function chainOnto(
  of: ChainSubject,
  head: string | null,
  items: readonly HistoryItem[],
): { items: ChainedItem[]; head: string | null } {
  let prevHash = head;
  const chained = items.map((item) => {
    const { type, at, actor, data } = JSON.parse(JSON.stringify(item)) as HistoryItem;
    const link = { type, at, actor, data, prevHash, hash: hashOf(of, { type, at, actor, data }, prevHash) };
    prevHash = link.hash;
    return link;
  });
  return { items: chained, head: prevHash };
}

/** How many items precede the chain: written before it existed (all of them, if none is chained). */
export function legacyCount(items: readonly StoredHistoryItem[]): number {
  const first = items.findIndex((i) => i.hash !== undefined);
  return first === -1 ? items.length : first;
}

/**
 * Checks a history, oldest first, against the head its aggregate records. `brokenAt` is the index
 * of the first item that fails (items.length: the end does not reach the head).
 */
export function verifyChain(
  of: ChainSubject,
  items: readonly StoredHistoryItem[],
  head: string | null,
): ChainCheck {
  const start = legacyCount(items);
  const broken = (brokenAt: number, reason: string): ChainCheck => ({
    valid: false,
    items: items.length,
    legacy: start,
    brokenAt,
    reason,
  });
  let prev: string | null = null;
  for (let i = start; i < items.length; i++) {
    const item = items[i] as StoredHistoryItem;
    if (item.hash === undefined)
      return broken(i, `item ${i} has no hash, though the chain starts at item ${start}`);
    if (hashOf(of, item, item.prevHash ?? null) !== item.hash)
      return broken(i, `item ${i} does not match its hash: it was edited`);
    if ((item.prevHash ?? null) !== prev)
      return broken(
        i,
        i === start
          ? `item ${i} links to an item that is not there: the chain's first item was removed`
          : `item ${i} does not link to item ${i - 1}: an item was removed, inserted or moved`,
      );
    prev = item.hash;
  }
  if (prev !== head)
    return broken(
      items.length,
      head === null
        ? `the ${of.subject} records no head, but its history is chained: the head was removed`
        : `the history does not end at the head the ${of.subject} records: its last items were removed`,
    );
  return { valid: true, items: items.length, legacy: start, head };
}

/** The export an owners' association keeps: the items with their links, anchored by the head. */
export function historyExport(
  of: ChainSubject,
  items: readonly StoredHistoryItem[],
  head: string | null,
  exportedAt: Date,
): HistoryExport {
  return {
    format: CHAIN_FORMAT,
    subject: of.subject,
    id: of.id,
    exportedAt: exportedAt.toISOString(),
    head,
    hashing:
      'hash = hex SHA-256 of the canonical JSON (keys sorted, no whitespace, UTF-8) of {subject, id, type, at, actor, data, prevHash}; prevHash = the previous item’s hash, null for the first chained item',
    legacy: legacyCount(items),
    items: items.map(({ type, at, actor, data, hash, prevHash }) =>
      hash === undefined
        ? { type, at, actor, data }
        : { type, at, actor, data, prevHash: prevHash ?? null, hash },
    ),
  };
}
