/**
 * The TableStore of distributed mode: the DynamoDB-like tables in one JetStream KV bucket
 * (`aslan_dynamodb`) that every worker and node shares, one entry per item.
 *
 * | key                          | value                                             |
 * |------------------------------|---------------------------------------------------|
 * | k.<table>                    | the table's key schema, as first stored            |
 * | i.<table>.<pk>               | an item of a table without sort key: { w, item }   |
 * | i.<table>.<pk>.<sk>          | an item of a table with one                        |
 *
 * Key parts are tokens (jetstream-adapter-bucket.ts `keyToken`). A write reads the item and
 * its KV revision, lets `decide` choose, and writes with compare-and-set on that revision; a
 * write that lost to another process is decided again from the newer item. `w` names the
 * write, so one whose reply a server restart lost is recognised as landed.
 *
 * Reads list a partition's (or the table's) keys with a key filter, fetch the items and
 * select and order them as the in-memory store does (table-reads.ts); index reads go through
 * every item of the table. That costs a read of each item per Query or Scan: fine for tables
 * of local size, not for millions of items.
 *
 * The first operation stores each config table's key schema unless the bucket has one (every
 * process may do so at once), and fails every operation if a stored one differs: the items
 * are keyed by the old keys. Indexes need no such check: they are derived when read.
 */
import { randomUUID } from "node:crypto";
import type { Item } from "./attribute-value.js";
import { DynamoDbError } from "./dynamodb-error.js";
import {
  checkSize, decodeJson, deleteIf, encodeJson, entryOf, JetStreamAdapterBucket, keyToken, listKeys, putIf, revisionOf, valuesAt, valuesOf, type KV, type OpenedBucket,
} from "../jetstream-adapter-bucket.js";
import { keyChange, keyParts } from "./table-key-change.js";
import { keyPayload } from "./table-keys.js";
import { indexNamed, selectQuery, selectScan } from "./table-reads.js";
import type { KeySchema, QueryRangeOptions, ScanOptions, TableSchema, TableStore, WriteDecision } from "./table-store.js";

export interface JetStreamTableStoreOptions {
  /** NATS servers (AdapterHost.natsServers). */
  readonly servers: string;
  /** The config's tables: the ones served. */
  readonly tables: Readonly<Record<string, TableSchema>>;
  /** The KV bucket; `aslan_dynamodb` unless given (tests use their own). */
  readonly bucket?: string;
}

/** An item entry's value: the item, and which write stored it. */
interface StoredItem {
  readonly w: string;
  readonly item: Item;
}

export const TABLES_BUCKET = "aslan_dynamodb";

export class JetStreamTableStore implements TableStore {
  private readonly bucket: JetStreamAdapterBucket;
  private ready: Promise<OpenedBucket> | undefined;

  constructor(private readonly options: JetStreamTableStoreOptions) {
    this.bucket = new JetStreamAdapterBucket({ servers: options.servers, bucket: options.bucket ?? TABLES_BUCKET, connectionName: "aslan-dynamodb" });
  }

  schema(table: string): TableSchema | undefined {
    return Object.hasOwn(this.options.tables, table) ? this.options.tables[table] : undefined;
  }

  async get(table: string, key: Item): Promise<Item | undefined> {
    const itemKey = this.itemKey(table, key);
    const entry = await entryOf((await this.opened()).kv, itemKey);
    return entry?.operation === "PUT" ? decodeJson<StoredItem>(entry).item : undefined;
  }

  put(table: string, key: Item, decide: WriteDecision<Item>): Promise<Item | undefined> {
    return this.write(table, key, (current) => decide(current));
  }

  delete(table: string, key: Item, decide?: WriteDecision<void>): Promise<Item | undefined> {
    return this.write(table, key, (current) => {
      decide?.(current);
      return undefined;
    });
  }

  async queryRange(table: string, partitionKey: string, options: QueryRangeOptions): Promise<readonly Item[]> {
    const schema = this.table(table);
    if (options.index !== undefined) indexNamed(schema, options.index);
    const { kv } = await this.opened();
    // An index's partition may hold items of every table partition.
    const candidates = options.index !== undefined ? await this.items(kv, table) : await this.partition(kv, table, schema, partitionKey);
    return selectQuery(schema, partitionKey, candidates, options);
  }

