/**
 * The durable table store's key layout: one LMDB database with binary keys, ordered byte by
 * byte, so a partition, a sort-key range, an index partition and a scan are each one range
 * read. Variable-length parts that others follow are delimited (key-bytes.ts); partition
 * keys are replaced by their SHA-256, which keeps keys short and spreads partitions as
 * DynamoDB does. Keys stay within LMDB's 4026 bytes with 8 KiB pages: index sort keys are
 * at most 1024 bytes (escaped, at most 2050), the table's sort key 1024.
 *
 * | key                                                   | value                            |
 * |-------------------------------------------------------|----------------------------------|
 * | F                                                     | { formatVersion }                |
 * | S table                                               | StoredKeys (key schema, indexes) |
 * | I table hash(pk) sk                                   | the item (JSON); version changes |
 * |                                                       | with every write (conditional)   |
 * | X table index hash(index pk) index-sk hash(pk) sk     | the item's `I` key               |
 *
 * An index entry exists for each item that has the index's key attributes; entries with the
 * same index keys order by the item's `I` key, the table's scan order.
 */
import type { Item } from "./attribute-value.js";
import { afterPrefix, delimited, escaped, hashBytes, justAfter, scalarBytes } from "./key-bytes.js";
import { keyPayload } from "./table-keys.js";
import type { KeyAttribute, KeySchema, SortKeyRange } from "./table-store.js";

/** What the store remembers of a table's keys, to refuse a changed key schema and to rebuild changed indexes. */
export interface StoredKeys extends KeySchema {
  readonly indexes: readonly ({ readonly name: string } & KeySchema)[];
}

export const FORMAT_VERSION = 1;

const part = (text: string): Buffer => delimited(Buffer.from(text, "utf8"));
const family = (letter: string, ...parts: Buffer[]): Buffer => Buffer.concat([Buffer.from(letter, "latin1"), ...parts]);

/** A range of keys: from `start` (inclusive) to `end` (exclusive). */
export interface KeyRange {
  readonly start: Buffer;
  readonly end: Buffer;
}

/** Every key starting with `prefix`. */
export const prefixRange = (prefix: Buffer): KeyRange => ({ start: prefix, end: afterPrefix(prefix) as Buffer });

const sortBytes = (item: Item, k: KeyAttribute | undefined): Buffer => (k ? scalarBytes(k.type, keyPayload(item, k)) : Buffer.alloc(0));

export const layout = {
  format: (): Buffer => family("F"),
  keys: (table: string): Buffer => family("S", part(table)),
  /** The `I` keys of one table. */
  items: (table: string): Buffer => family("I", part(table)),
  /** The `I` keys of one partition. */
  partition: (table: string, partitionKey: string): Buffer => family("I", part(table), hashBytes(partitionKey)),
  item: (table: string, schema: KeySchema, item: Item): Buffer =>
    Buffer.concat([layout.partition(table, keyPayload(item, schema.partitionKey)), sortBytes(item, schema.sortKey)]),
  /** The `X` keys of one index. */
  index: (table: string, index: string): Buffer => family("X", part(table), part(index)),
  indexPartition: (table: string, index: string, partitionKey: string): Buffer => Buffer.concat([layout.index(table, index), hashBytes(partitionKey)]),
  /** An item's entry in an index (the item must have the index's key attributes). */
  entry: (table: string, schema: KeySchema, index: { readonly name: string } & KeySchema, item: Item): Buffer =>
    Buffer.concat([
      layout.indexPartition(table, index.name, keyPayload(item, index.partitionKey)),
      delimited(sortBytes(item, index.sortKey)),
      hashBytes(keyPayload(item, schema.partitionKey)),
      sortBytes(item, schema.sortKey),
    ]),
};

/**
 * The keys of a partition (`base`) whose sort key is in `range`. `delimitedSort`: the sort
 * key is followed by other parts (an index entry) rather than ending the key (an item).
 */
export function sortKeyRange(base: Buffer, type: "S" | "N" | "B" | undefined, range: SortKeyRange, delimitedSort: boolean): KeyRange {
  const bytes = (payload: string): Buffer => scalarBytes(type ?? "S", payload);
  /** The keys whose sort key equals `payload`. */
  const equal = (payload: string): KeyRange => {
    const start = Buffer.concat([base, delimitedSort ? delimited(bytes(payload)) : bytes(payload)]);
    return { start, end: delimitedSort ? (afterPrefix(start) as Buffer) : justAfter(start) };
  };
  let { start, end } = prefixRange(base);
  const narrow = (from: Buffer, to: Buffer): void => {
    if (Buffer.compare(from, start) > 0) start = from;
    if (Buffer.compare(to, end) < 0) end = to;
  };
  if (range.lower) narrow(range.lower.inclusive ? equal(range.lower.value).start : equal(range.lower.value).end, end);
  if (range.upper) narrow(start, range.upper.inclusive ? equal(range.upper.value).end : equal(range.upper.value).start);
  if (range.prefix !== undefined) {
    const prefix = Buffer.concat([base, delimitedSort ? escaped(bytes(range.prefix)) : bytes(range.prefix)]);
    narrow(prefix, afterPrefix(prefix) as Buffer);
  }
  return { start, end };
}
