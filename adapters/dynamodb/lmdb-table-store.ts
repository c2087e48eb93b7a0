/**
 * The durable TableStore: one LMDB environment in a directory (the only file here importing
 * `lmdb`; the key layout is lmdb-table-layout.ts). Reads are synchronous range reads, so each
 * sees one snapshot. A write reads the item and its LMDB version, lets `decide` choose, and
 * queues the item and its index entries as one block conditional on that version (lmdb's
 * `ifVersion`, checked inside the write transaction); a block that lost to another write is
 * decided again from the newer item. A write resolves once committed (and, by default,
 * flushed to disk), so what a Task was told is stored survives a kill -9.
 *
 * Opening reconciles the stored tables with the config: a table whose key schema changed is
 * refused (its items and indexes are keyed by the old one); an index that is new or changed
 * is built from the stored items, one no longer configured is dropped; a table left out of
 * the config keeps its data and is not served.
 */
import { randomInt } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { open, type RootDatabase } from "lmdb";
import type { Item } from "./attribute-value.js";
import { DynamoDbError } from "./dynamodb-error.js";
import { justAfter } from "./key-bytes.js";
import { checkDataFileSync } from "../../runtime/stores/lmdb-data-file.js";
import { FORMAT_VERSION, layout, prefixRange, sortKeyRange, type KeyRange, type StoredKeys } from "./lmdb-table-layout.js";
import { findIndex, indexesOf, isIndexed, type IndexSchema } from "./table-indexes.js";
import { keyChange, keyParts } from "./table-key-change.js";
import type { KeySchema, QueryRangeOptions, ScanOptions, TableSchema, TableStore, WriteDecision } from "./table-store.js";

export interface LmdbTableStoreOptions {
  /** A directory (created if missing) holding `data.mdb` and `lock.mdb`. */
  readonly path: string;
  /** The config's tables: the ones served. */
  readonly tables: Readonly<Record<string, TableSchema>>;
  /** "flushed" (default): writes resolve once synced to disk; "committed": once visible (survive a process crash, not a power loss). */
  readonly durability?: "flushed" | "committed";
}

type Database = RootDatabase<Buffer, Buffer>;

const encode = (value: unknown): Buffer => Buffer.from(JSON.stringify(value), "utf8");
const decode = <T>(bytes: Buffer): T => JSON.parse(bytes.toString("utf8")) as T;

/** Versions are random, so an item deleted and created again never has the version a pending decision read. */
const newVersion = (): number => randomInt(1, 2 ** 47);

export class LmdbTableStore implements TableStore {
  private constructor(
    private readonly db: Database,
    private readonly tables: Readonly<Record<string, TableSchema>>,
    private readonly durable: boolean,
  ) {}

  /** Opens (or creates) the store; throws an Error naming each table whose key schema no longer matches the config. */
  static open(options: LmdbTableStoreOptions): LmdbTableStore {
    mkdirSync(options.path, { recursive: true });
    checkDataFileSync(join(options.path, "data.mdb"));
    const db: Database = open({ path: options.path, keyEncoding: "binary", encoding: "binary", useVersions: true, pageSize: 8192 });
    try {
      reconcile(db, options.path, options.tables);
    } catch (error) {
      void db.close();
      throw error;
    }
    return new LmdbTableStore(db, options.tables, options.durability !== "committed");
  }

  schema(table: string): TableSchema | undefined {
    return Object.hasOwn(this.tables, table) ? this.tables[table] : undefined;
  }

  async get(table: string, key: Item): Promise<Item | undefined> {
    const bytes = this.db.getBinary(layout.item(table, this.table(table), key));
    return bytes && decode<Item>(bytes);
  }

  async put(table: string, key: Item, decide: WriteDecision<Item>): Promise<Item | undefined> {
    return this.write(table, key, (current) => decide(current));
  }

