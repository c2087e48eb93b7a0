/**
 * Query and Scan over items held as a list (MemoryTableStore, JetStreamTableStore): which
 * items a read selects and in what order, from the items themselves. The table's scan order
 * goes through partitions in the order of a hash of their key (as DynamoDB does), then by
 * sort key, which makes ExclusiveStartKey resumable even after the item it names was
 * deleted. A secondary index is not kept: a read of one selects and orders the table's items
 * when it runs (fine for tests and tables of local size).
 */
import { createHash } from "node:crypto";
import { compareScalars, type Item } from "./attribute-value.js";
import { DynamoDbError } from "./dynamodb-error.js";
import { findIndex, isIndexed, type IndexSchema } from "./table-indexes.js";
import { keyPayload } from "./table-keys.js";
import type { KeyAttribute, KeySchema, QueryRangeOptions, ScanOptions, SortKeyRange, TableSchema } from "./table-store.js";

/** Orders two items (negative, zero, positive). */
export type Order = (a: Item, b: Item) => number;

/** The table's index of that name (ValidationException, as DynamoDB words it, otherwise). */
export function indexNamed(schema: TableSchema, name: string): IndexSchema {
  const index = findIndex(schema, name);
  if (!index) throw DynamoDbError.validation(`The table does not have the specified index: ${name}`);
  return index;
}

/** The table's scan order: partitions by the hash of their key, then sort key. */
export const tableOrder = (schema: KeySchema): Order => keyOrder(schema, () => 0);

/** An index's order: its partitions by hash, its sort key, then the table's scan order. */
export const indexOrder = (table: KeySchema, index: KeySchema): Order => keyOrder(index, tableOrder(table));

/**
 * A Query: the items of `candidates` in the partition (of the table, or of `options.index`)
 * whose sort key is in range, in sort-key order. `candidates` may hold more than the
 * partition (every item of the table, for an index).
 */
export function selectQuery(schema: TableSchema, partitionKey: string, candidates: readonly Item[], options: QueryRangeOptions): Item[] {
  const index = options.index === undefined ? undefined : indexNamed(schema, options.index);
  const keys: KeySchema = index ?? schema;
  const order = index ? indexOrder(schema, index) : tableOrder(schema);
  const inIndex = (i: Item): boolean => !index || isIndexed(index, i);
  let selected = candidates.filter((i) => inIndex(i) && keyPayload(i, keys.partitionKey) === partitionKey && inRange(keys.sortKey, i, options.range)).sort(order);
  if (!options.forward) selected.reverse();
  const after = options.after;
  if (after) selected = selected.filter((i) => order(i, after) * (options.forward ? 1 : -1) > 0);
  return options.limit === undefined ? selected : selected.slice(0, options.limit);
}

/** A Scan of every item of the table (`all`), or of those in `options.index`, in scan order. */
export function selectScan(schema: TableSchema, all: readonly Item[], options: ScanOptions): Item[] {
  const index = options.index === undefined ? undefined : indexNamed(schema, options.index);
  const order = index ? indexOrder(schema, index) : tableOrder(schema);
  let items = (index ? all.filter((i) => isIndexed(index, i)) : all.slice()).sort(order);
  const after = options.after;
  if (after) items = items.filter((i) => order(i, after) > 0);
  return options.limit === undefined ? items : items.slice(0, options.limit);
}

/** Hashes of recent partition keys: every read orders by them. */
const hashes = new Map<string, string>();
const MAX_HASHES = 10_000;

function hashOf(partitionKey: string): string {
  let hash = hashes.get(partitionKey);
  if (hash === undefined) {
    if (hashes.size >= MAX_HASHES) hashes.clear();
    hash = createHash("md5").update(partitionKey).digest("hex");
    hashes.set(partitionKey, hash);
  }
  return hash;
}

/** Partitions by the hash of their key (then the key, should two hashes ever be equal). */
export function comparePartitions(a: string, b: string): number {
  const [x, y] = [hashOf(a), hashOf(b)];
  return x < y ? -1 : x > y ? 1 : a < b ? -1 : a > b ? 1 : 0;
}

/** Orders by the keys of `schema` (partition hash, then sort key), ties broken by `then`. */
function keyOrder(schema: KeySchema, then: Order): Order {
  const { partitionKey, sortKey } = schema;
  return (a, b) =>
    comparePartitions(keyPayload(a, partitionKey), keyPayload(b, partitionKey)) ||
    (sortKey ? compareScalars(sortKey.type, keyPayload(a, sortKey), keyPayload(b, sortKey)) : 0) ||
    then(a, b);
}

function inRange(sortKey: KeyAttribute | undefined, item: Item, range: SortKeyRange): boolean {
  if (!sortKey) return true;
  const sort = keyPayload(item, sortKey);
  if (range.lower) {
    const c = compareScalars(sortKey.type, sort, range.lower.value);
    if (c < 0 || (c === 0 && !range.lower.inclusive)) return false;
  }
  if (range.upper) {
    const c = compareScalars(sortKey.type, sort, range.upper.value);
    if (c > 0 || (c === 0 && !range.upper.inclusive)) return false;
  }
  if (range.prefix !== undefined) {
    const type = sortKey.type === "B" ? "base64" : "utf8";
    const whole = Buffer.from(sort, type);
    const prefix = Buffer.from(range.prefix, type);
    if (!whole.subarray(0, prefix.length).equals(prefix)) return false;
  }
  return true;
}
