/**
 * The TableStore contract: every implementation (in memory, on LMDB in temp directories, and
 * on JetStream KV against a real nats-server, a bucket per store) must pass it, secondary
 * indexes included.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { natsForFile } from "../../test/support/nats-for-file.js";
import type { Item } from "./attribute-value.js";
import { DynamoDbError } from "./dynamodb-error.js";
import { JetStreamTableStore } from "./jetstream-table-store.js";
import { LmdbTableStore } from "./lmdb-table-store.js";
import { MemoryTableStore } from "./memory-table-store.js";
import type { TableSchema, TableStore } from "./table-store.js";

export const CONTRACT_TABLES: Readonly<Record<string, TableSchema>> = {
  Simple: { partitionKey: { name: "id", type: "S" } },
  Sorted: { partitionKey: { name: "pk", type: "S" }, sortKey: { name: "sk", type: "N" } },
  Bytes: { partitionKey: { name: "pk", type: "B" }, sortKey: { name: "sk", type: "S" } },
  Indexed: {
    partitionKey: { name: "pk", type: "S" },
    sortKey: { name: "sk", type: "S" },
    globalSecondaryIndexes: [
      { name: "byStatus", partitionKey: { name: "status", type: "S" }, sortKey: { name: "at", type: "N" }, projection: "KEYS_ONLY" },
      { name: "byOwner", partitionKey: { name: "owner", type: "B" } },
    ],
    localSecondaryIndexes: [{ name: "byRank", sortKey: { name: "rank", type: "S" }, projection: { include: ["note"] } }],
  },
};

const simple = (id: string, extra: Item = {}): Item => ({ id: { S: id }, ...extra });
const sorted = (pk: string, sk: string): Item => ({ pk: { S: pk }, sk: { N: sk } });
const put = (store: TableStore, table: string, item: Item, key: Item = item): Promise<Item | undefined> => store.put(table, key, () => item);
const indexed = (pk: string, sk: string, extra: Item = {}): Item => ({ pk: { S: pk }, sk: { S: sk }, ...extra });
const indexedKey = (item: Item): Item => ({ pk: item["pk"] as { S: string }, sk: item["sk"] as { S: string } });
const putIndexed = (store: TableStore, item: Item): Promise<Item | undefined> => store.put("Indexed", indexedKey(item), () => item);
/** Items named by their table key, `pk/sk`. */
const names = (items: readonly Item[]): string[] => items.map((i) => `${(i["pk"] as { S: string }).S}/${(i["sk"] as { S: string }).S}`);