  async scan(table: string, options: ScanOptions): Promise<readonly Item[]> {
    const schema = this.table(table);
    if (options.index !== undefined) indexNamed(schema, options.index);
    return selectScan(schema, await this.items((await this.opened()).kv, table), options);
  }

  async close(): Promise<void> {
    await this.bucket.close();
  }

  private table(name: string): TableSchema {
    const schema = this.schema(name);
    if (!schema) throw DynamoDbError.resourceNotFound();
    return schema;
  }

  private itemKey(table: string, key: Item): string {
    const schema = this.table(table);
    const partition = `i.${keyToken(table)}.${keyToken(keyPayload(key, schema.partitionKey))}`;
    return schema.sortKey ? `${partition}.${keyToken(keyPayload(key, schema.sortKey))}` : partition;
  }

  private async partition(kv: KV, table: string, schema: TableSchema, partitionKey: string): Promise<Item[]> {
    const partition = `i.${keyToken(table)}.${keyToken(partitionKey)}`;
    const keys = schema.sortKey ? await listKeys(kv, `${partition}.*`) : [partition];
    return (await valuesAt<StoredItem>(kv, keys)).map((s) => s.item);
  }

  private async items(kv: KV, table: string): Promise<Item[]> {
    return (await valuesOf<StoredItem>(kv, `i.${keyToken(table)}.>`)).map((s) => s.item);
  }

  /**
   * Decides and writes one item (`next` undefined: removes it), compare-and-set on the
   * revision read; decided again when another write got there first.
   */
  private async write(table: string, key: Item, decide: (current: Item | undefined) => Item | undefined): Promise<Item | undefined> {
    const itemKey = this.itemKey(table, key);
    const opened = await this.opened();
    const kv = opened.kv;
    for (;;) {
      const entry = await entryOf(kv, itemKey);
      const current = entry?.operation === "PUT" ? decodeJson<StoredItem>(entry).item : undefined;
      const next = decide(current);
      if (!next && !current) return undefined;
      const revision = revisionOf(entry);
      if (!next) {
        if (await deleteIf(kv, itemKey, revision)) return current;
        continue;
      }
      const w = randomUUID();
      const bytes = encodeJson({ w, item: next } satisfies StoredItem);
      checkSize(opened, bytes, "The item");
      if ((await putIf(kv, itemKey, bytes, revision, (e) => decodeJson<StoredItem>(e).w === w)) !== undefined) return current;
    }
  }

  /** The bucket, once the config's key schemas are stored or checked. */
  private opened(): Promise<OpenedBucket> {
    this.ready ??= this.bucket.open().then(async (opened) => {
      await checkKeySchemas(opened.kv, this.bucket.name, this.options.tables);
      return opened;
    });
    return this.ready;
  }
}

/** Stores each table's key schema unless one is stored; throws naming every table whose stored keys differ. */
async function checkKeySchemas(kv: KV, bucket: string, tables: Readonly<Record<string, TableSchema>>): Promise<void> {
  const problems: string[] = [];
  for (const [name, schema] of Object.entries(tables)) {
    const stored = await storedKeys(kv, `k.${keyToken(name)}`, keyParts(schema));
    const change = keyChange(stored, schema);
    if (change) problems.push(`table "${name}": ${change} (its keys are under k.${keyToken(name)}, its items under i.${keyToken(name)}.>)`);
  }
  if (problems.length > 0) {
    throw new Error(
      `the DynamoDB tables kept in the JetStream KV bucket ${bucket} do not match the config:\n${problems.map((p) => `  ${p}`).join("\n")}\n` +
        "Their items are stored under the old keys: put the keys back in the config, or delete those entries from the bucket to start those tables empty.",
    );
  }
}

/** The key schema stored for a table; `mine` is stored first when there is none (the first process to write wins). */
async function storedKeys(kv: KV, key: string, mine: KeySchema): Promise<KeySchema> {
  for (;;) {
    const entry = await entryOf(kv, key);
    if (entry?.operation === "PUT") return decodeJson<KeySchema>(entry);
    const bytes = encodeJson(mine);
    if ((await putIf(kv, key, bytes, revisionOf(entry), (e) => JSON.stringify(decodeJson(e)) === JSON.stringify(mine))) !== undefined) return mine;
  }
}
