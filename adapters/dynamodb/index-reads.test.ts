/**
 * Query and Scan of secondary indexes through the local DynamoDB, on both stores: paging
 * with LastEvaluatedKey walks every item once, in order, both ways; equal index keys come in
 * the table's scan order; a local index fetches attributes it does not project, a global one
 * answers with what it holds.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { JsonObject } from "../../translators/json.js";
import { LmdbTableStore } from "./lmdb-table-store.js";
import { LocalDynamoDb } from "./local-dynamodb.js";
import { MemoryTableStore } from "./memory-table-store.js";
import type { TableSchema, TableStore } from "./table-store.js";

const TABLES: Record<string, TableSchema> = {
  Events: {
    partitionKey: { name: "feed", type: "S" },
    sortKey: { name: "seq", type: "N" },
    globalSecondaryIndexes: [{ name: "byKind", partitionKey: { name: "kind", type: "S" }, sortKey: { name: "day", type: "N" }, projection: "KEYS_ONLY" }],
    localSecondaryIndexes: [{ name: "byDay", sortKey: { name: "day", type: "N" }, projection: "KEYS_ONLY" }],
  },
};

const dir = mkdtempSync(join(tmpdir(), "aslan-index-reads-"));
const lmdb = LmdbTableStore.open({ path: dir, tables: TABLES, durability: "committed" });
afterAll(async () => {
  await lmdb.close();
  rmSync(dir, { recursive: true, force: true });
});

const STORES: [string, TableStore][] = [["memory", new MemoryTableStore(TABLES)], ["lmdb", lmdb]];

/** 24 events in 4 feeds; kinds a/b, days 1..3 (so many share their index keys); every 5th has no kind. */
async function seeded(db: LocalDynamoDb): Promise<void> {
  for (let i = 0; i < 24; i++) {
    const item: JsonObject = { feed: { S: `f${i % 4}` }, seq: { N: String(i) }, day: { N: String(1 + (i % 3)) }, body: { S: `event ${i}` } };
    if (i % 5 !== 0) item["kind"] = { S: i % 2 === 0 ? "a" : "b" };
    await db.send("PutItem", { TableName: "Events", Item: item });
  }
}

const id = (item: JsonObject): string => `${(item["feed"] as { S: string }).S}#${(item["seq"] as { N: string }).N}`;

/** Every page of a Query or Scan, following LastEvaluatedKey. */
async function pages(db: LocalDynamoDb, action: "Query" | "Scan", request: JsonObject): Promise<{ items: JsonObject[]; keys: JsonObject[] }> {
  const items: JsonObject[] = [];
  const keys: JsonObject[] = [];
  let start: JsonObject | undefined;
  do {
    const { body } = await db.send(action, { ...request, ...(start ? { ExclusiveStartKey: start } : {}) });
    items.push(...(body["Items"] as JsonObject[]));
    start = body["LastEvaluatedKey"] as JsonObject | undefined;
    if (start) keys.push(start);
  } while (start);
  return { items, keys };
}

describe.each(STORES)("index reads on the %s store", (_name, store) => {
  const db = new LocalDynamoDb(store);
  const seeding = seeded(db);

  it("pages a global index Query in order both ways; equal index keys come in the table's scan order", async () => {
    await seeding;
    const query = { TableName: "Events", IndexName: "byKind", KeyConditionExpression: "kind = :k", ExpressionAttributeValues: { ":k": { S: "b" } } };
    const all = ((await db.send("Query", query)).body["Items"] as JsonObject[]).map(id);
    const tableOrder = ((await db.send("Scan", { TableName: "Events" })).body["Items"] as JsonObject[]).map(id);
    const expected = [...tableOrder]
      .map((i) => ({ i, seq: Number(i.split("#")[1]) }))
      .filter(({ seq }) => seq % 5 !== 0 && seq % 2 === 1)
      .sort((a, b) => (1 + (a.seq % 3)) - (1 + (b.seq % 3)) || tableOrder.indexOf(a.i) - tableOrder.indexOf(b.i))
      .map(({ i }) => i);
    expect(all).toEqual(expected);
    for (const limit of [1, 2, 3]) {
      const forward = await pages(db, "Query", { ...query, Limit: limit });
      expect(forward.items.map(id)).toEqual(all);
      expect(Object.keys(forward.keys[0] as JsonObject).sort()).toEqual(["day", "feed", "kind", "seq"]);
      expect((await pages(db, "Query", { ...query, Limit: limit, ScanIndexForward: false })).items.map(id)).toEqual([...all].reverse());
    }
  });

  it("pages an index Scan through every item the index holds, once", async () => {
    await seeding;
    const all = (await pages(db, "Scan", { TableName: "Events", IndexName: "byKind" })).items.map(id);
    expect(all).toHaveLength(24 - 5);
    expect((await pages(db, "Scan", { TableName: "Events", IndexName: "byKind", Limit: 4 })).items.map(id)).toEqual(all);
    expect((await pages(db, "Scan", { TableName: "Events", IndexName: "byDay", Limit: 7 })).items).toHaveLength(24);
  });

  it("fetches what a local index does not project; a global index answers with what it holds", async () => {
    await seeding;
    const local = await db.send("Query", {
      TableName: "Events", IndexName: "byDay", KeyConditionExpression: "feed = :f AND #d = :d", ExpressionAttributeNames: { "#d": "day" },
      ExpressionAttributeValues: { ":f": { S: "f1" }, ":d": { N: "2" } }, ProjectionExpression: "seq, body", ReturnConsumedCapacity: "INDEXES",
    });
    expect(local.body["Items"]).toEqual([{ seq: { N: "1" }, body: { S: "event 1" } }, { seq: { N: "13" }, body: { S: "event 13" } }]);
    expect(local.body["ConsumedCapacity"]).toEqual({ CapacityUnits: 1, TableName: "Events", Table: { CapacityUnits: 0.5 }, LocalSecondaryIndexes: { byDay: { CapacityUnits: 0.5 } } });
    const projected = await db.send("Query", {
      TableName: "Events", IndexName: "byDay", KeyConditionExpression: "feed = :f AND #d = :d", ExpressionAttributeNames: { "#d": "day" },
      ExpressionAttributeValues: { ":f": { S: "f1" }, ":d": { N: "2" } },
    });
    expect(projected.body["Items"]).toEqual([{ feed: { S: "f1" }, seq: { N: "1" }, day: { N: "2" } }, { feed: { S: "f1" }, seq: { N: "13" }, day: { N: "2" } }]);
    const global = await db.send("Query", {
      TableName: "Events", IndexName: "byKind", KeyConditionExpression: "kind = :k", ExpressionAttributeValues: { ":k": { S: "b" } }, ProjectionExpression: "seq, body", Limit: 1,
    });
    expect(global.body["Items"]).toEqual([{ seq: { N: expect.any(String) as string } }]);
  });
});