  async delete(table: string, key: Item, decide?: WriteDecision<void>): Promise<Item | undefined> {
    return this.write(table, key, (current) => {
      decide?.(current);
      return undefined;
    });
  }

  async queryRange(table: string, partitionKey: string, options: QueryRangeOptions): Promise<readonly Item[]> {
    const schema = this.table(table);
    const index = options.index === undefined ? undefined : this.index(schema, options.index);
    const base = index ? layout.indexPartition(table, index.name, partitionKey) : layout.partition(table, partitionKey);
    const keys: KeySchema = index ?? schema;
    const range = sortKeyRange(base, keys.sortKey?.type, options.range, index !== undefined);
    const after = options.after && (index ? layout.entry(table, schema, index, options.after) : layout.item(table, schema, options.after));
    return this.read(range, options.forward, after, options.limit, index !== undefined);
  }

  async scan(table: string, options: ScanOptions): Promise<readonly Item[]> {
    const schema = this.table(table);
    const index = options.index === undefined ? undefined : this.index(schema, options.index);
    const range = prefixRange(index ? layout.index(table, index.name) : layout.items(table));
    const after = options.after && (index ? layout.entry(table, schema, index, options.after) : layout.item(table, schema, options.after));
    return this.read(range, true, after, options.limit, index !== undefined);
  }

  async close(): Promise<void> {
    await this.db.close();
  }

  private table(name: string): TableSchema {
    const schema = this.schema(name);
    if (!schema) throw DynamoDbError.resourceNotFound();
    return schema;
  }

  private index(schema: TableSchema, name: string): IndexSchema {
    const index = findIndex(schema, name);
    if (!index) throw DynamoDbError.validation(`The table does not have the specified index: ${name}`);
    return index;
  }

  /** Items in `range` (index entries lead to their items), strictly after `after` in the direction read. */
  private read(range: KeyRange, forward: boolean, after: Buffer | undefined, limit: number | undefined, entries: boolean): Item[] {
    const items: Item[] = [];
    const take = (value: Buffer): boolean => {
      const bytes = entries ? this.db.getBinary(value) : value;
      if (bytes) items.push(decode<Item>(bytes));
      return limit === undefined || items.length < limit;
    };
    if (forward) {
      const start = after && Buffer.compare(justAfter(after), range.start) > 0 ? justAfter(after) : range.start;
      for (const { value } of this.db.getRange({ start, end: range.end })) if (!take(value)) break;
      return items;
    }
    // Backwards, lmdb starts at the last key at or before `start`: keys at the (exclusive) end are skipped.
    const end = after && Buffer.compare(after, range.end) < 0 ? after : range.end;
    for (const { key, value } of this.db.getRange({ start: end, reverse: true })) {
      if (Buffer.compare(key, end) >= 0) continue;
      if (Buffer.compare(key, range.start) < 0 || !take(value)) break;
    }
    return items;
  }

  /**
   * Decides and writes one item (`next` undefined: removes it) with its index entries, as a
   * block conditional on the version read; decided again when another write got there first.
   */
  private async write(table: string, key: Item, decide: (current: Item | undefined) => Item | undefined): Promise<Item | undefined> {
    const schema = this.table(table);
    const itemKey = layout.item(table, schema, key);
    for (;;) {
      const entry = this.db.getEntry(itemKey);
      const current = entry ? decode<Item>(entry.value) : undefined;
      const next = decide(current);
      const block = (): void => {
        if (next) void this.db.put(itemKey, encode(next), newVersion());
        else void this.db.remove(itemKey);
        this.moveEntries(table, schema, itemKey, current, next);
      };
      const written = entry ? this.db.ifVersion(itemKey, entry.version as number, block) : this.db.ifNoExists(itemKey, block);
      const flushed = this.flushOfQueued();
      flushed.catch(() => undefined); // awaited only when the block landed
      if (await written) {
        await flushed;
        return current;
      }
    }
  }

