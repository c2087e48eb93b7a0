/**
 * The in-memory TableStore: per table, partitions by partition key, each an array sorted by
 * sort key. Stored items are never mutated (writes store new objects), so a read's snapshot
 * is a copy of the arrays it looks at. Scans go through partitions in the order of a hash of
 * their key (as DynamoDB does), which makes ExclusiveStartKey resumable even after the item
 * it names was deleted.
 */
import { createHash } from "node:crypto";
import { compareScalars, type Item } from "./attribute-value.js";
import { DynamoDbError } from "./dynamodb-error.js";
import { keyPayload } from "./table-keys.js";
import type { QueryRangeOptions, ScanOptions, SortKeyRange, TableSchema, TableStore, WriteDecision } from "./table-store.js";

interface Partition {
  readonly key: string;
  readonly hash: string;
  items: Item[];
}

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
    const p = t.partitions.get(pk) ?? { key: pk, hash: hashOf(pk), items: [] };
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
    const items = t.partitions.get(partitionKey)?.items ?? [];
    const sort = (i: Item): string => t.sortOf(i);
    let selected = items.filter((i) => inRange(t, sort(i), options.range));
    if (!options.forward) selected.reverse();
    if (options.after) {
      const after = sort(options.after);
      selected = selected.filter((i) => t.compareSort(sort(i), after) * (options.forward ? 1 : -1) > 0);
    }
    return options.limit === undefined ? selected : selected.slice(0, options.limit);
  }

  async scan(table: string, options: ScanOptions): Promise<readonly Item[]> {
    const t = this.table(table);
    const partitions = [...t.partitions.values()].sort(comparePartitions);
    let items = partitions.flatMap((p) => p.items.slice());
    if (options.after) {
      const pk = t.partitionOf(options.after);
      const after = { key: pk, hash: hashOf(pk) };
      const sort = t.sortOf(options.after);
      items = items.filter((i) => {
        const p = t.partitionOf(i);
        const order = comparePartitions({ key: p, hash: hashOf(p) }, after);
        return order > 0 || (order === 0 && t.compareSort(t.sortOf(i), sort) > 0);
      });
    }
    return options.limit === undefined ? items : items.slice(0, options.limit);
  }

  private table(name: string): MemoryTable {
    const t = this.tables.get(name);
    if (!t) throw DynamoDbError.resourceNotFound();
    return t;
  }
}

const hashOf = (partitionKey: string): string => createHash("md5").update(partitionKey).digest("hex");

function comparePartitions(a: { key: string; hash: string }, b: { key: string; hash: string }): number {
  return a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

function inRange(t: MemoryTable, sort: string, range: SortKeyRange): boolean {
  if (range.lower) {
    const c = t.compareSort(sort, range.lower.value);
    if (c < 0 || (c === 0 && !range.lower.inclusive)) return false;
  }
  if (range.upper) {
    const c = t.compareSort(sort, range.upper.value);
    if (c > 0 || (c === 0 && !range.upper.inclusive)) return false;
  }
  if (range.prefix !== undefined) {
    const type = t.schema.sortKey?.type === "B" ? "base64" : "utf8";
    const whole = Buffer.from(sort, type);
    const prefix = Buffer.from(range.prefix, type);
    if (!whole.subarray(0, prefix.length).equals(prefix)) return false;
  }
  return true;
}
