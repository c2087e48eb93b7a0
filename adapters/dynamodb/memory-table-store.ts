/**
 * The in-memory TableStore: per table, partitions by partition key, each an array sorted by
 * sort key. Stored items are never mutated (writes store new objects), so a read's snapshot
 * is a copy of the arrays it looks at. Scans go through partitions in the order of a hash of
 * their key (as DynamoDB does), which makes ExclusiveStartKey resumable even after the item
 * it names was deleted. Secondary indexes are not kept: a read of one selects and orders the
 * table's items when it runs (this store is for tests and small tables).
 */
import { createHash } from "node:crypto";
import { compareScalars, type Item } from "./attribute-value.js";
import { DynamoDbError } from "./dynamodb-error.js";
import { findIndex, isIndexed, type IndexSchema } from "./table-indexes.js";
import { keyPayload } from "./table-keys.js";
import type { KeyAttribute, KeySchema, QueryRangeOptions, ScanOptions, SortKeyRange, TableSchema, TableStore, WriteDecision } from "./table-store.js";

interface Partition {
  readonly key: string;
  items: Item[];
}

/** Orders two items (negative, zero, positive). */
type Order = (a: Item, b: Item) => number;

class MemoryTable {
  readonly partitions = new Map<string, Partition>();

  constructor(readonly schema: TableSchema) {}

  partitionOf(key: Item): string {
    return keyPayload(key, this.schema.partitionKey);
  }

  /** Orders items of one partition by sort key. */
  compareSort(a: string, b: string): number {
    return this.schema.sortKey ? compareScalars(this.schema.sortKey.type, a, b) : 0;
  }

  sortOf(item: Item): string {
    return this.schema.sortKey ? keyPayload(item, this.schema.sortKey) : "";
  }

  /** Where an item with this key is, or would go, in its partition. */
  locate(p: Partition, key: Item): { index: number; found: boolean } {
    const sort = this.sortOf(key);
    let lo = 0;
    let hi = p.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.compareSort(this.sortOf(p.items[mid] as Item), sort) < 0) lo = mid + 1;
      else hi = mid;
    }
    const at = p.items[lo];
    return { index: lo, found: at !== undefined && this.compareSort(this.sortOf(at), sort) === 0 };
  }

  index(name: string): IndexSchema {
    const index = findIndex(this.schema, name);
    if (!index) throw DynamoDbError.validation(`The table does not have the specified index: ${name}`);
    return index;
  }

  /** The table's scan order: partitions by the hash of their key, then sort key. */
  tableOrder(): Order {
    return keyOrder(this.schema, () => 0);
  }

  /** An index's order: its partitions by hash, its sort key, then the table's scan order. */
  indexOrder(index: KeySchema): Order {
    return keyOrder(index, this.tableOrder());
  }

  /** Every item, in the table's scan order. */
  all(): Item[] {
    return [...this.partitions.values()].sort((a, b) => comparePartitions(a.key, b.key)).flatMap((p) => p.items.slice());
  }
}

export class MemoryTableStore implements TableStore {
  private readonly tables = new Map<string, MemoryTable>();

  constructor(tables: Readonly<Record<string, TableSchema>>) {
    for (const [name, schema] of Object.entries(tables)) this.tables.set(name, new MemoryTable(schema));
  }

  schema(table: string): TableSchema | undefined {
    return this.tables.get(table)?.schema;
  }

  async get(table: string, key: Item): Promise<Item | undefined> {
    const t = this.table(table);
    const p = t.partitions.get(t.partitionOf(key));
    if (!p) return undefined;
    const { index, found } = t.locate(p, key);
    return found ? p.items[index] : undefined;
  }

  async put(table: string, key: Item, decide: WriteDecision<Item>): Promise<Item | undefined> {
    const t = this.table(table);
    const pk = t.partitionOf(key);
    const p = t.partitions.get(pk) ?? { key: pk, items: [] };
    const { index, found } = t.locate(p, key);
    const current = found ? p.items[index] : undefined;
    const next = decide(current);
    p.items.splice(index, found ? 1 : 0, next);
    t.partitions.set(pk, p);
    return current;
  }

  async delete(table: string, key: Item, decide?: WriteDecision<void>): Promise<Item | undefined> {
    const t = this.table(table);
    const p = t.partitions.get(t.partitionOf(key));
    const { index, found } = p ? t.locate(p, key) : { index: 0, found: false };
    const current = found ? p?.items[index] : undefined;
    decide?.(current);
    if (p && found) {
      p.items.splice(index, 1);
      if (p.items.length === 0) t.partitions.delete(p.key);
    }
    return current;
  }

  async queryRange(table: string, partitionKey: string, options: QueryRangeOptions): Promise<readonly Item[]> {
    const t = this.table(table);
    const index = options.index === undefined ? undefined : t.index(options.index);
    const keys: KeySchema = index ?? t.schema;
    const order = index ? t.indexOrder(index) : t.tableOrder();
    const source = index ? t.all().filter((i) => isIndexed(index, i) && keyPayload(i, index.partitionKey) === partitionKey) : (t.partitions.get(partitionKey)?.items ?? []);
    let selected = source.filter((i) => inRange(keys.sortKey, i, options.range)).sort(order);
    if (!options.forward) selected.reverse();
    const after = options.after;
    if (after) selected = selected.filter((i) => order(i, after) * (options.forward ? 1 : -1) > 0);
    return options.limit === undefined ? selected : selected.slice(0, options.limit);
  }

  async scan(table: string, options: ScanOptions): Promise<readonly Item[]> {
    const t = this.table(table);
    const index = options.index === undefined ? undefined : t.index(options.index);
    const order = index ? t.indexOrder(index) : t.tableOrder();
    let items = index ? t.all().filter((i) => isIndexed(index, i)).sort(order) : t.all();
    const after = options.after;
    if (after) items = items.filter((i) => order(i, after) > 0);
    return options.limit === undefined ? items : items.slice(0, options.limit);
  }

  private table(name: string): MemoryTable {
    const t = this.tables.get(name);
    if (!t) throw DynamoDbError.resourceNotFound();
    return t;
  }
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
function comparePartitions(a: string, b: string): number {
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