  /** Index entries follow the item: removed where it left an index, added where it entered one. */
  private moveEntries(table: string, schema: TableSchema, itemKey: Buffer, before: Item | undefined, after: Item | undefined): void {
    for (const index of indexesOf(schema)) {
      const old = before && isIndexed(index, before) ? layout.entry(table, schema, index, before) : undefined;
      const next = after && isIndexed(index, after) ? layout.entry(table, schema, index, after) : undefined;
      if (old && next && old.equals(next)) continue;
      if (old) void this.db.remove(old);
      if (next) void this.db.put(next, itemKey);
    }
  }

  /** The disk sync of the transaction the writes queued so far go into (see LmdbExecutionStore). */
  private flushOfQueued(): Promise<void> {
    if (!this.durable) return Promise.resolve();
    return new Promise((resolve, reject) => void this.db.flushed.then(() => resolve(), reject));
  }
}

/**
 * Checks the stored tables against the config, then (in one transaction) drops the entries of
 * indexes gone or changed, builds those of indexes new or changed, and records the keys.
 */
function reconcile(db: Database, path: string, tables: Readonly<Record<string, TableSchema>>): void {
  const format = db.getBinary(layout.format());
  if (format && decode<{ formatVersion: number }>(format).formatVersion !== FORMAT_VERSION) {
    throw new Error(`the DynamoDB tables in ${path} were stored in a format this build does not read (${format.toString("utf8")})`);
  }
  const stored = new Map(Object.keys(tables).map((name) => [name, storedKeys(db, name)]));
  const problems = Object.entries(tables).flatMap(([name, schema]) => {
    const was = stored.get(name);
    const change = was && keyChange(was, schema);
    return change ? [`table "${name}": ${change}`] : [];
  });
  if (problems.length > 0) {
    throw new Error(
      `the DynamoDB tables kept in ${path} do not match the config:\n${problems.map((p) => `  ${p}`).join("\n")}\n` +
        "Their items are stored under the old keys: put the keys back in the config, or move the directory away to start those tables empty.",
    );
  }
  db.transactionSync(() => {
    db.putSync(layout.format(), encode({ formatVersion: FORMAT_VERSION }));
    for (const [name, schema] of Object.entries(tables)) {
      const now = tableKeys(schema);
      const was = stored.get(name)?.indexes ?? [];
      for (const old of was) if (!now.indexes.some((i) => sameIndex(i, old))) removeRange(db, prefixRange(layout.index(name, old.name)));
      for (const index of indexesOf(schema)) if (!was.some((i) => sameIndex(i, indexKeys(index)))) buildIndex(db, name, schema, index);
      db.putSync(layout.keys(name), encode(now));
    }
  });
}

type StoredIndex = StoredKeys["indexes"][number];

const indexKeys = (index: IndexSchema): StoredIndex => ({ name: index.name, ...keyParts(index) });

const tableKeys = (schema: TableSchema): StoredKeys => ({ ...keyParts(schema), indexes: indexesOf(schema).map(indexKeys) });

/** Same name and keys (the projection does not matter: reads project whole items). */
const sameIndex = (a: StoredIndex, b: StoredIndex): boolean => JSON.stringify(a) === JSON.stringify(b);

function storedKeys(db: Database, table: string): StoredKeys | undefined {
  const bytes = db.getBinary(layout.keys(table));
  return bytes && decode<StoredKeys>(bytes);
}

function removeRange(db: Database, range: KeyRange): void {
  const keys = [...db.getKeys({ start: range.start, end: range.end })];
  for (const key of keys) db.removeSync(key);
}

function buildIndex(db: Database, table: string, schema: TableSchema, index: IndexSchema): void {
  removeRange(db, prefixRange(layout.index(table, index.name)));
  const items = prefixRange(layout.items(table));
  for (const { key, value } of db.getRange({ start: items.start, end: items.end })) {
    const item = decode<Item>(value);
    if (isIndexed(index, item)) db.putSync(layout.entry(table, schema, index, item), Buffer.from(key));
  }
}