/** Runs the contract against stores made by `make` (each test gets a fresh, empty one). */
export function tableStoreContract(name: string, make: (tables: Readonly<Record<string, TableSchema>>) => Promise<TableStore> | TableStore): void {
  describe(`TableStore contract: ${name}`, () => {
    const fresh = async (): Promise<TableStore> => make(CONTRACT_TABLES);

    it("knows its tables' key schemas", async () => {
      const store = await fresh();
      expect(store.schema("Sorted")).toEqual(CONTRACT_TABLES["Sorted"]);
      expect(store.schema("Nope")).toBeUndefined();
    });

    it("puts, gets and replaces items by key, answering the item replaced", async () => {
      const store = await fresh();
      expect(await put(store, "Simple", simple("a", { v: { N: "1" } }), simple("a"))).toBeUndefined();
      expect(await store.get("Simple", simple("a"))).toEqual(simple("a", { v: { N: "1" } }));
      expect(await put(store, "Simple", simple("a", { v: { N: "2" } }), simple("a"))).toEqual(simple("a", { v: { N: "1" } }));
      expect(await store.get("Simple", simple("a"))).toEqual(simple("a", { v: { N: "2" } }));
      expect(await store.get("Simple", simple("b"))).toBeUndefined();
    });

    it("decides a write from the item stored now; a decision that throws writes nothing", async () => {
      const store = await fresh();
      await put(store, "Simple", simple("a", { v: { N: "1" } }), simple("a"));
      const seen: (Item | undefined)[] = [];
      await expect(
        store.put("Simple", simple("a"), (current) => {
          seen.push(current);
          throw DynamoDbError.conditionalCheckFailed();
        }),
      ).rejects.toThrow("The conditional request failed");
      expect(seen.at(-1)).toEqual(simple("a", { v: { N: "1" } }));
      await expect(store.delete("Simple", simple("a"), () => { throw DynamoDbError.conditionalCheckFailed(); })).rejects.toThrow(DynamoDbError);
      expect(await store.get("Simple", simple("a"))).toEqual(simple("a", { v: { N: "1" } }));
    });

    it("deletes, answering the item removed (none when absent)", async () => {
      const store = await fresh();
      await put(store, "Simple", simple("a"));
      expect(await store.delete("Simple", simple("a"))).toEqual(simple("a"));
      expect(await store.delete("Simple", simple("a"))).toBeUndefined();
      expect(await store.get("Simple", simple("a"))).toBeUndefined();
    });

    it("serializes concurrent read-modify-writes of one item", async () => {
      const store = await fresh();
      await put(store, "Simple", simple("n", { v: { N: "0" } }));
      const increment = (): Promise<Item | undefined> =>
        store.put("Simple", simple("n"), (current) => simple("n", { v: { N: String(Number((current?.["v"] as { N: string }).N) + 1) } }));
      await Promise.all(Array.from({ length: 20 }, increment));
      expect(await store.get("Simple", simple("n"))).toEqual(simple("n", { v: { N: "20" } }));
    });

    it("lets one of concurrent conditional creates of an item win, the others seeing it", async () => {
      const store = await fresh();
      const attempts = Array.from({ length: 10 }, (_, i) =>
        store.put("Simple", simple("once"), (current) => {
          if (current) throw DynamoDbError.conditionalCheckFailed();
          return simple("once", { by: { N: String(i) } });
        }),
      );
      const outcomes = await Promise.allSettled(attempts);
      expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
      const winner = outcomes.findIndex((o) => o.status === "fulfilled");
      expect(await store.get("Simple", simple("once"))).toEqual(simple("once", { by: { N: String(winner) } }));
    });

    it("reads a partition's sort-key range in numeric order, both ways, after a key, up to a limit", async () => {
      const store = await fresh();
      for (const sk of ["10", "9", "-1", "2.5", "100"]) await put(store, "Sorted", sorted("p", sk));
      await put(store, "Sorted", sorted("q", "1"));
      const sks = (items: readonly Item[]): string[] => items.map((i) => (i["sk"] as { N: string }).N);
      expect(sks(await store.queryRange("Sorted", "p", { range: {}, forward: true }))).toEqual(["-1", "2.5", "9", "10", "100"]);
      expect(sks(await store.queryRange("Sorted", "p", { range: {}, forward: false }))).toEqual(["100", "10", "9", "2.5", "-1"]);
      const range = { lower: { value: "2.5", inclusive: false }, upper: { value: "100", inclusive: true } };
      expect(sks(await store.queryRange("Sorted", "p", { range, forward: true }))).toEqual(["9", "10", "100"]);
      expect(sks(await store.queryRange("Sorted", "p", { range: {}, forward: true, after: sorted("p", "2.5"), limit: 2 }))).toEqual(["9", "10"]);
      expect(sks(await store.queryRange("Sorted", "p", { range: {}, forward: false, after: sorted("p", "9") }))).toEqual(["2.5", "-1"]);
      expect(sks(await store.queryRange("Sorted", "p", { range: {}, forward: true, after: sorted("p", "3") }))).toEqual(["9", "10", "100"]);
      expect(await store.queryRange("Sorted", "none", { range: {}, forward: true })).toEqual([]);
    });

    it("orders string and binary keys by their bytes, and reads prefixes", async () => {
      const store = await fresh();
      const b = (s: string): string => Buffer.from(s).toString("base64");
      for (const sk of ["b", "a", "ab", "é", "Z"]) await put(store, "Bytes", { pk: { B: b("k") }, sk: { S: sk } });
      const sks = (items: readonly Item[]): string[] => items.map((i) => (i["sk"] as { S: string }).S);
      expect(sks(await store.queryRange("Bytes", b("k"), { range: {}, forward: true }))).toEqual(["Z", "a", "ab", "b", "é"]);
      expect(sks(await store.queryRange("Bytes", b("k"), { range: { prefix: "a" }, forward: true }))).toEqual(["a", "ab"]);
    });

    it("scans everything in a stable order that ExclusiveStartKey resumes, even after that item is gone", async () => {
      const store = await fresh();
      for (const pk of ["a", "b", "c", "d"]) for (const sk of ["1", "2"]) await put(store, "Sorted", sorted(pk, sk));
      const all = await store.scan("Sorted", {});
      expect(all).toHaveLength(8);
      const firstThree = await store.scan("Sorted", { limit: 3 });
      expect(firstThree).toEqual(all.slice(0, 3));
      const last = firstThree[2] as Item;
      expect(await store.scan("Sorted", { after: last })).toEqual(all.slice(3));
      await store.delete("Sorted", last);
      expect(await store.scan("Sorted", { after: last })).toEqual(all.slice(3));
    });

    it("gives every read a snapshot: later writes do not change what it returned", async () => {
      const store = await fresh();
      await put(store, "Sorted", sorted("p", "1"));
      const before = await store.queryRange("Sorted", "p", { range: {}, forward: true });
      await put(store, "Sorted", sorted("p", "2"));
      await put(store, "Sorted", { ...sorted("p", "1"), v: { S: "changed" } }, sorted("p", "1"));
      expect(before).toEqual([sorted("p", "1")]);
    });

    it("reads a global index: items with its key attributes only, by its sort key, ties in the table's scan order", async () => {
      const store = await fresh();
      const open = (at: string): Item => ({ status: { S: "open" }, at: { N: at } });
      for (const item of [
        indexed("p1", "a", open("2")), indexed("p1", "b", open("1")), indexed("p2", "a", open("2")), indexed("p3", "a", open("10")),
        indexed("p4", "a", { status: { S: "closed" }, at: { N: "1" } }),
        indexed("p5", "a"), // no index key attributes
        indexed("p6", "a", { status: { S: "open" } }), // no index sort key
        indexed("p7", "a", { status: { N: "1" }, at: { N: "1" } }), // an index key of another type
      ]) await putIndexed(store, item);
      const ties = names(await store.scan("Indexed", {})).filter((n) => n === "p1/a" || n === "p2/a");
      const all = names(await store.queryRange("Indexed", "open", { index: "byStatus", range: {}, forward: true }));
      expect(all).toEqual(["p1/b", ...ties, "p3/a"]);
      expect(names(await store.queryRange("Indexed", "open", { index: "byStatus", range: {}, forward: false }))).toEqual([...all].reverse());
      const twoOrMore = { lower: { value: "1", inclusive: false } };
      expect(names(await store.queryRange("Indexed", "open", { index: "byStatus", range: twoOrMore, forward: true, limit: 2 }))).toEqual(ties);
      const first = indexed(...(ties[0] as string).split("/") as [string, string], open("2"));
      expect(names(await store.queryRange("Indexed", "open", { index: "byStatus", range: {}, forward: true, after: first }))).toEqual([ties[1], "p3/a"]);
      expect(names(await store.queryRange("Indexed", "open", { index: "byStatus", range: {}, forward: false, after: first }))).toEqual(["p1/b"]);
      const [item] = await store.queryRange("Indexed", "closed", { index: "byStatus", range: {}, forward: true });
      expect(item).toEqual(indexed("p4", "a", { status: { S: "closed" }, at: { N: "1" } }));
    });

    it("keeps indexes with the items: a changed, removed or deleted index key moves or drops the entry", async () => {
      const store = await fresh();
      const owner = (s: string): Item => ({ owner: { B: Buffer.from(s).toString("base64") } });
      const byOwner = async (s: string): Promise<string[]> => names(await store.queryRange("Indexed", Buffer.from(s).toString("base64"), { index: "byOwner", range: {}, forward: true }));
      await putIndexed(store, indexed("p", "1", owner("ann")));
      await putIndexed(store, indexed("p", "2", owner("ann")));
      expect(await byOwner("ann")).toEqual(["p/1", "p/2"]);
      await store.put("Indexed", indexed("p", "1"), (current) => ({ ...current, ...owner("bob") }));
      expect(await byOwner("ann")).toEqual(["p/2"]);
      expect(await byOwner("bob")).toEqual(["p/1"]);
      await store.put("Indexed", indexed("p", "2"), () => indexed("p", "2", { other: { S: "x" } }));
      expect(await byOwner("ann")).toEqual([]);
      await store.delete("Indexed", indexed("p", "1"));
      expect(await byOwner("bob")).toEqual([]);
      await expect(store.put("Indexed", indexed("p", "2"), () => { throw DynamoDbError.conditionalCheckFailed(); })).rejects.toThrow(DynamoDbError);
      expect(await store.scan("Indexed", { index: "byOwner" })).toEqual([]);
    });

    it("reads a local index: the table's partition, ordered by the index's sort key", async () => {
      const store = await fresh();
      for (const [sk, rank] of [["a", "c"], ["b", "a"], ["c", undefined], ["d", "b"]] as const) {
        await putIndexed(store, indexed("p", sk, rank ? { rank: { S: rank } } : {}));
      }
      await putIndexed(store, indexed("q", "a", { rank: { S: "a" } }));
      expect(names(await store.queryRange("Indexed", "p", { index: "byRank", range: {}, forward: true }))).toEqual(["p/b", "p/d", "p/a"]);
      expect(names(await store.queryRange("Indexed", "p", { index: "byRank", range: { prefix: "b" }, forward: true }))).toEqual(["p/d"]);
    });

    it("scans an index in a stable order that a key resumes, even after that item left the index", async () => {
      const store = await fresh();
      for (const pk of ["a", "b", "c", "d", "e"]) for (const sk of ["1", "2"]) await putIndexed(store, indexed(pk, sk, { rank: { S: sk === "1" ? "x" : "y" }, status: { S: pk }, at: { N: sk } }));
      const all = await store.scan("Indexed", { index: "byRank" });
      expect(all).toHaveLength(10);
      const firstFour = await store.scan("Indexed", { index: "byRank", limit: 4 });
      expect(firstFour).toEqual(all.slice(0, 4));
      const last = firstFour[3] as Item;
      await store.put("Indexed", indexedKey(last), () => indexedKey(last));
      expect(await store.scan("Indexed", { index: "byRank", after: last })).toEqual(all.slice(4));
      expect(await store.scan("Indexed", { index: "byStatus" })).toHaveLength(9);
    });

    it("rejects a read of an index the table does not have", async () => {
      const store = await fresh();
      await expect(store.scan("Indexed", { index: "nope" })).rejects.toMatchObject({ code: "ValidationException", message: "The table does not have the specified index: nope" });
    });

    it("fails with ResourceNotFoundException for a table it does not hold", async () => {
      const store = await fresh();
      await expect(store.get("Nope", simple("a"))).rejects.toMatchObject({ code: "ResourceNotFoundException" });
    });
  });
}

tableStoreContract("MemoryTableStore", (tables) => new MemoryTableStore(tables));

const lmdbRoot = mkdtempSync(join(tmpdir(), "aslan-table-contract-"));
const lmdbStores: LmdbTableStore[] = [];
afterAll(async () => {
  await Promise.all(lmdbStores.map((s) => s.close()));
  rmSync(lmdbRoot, { recursive: true, force: true });
});
tableStoreContract("LmdbTableStore", (tables) => {
  const store = LmdbTableStore.open({ path: join(lmdbRoot, String(lmdbStores.length)), tables, durability: "committed" });
  lmdbStores.push(store);
  return store;
});

// One nats-server for the file; every store gets a bucket of its own.
const nats = natsForFile();
tableStoreContract("JetStreamTableStore", (tables) => {
  const store = new JetStreamTableStore({ servers: nats.url, tables, bucket: nats.freshBucket() });
  nats.atEnd(() => store.close());
  return store;
});
