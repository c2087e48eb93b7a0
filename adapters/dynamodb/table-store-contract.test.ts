/**
 * The TableStore contract: every implementation (the in-memory one here; the durable store
 * of #4 imports `tableStoreContract` and runs it too) must pass it.
 */
import { describe, expect, it } from "vitest";
import type { Item } from "./attribute-value.js";
import { DynamoDbError } from "./dynamodb-error.js";
import { MemoryTableStore } from "./memory-table-store.js";
import type { TableSchema, TableStore } from "./table-store.js";

export const CONTRACT_TABLES: Readonly<Record<string, TableSchema>> = {
  Simple: { partitionKey: { name: "id", type: "S" } },
  Sorted: { partitionKey: { name: "pk", type: "S" }, sortKey: { name: "sk", type: "N" } },
  Bytes: { partitionKey: { name: "pk", type: "B" }, sortKey: { name: "sk", type: "S" } },
};

const simple = (id: string, extra: Item = {}): Item => ({ id: { S: id }, ...extra });
const sorted = (pk: string, sk: string): Item => ({ pk: { S: pk }, sk: { N: sk } });
const put = (store: TableStore, table: string, item: Item, key: Item = item): Promise<Item | undefined> => store.put(table, key, () => item);

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

    it("fails with ResourceNotFoundException for a table it does not hold", async () => {
      const store = await fresh();
      await expect(store.get("Nope", simple("a"))).rejects.toMatchObject({ code: "ResourceNotFoundException" });
    });
  });
}

tableStoreContract("MemoryTableStore", (tables) => new MemoryTableStore(tables));
