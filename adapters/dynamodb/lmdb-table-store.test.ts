/**
 * What only the durable TableStore has (table-store-contract.test.ts runs the contract on
 * it): items and index entries survive a reopen, numbers order by value on disk, the config
 * is reconciled at open (a table left out is kept, a changed key schema is refused, an index
 * added later is built), and the adapter keeps its tables under `<dataDir>/dynamodb`.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Adapter, AdapterTask } from "../../runtime/ports/adapter.js";
import { parseResource } from "../../translators/dataflow/resource.js";
import type { JsonObject } from "../../translators/json.js";
import type { Item } from "./attribute-value.js";
import { createDynamoDbAdapter } from "./index.js";
import { LmdbTableStore } from "./lmdb-table-store.js";
import type { TableSchema } from "./table-store.js";

const root = mkdtempSync(join(tmpdir(), "aslan-lmdb-tables-"));
const opened: LmdbTableStore[] = [];
let dirs = 0;

const freshDir = (): string => join(root, `store-${++dirs}`);

function openAt(path: string, tables: Readonly<Record<string, TableSchema>>): LmdbTableStore {
  const store = LmdbTableStore.open({ path, tables, durability: "committed" });
  opened.push(store);
  return store;
}

afterAll(async () => {
  await Promise.all(opened.map((s) => s.close().catch(() => undefined)));
  rmSync(root, { recursive: true, force: true });
});

const ORDERS: TableSchema = { partitionKey: { name: "id", type: "S" }, sortKey: { name: "line", type: "N" } };
const BY_SKU: TableSchema = { ...ORDERS, globalSecondaryIndexes: [{ name: "bySku", partitionKey: { name: "sku", type: "S" }, sortKey: { name: "line", type: "N" } }] };
const line = (id: string, n: string, sku?: string): Item => ({ id: { S: id }, line: { N: n }, ...(sku ? { sku: { S: sku } } : {}) });
const key = (item: Item): Item => ({ id: item["id"] as Item[string], line: item["line"] as Item[string] });
const putAll = async (store: LmdbTableStore, items: readonly Item[]): Promise<void> => {
  for (const item of items) await store.put("Orders", key(item), () => item);
};
const bySku = async (store: LmdbTableStore, sku: string): Promise<readonly Item[]> => store.queryRange("Orders", sku, { index: "bySku", range: {}, forward: true });

describe("LmdbTableStore on disk", () => {
  it("keeps items and index entries across a close and a reopen", async () => {
    const dir = freshDir();
    const first = openAt(dir, { Orders: BY_SKU });
    await putAll(first, [line("o1", "1", "apple"), line("o1", "2", "pear"), line("o2", "1", "apple"), line("o3", "-1.5")]);
    await first.delete("Orders", key(line("o1", "2")));
    await first.close();
    const again = openAt(dir, { Orders: BY_SKU });
    expect(await again.get("Orders", key(line("o1", "1")))).toEqual(line("o1", "1", "apple"));
    expect(await again.get("Orders", key(line("o1", "2")))).toBeUndefined();
    expect((await bySku(again, "apple")).map((i) => i["id"])).toHaveLength(2);
    expect(await bySku(again, "pear")).toEqual([]);
    expect(await again.scan("Orders", {})).toHaveLength(3);
  });

  it("orders numbers of every sign and size by value, in ranges both ways", async () => {
    const store = openAt(freshDir(), { Orders: ORDERS });
    const numbers = ["-1E+125", "-100", "-1.25", "-1.2", "-0.001", "0", "1E-130", "0.5", "1", "1.2", "1.25", "99", "100", "9.9E+125"];
    await putAll(store, [...numbers].reverse().map((n) => line("o", n)));
    const n = (items: readonly Item[]): string[] => items.map((i) => (i["line"] as { N: string }).N);
    expect(n(await store.queryRange("Orders", "o", { range: {}, forward: true }))).toEqual(numbers);
    const range = { lower: { value: "-1.25", inclusive: false }, upper: { value: "1", inclusive: true } };
    expect(n(await store.queryRange("Orders", "o", { range, forward: false }))).toEqual(["1", "0.5", "1E-130", "0", "-0.001", "-1.2"]);
    expect(n(await store.queryRange("Orders", "o", { range, forward: false, after: line("o", "0"), limit: 2 }))).toEqual(["-0.001", "-1.2"]);
  });

  it("keeps a table the config left out without serving it, and serves it again when it comes back", async () => {
    const dir = freshDir();
    const first = openAt(dir, { Orders: ORDERS });
    await putAll(first, [line("o1", "1")]);
    await first.close();
    const without = openAt(dir, { Other: { partitionKey: { name: "k", type: "S" } } });
    expect(without.schema("Orders")).toBeUndefined();
    await expect(without.get("Orders", key(line("o1", "1")))).rejects.toMatchObject({ code: "ResourceNotFoundException" });
    await without.close();
    const back = openAt(dir, { Orders: ORDERS });
    expect(await back.get("Orders", key(line("o1", "1")))).toEqual(line("o1", "1"));
  });

  it("refuses to open when a table's key schema changed, naming the table and the change", async () => {
    const dir = freshDir();
    await openAt(dir, { Orders: ORDERS, Users: { partitionKey: { name: "id", type: "S" } } }).close();
    const changed = { Orders: { partitionKey: { name: "id", type: "S" } }, Users: { partitionKey: { name: "userId", type: "S" } } } satisfies Record<string, TableSchema>;
    expect(() => openAt(dir, changed)).toThrow(/table "Orders": sort key was line \(N\), the config has none\n {2}table "Users": partition key was id \(S\), the config has userId \(S\)/);
    // Nothing was changed: the old config still opens.
    expect(openAt(dir, { Orders: ORDERS }).schema("Orders")).toEqual(ORDERS);
  });

  it("builds an index added to the config from the stored items, rebuilds a changed one and drops a removed one", async () => {
    const dir = freshDir();
    const first = openAt(dir, { Orders: ORDERS });
    await putAll(first, [line("o1", "1", "apple"), line("o2", "3", "apple"), line("o2", "2"), line("o3", "1", "kiwi")]);
    await first.close();
    const indexed = openAt(dir, { Orders: BY_SKU });
    expect((await bySku(indexed, "apple")).map((i) => (i["line"] as { N: string }).N)).toEqual(["1", "3"]);
    await indexed.close();
    const byLine: TableSchema = { ...ORDERS, globalSecondaryIndexes: [{ name: "bySku", partitionKey: { name: "line", type: "N" } }] };
    const rebuilt = openAt(dir, { Orders: byLine });
    expect(await bySku(rebuilt, "apple")).toEqual([]);
    expect((await rebuilt.queryRange("Orders", "1", { index: "bySku", range: {}, forward: true })).map((i) => i["id"])).toHaveLength(2);
    await rebuilt.close();
    const dropped = openAt(dir, { Orders: ORDERS });
    await expect(dropped.scan("Orders", { index: "bySku" })).rejects.toMatchObject({ code: "ValidationException" });
    await dropped.close();
    // Back again: built afresh, with nothing left from the "line" version.
    expect((await bySku(openAt(dir, { Orders: BY_SKU }), "apple"))).toHaveLength(2);
  });

  it("refuses a data file that is not LMDB's before mapping it", () => {
    const dir = freshDir();
    mkdirSync(dir);
    writeFileSync(join(dir, "data.mdb"), "not an LMDB file, but long enough for a meta page header");
    expect(() => openAt(dir, {})).toThrow(/data\.mdb.*not an LMDB data file/);
  });
});

const task = (action: string, payload: JsonObject): AdapterTask => ({
  taskId: "t", resource: parseResource(`arn:aws:states:::aws-sdk:dynamodb:${action}`), payload, stateName: "S", executionArn: "arn", signal: new AbortController().signal, heartbeat: () => undefined,
});

describe("createDynamoDbAdapter with a data directory", () => {
  it("keeps the config's tables in <dataDir>/dynamodb, so a new adapter on the same directory reads them", async () => {
    const dataDir = freshDir();
    const config = { tables: { Orders: BY_SKU } };
    const item = { id: { S: "o1" }, line: { N: "1" }, sku: { S: "apple" } };
    const first = createDynamoDbAdapter(config, { dataDir }) as Adapter;
    await first.run(task("putItem", { TableName: "Orders", Item: item }));
    await first.close?.();
    expect(existsSync(join(dataDir, "dynamodb", "data.mdb"))).toBe(true);
    const second = createDynamoDbAdapter(config, { dataDir }) as Adapter;
    try {
      expect(await second.run(task("getItem", { TableName: "Orders", Key: { id: { S: "o1" }, line: { N: "1" } } }))).toEqual({ Item: item });
      const query = { TableName: "Orders", IndexName: "bySku", KeyConditionExpression: "sku = :s", ExpressionAttributeValues: { ":s": { S: "apple" } } };
      expect(await second.run(task("query", query))).toMatchObject({ Count: 1, Items: [item] });
    } finally {
      await second.close?.();
    }
  });

  it("refuses to start on tables whose keys changed", async () => {
    const dataDir = freshDir();
    const adapter = createDynamoDbAdapter({ tables: { Orders: ORDERS } }, { dataDir }) as Adapter;
    await adapter.close?.();
    expect(() => createDynamoDbAdapter({ tables: { Orders: { partitionKey: { name: "id", type: "N" } } } }, { dataDir })).toThrow(/table "Orders": partition key was id \(S\), the config has id \(N\); sort key was line \(N\), the config has none/);
  });
});
