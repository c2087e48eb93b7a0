/**
 * The in-memory TableStore: per table, partitions by partition key, each an array sorted by
 * sort key. Stored items are never mutated (writes store new objects), so a read's snapshot
 * is a copy of the arrays it looks at. Reads select and order items as table-reads.ts says
 * (secondary indexes are not kept: this store is for tests and small tables).
 */
import { compareScalars, type Item } from "./attribute-value.js";
import { DynamoDbError } from "./dynamodb-error.js";
import { comparePartitions, selectQuery, selectScan } from "./table-reads.js";
import { keyPayload } from "./table-keys.js";
import type { QueryRangeOptions, ScanOptions, TableSchema, TableStore, WriteDecision } from "./table-store.js";

interface Partition {
  readonly key: string;
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
    // An index's partition may hold items of every table partition.
    const candidates = options.index === undefined ? (t.partitions.get(partitionKey)?.items ?? []) : t.all();
    return selectQuery(t.schema, partitionKey, candidates, options);
  }

  async scan(table: string, options: ScanOptions): Promise<readonly Item[]> {
    const t = this.table(table);
    return selectScan(t.schema, t.all(), options);
  }

  private table(name: string): MemoryTable {
    const t = this.tables.get(name);
    if (!t) throw DynamoDbError.resourceNotFound();
    return t;
  }
}
