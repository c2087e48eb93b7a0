/**
 * Secondary indexes, differentially: one scenario of writes, Queries and Scans with IndexName
 * runs on the local tables (in memory and on LMDB) and on dynalite (which implements indexes)
 * on a random loopback port, and every answer must match: items, order, LastEvaluatedKey,
 * ConsumedCapacity, error codes and messages. Where the order of equal index keys is
 * unspecified (DynamoDB's and dynalite's differ from ours), Items are compared in any order.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outcome, startDynalite, type Dynalite, type Outcome } from "../../test/support/dynalite.js";
import type { JsonObject } from "../../translators/json.js";
import type { DynamoDbAction } from "./dynamodb-backend.js";
import { ForwardDynamoDb } from "./forward-dynamodb.js";
import { LmdbTableStore } from "./lmdb-table-store.js";
import { LocalDynamoDb } from "./local-dynamodb.js";
import { MemoryTableStore } from "./memory-table-store.js";
import type { TableSchema } from "./table-store.js";


interface Step {
  readonly action: DynamoDbAction;
  readonly request: JsonObject;
  /** Items in any order (equal index keys, scans). */
  readonly unordered?: boolean;
  /** dynalite is known to differ from DynamoDB here: only the local answers are checked (and must be this error). */
  readonly localError?: string;
}

const ORDERS: TableSchema = {
  partitionKey: { name: "customer", type: "S" },
  sortKey: { name: "orderId", type: "S" },
  globalSecondaryIndexes: [
    { name: "byStatus", partitionKey: { name: "status", type: "S" }, sortKey: { name: "placedAt", type: "N" }, projection: { include: ["total"] } },
    { name: "bySku", partitionKey: { name: "sku", type: "S" }, projection: "KEYS_ONLY" },
    { name: "everything", partitionKey: { name: "status", type: "S" } },
  ],
  localSecondaryIndexes: [
    { name: "byTotal", sortKey: { name: "total", type: "N" }, projection: "KEYS_ONLY" },
    { name: "byPlaced", sortKey: { name: "placedAt", type: "N" } },
  ],
};

const TABLES = { Orders: ORDERS };

/** Canonical JSON: object keys sorted (attribute and member order are not part of an answer). */
const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) =>
    typeof x === "object" && x !== null && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1))) : x,
  );

const normalized = (o: Outcome, unordered: boolean): string => {
  if (!("ok" in o) || !unordered) return canonical(o);
  const items = o.ok["Items"];
  return canonical({ ...o.ok, ...(Array.isArray(items) ? { Items: items.map(canonical).sort() } : {}) });
};

const orders = (request: JsonObject): JsonObject => ({ TableName: "Orders", ...request });
const order = (customer: string, orderId: string, attrs: JsonObject): Step => ({
  action: "PutItem",
  request: orders({ Item: { customer: { S: customer }, orderId: { S: orderId }, ...attrs } }),
});
const n = (v: number): JsonObject => ({ N: String(v) });
const s = (v: string): JsonObject => ({ S: v });
const query = (index: string, condition: string, values: JsonObject, extra: JsonObject = {}, unordered = false): Step => ({
  action: "Query",
  request: orders({ IndexName: index, KeyConditionExpression: condition, ExpressionAttributeValues: values, ...extra }),
  unordered,
});
const open = { ":s": s("OPEN") };

const SCENARIO: Step[] = [
  order("c1", "o1", { status: s("OPEN"), placedAt: n(30), total: n(12.5), sku: s("apple"), note: s("ring twice") }),
  order("c1", "o2", { status: s("OPEN"), placedAt: n(10), total: n(99), sku: s("pear") }),
  order("c1", "o3", { status: s("SHIPPED"), placedAt: n(20), total: n(5), sku: s("apple") }),
  order("c2", "o1", { status: s("OPEN"), placedAt: n(25), total: n(40), sku: s("apple"), note: s("gift") }),
  order("c2", "o2", { status: s("OPEN"), total: n(1) }), // no placedAt: not in byStatus nor byPlaced
  order("c3", "o1", { placedAt: n(5), sku: s("kiwi") }), // no status: only in bySku and byPlaced
  order("c3", "o2", { status: s("OPEN"), placedAt: n(-2.5), total: n(7), sku: s("apple") }),
  // Queries on a global index with a sort key (INCLUDE projection: keys and total).
  query("byStatus", "#s = :s", open, { ExpressionAttributeNames: { "#s": "status" } }),
  query("byStatus", "#s = :s AND placedAt BETWEEN :a AND :b", { ...open, ":a": n(0), ":b": n(29) }, { ExpressionAttributeNames: { "#s": "status" } }),
  query("byStatus", "#s = :s", open, { ExpressionAttributeNames: { "#s": "status" }, ScanIndexForward: false, Limit: 2 }),
  query("byStatus", "#s = :s", open, {
    ExpressionAttributeNames: { "#s": "status" }, ScanIndexForward: false, Limit: 2,
    ExclusiveStartKey: { status: s("OPEN"), placedAt: n(25), customer: s("c2"), orderId: s("o1") },
  }),
  query("byStatus", "#s = :s AND placedAt > :a", { ...open, ":a": n(10) }, { ExpressionAttributeNames: { "#s": "status" }, Limit: 1 }),
  query("byStatus", "#s = :s", { ...open, ":t": n(20) }, { ExpressionAttributeNames: { "#s": "status" }, FilterExpression: "total > :t" }),
  query("byStatus", "#s = :s", { ...open, ":g": s("gift") }, { ExpressionAttributeNames: { "#s": "status" }, FilterExpression: "note = :g" }),
  query("byStatus", "#s = :s", open, { ExpressionAttributeNames: { "#s": "status", "#n": "note" }, ProjectionExpression: "orderId, total, #n" }),
  query("byStatus", "#s = :s", open, { ExpressionAttributeNames: { "#s": "status" }, Select: "ALL_PROJECTED_ATTRIBUTES" }),
  query("byStatus", "#s = :s", open, { ExpressionAttributeNames: { "#s": "status" }, Select: "COUNT" }),
  query("byStatus", "#s = :s", open, { ExpressionAttributeNames: { "#s": "status" }, ReturnConsumedCapacity: "INDEXES" }),
  query("byStatus", "#s = :s", open, { ExpressionAttributeNames: { "#s": "status" }, ReturnConsumedCapacity: "TOTAL" }),
  // A global index without a sort key (KEYS_ONLY): equal keys come in any order.
  query("bySku", "sku = :k", { ":k": s("apple") }, {}, true),
  query("everything", "#s = :s", open, { ExpressionAttributeNames: { "#s": "status" } }, true),
  query("everything", "#s = :s", open, { ExpressionAttributeNames: { "#s": "status" }, Select: "ALL_ATTRIBUTES" }, true),
  // Local indexes: the table's partition, another sort key.
  query("byTotal", "customer = :c", { ":c": s("c1") }),
  query("byTotal", "customer = :c AND total >= :t", { ":c": s("c1"), ":t": n(12.5) }, { ScanIndexForward: false }),
  query("byTotal", "customer = :c", { ":c": s("c1") }, { Select: "ALL_ATTRIBUTES", ReturnConsumedCapacity: "INDEXES" }),
  query("byTotal", "customer = :c", { ":c": s("c1") }, { ConsistentRead: true, Limit: 2 }),
  query("byPlaced", "customer = :c AND placedAt < :p", { ":c": s("c3"), ":p": n(100) }),
  // Errors.
  query("nope", "customer = :c", { ":c": s("c1") }),
  query("byStatus", "#s = :s", open, { ExpressionAttributeNames: { "#s": "status" }, ConsistentRead: true }),
  query("byStatus", "#s = :s", open, { ExpressionAttributeNames: { "#s": "status" }, Select: "ALL_ATTRIBUTES" }),
  query("byStatus", "customer = :c", { ":c": s("c1") }),
  query("byStatus", "#s = :s AND total = :t", { ...open, ":t": n(1) }, { ExpressionAttributeNames: { "#s": "status" } }),
  query("byStatus", "#s = :s AND placedAt = :p", { ...open, ":p": s("x") }, { ExpressionAttributeNames: { "#s": "status" } }),
  query("byStatus", "#s = :s", { ...open, ":p": n(1) }, { ExpressionAttributeNames: { "#s": "status" }, FilterExpression: "placedAt = :p" }),
  query("byStatus", "#s = :s", open, { ExpressionAttributeNames: { "#s": "status" }, ProjectionExpression: "sku.x" }),
  query("byStatus", "#s = :s", open, { ExpressionAttributeNames: { "#s": "status" }, ExclusiveStartKey: { status: s("OPEN"), customer: s("c1"), orderId: s("o1") } }),
  query("byStatus", "#s = :s", open, { ExpressionAttributeNames: { "#s": "status" }, ExclusiveStartKey: { status: s("OPEN"), placedAt: s("1"), customer: s("c1"), orderId: s("o1") } }),
  query("byStatus", "#s = :s", open, { ExpressionAttributeNames: { "#s": "status" }, ExclusiveStartKey: { status: s("CLOSED"), placedAt: n(1), customer: s("c1"), orderId: s("o1") } }),
  query("byStatus", "#s = :s", open, { ExpressionAttributeNames: { "#s": "status" }, ExclusiveStartKey: { status: s("OPEN"), placedAt: n(1), customer: s("c1"), x: s("o1") } }),
  // DynamoDB knows ALL_PROJECTED_ATTRIBUTES only with an index, and consistent Scans of a global index not at all; dynalite takes both.
  {
    action: "Query", request: orders({ KeyConditionExpression: "customer = :c", ExpressionAttributeValues: { ":c": s("c1") }, Select: "ALL_PROJECTED_ATTRIBUTES" }),
    localError: "1 validation error detected: ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName",
  },
  { action: "Scan", request: orders({ IndexName: "bySku", ConsistentRead: true }), localError: "Consistent reads are not supported on global secondary indexes" },
  // Scans of an index: its items only, in any order.
  { action: "Scan", request: orders({ IndexName: "byStatus" }), unordered: true },
  { action: "Scan", request: orders({ IndexName: "bySku", Select: "COUNT" }) },
  { action: "Scan", request: orders({ IndexName: "byPlaced", ProjectionExpression: "orderId, placedAt" }), unordered: true },
  { action: "Scan", request: orders({ IndexName: "bySku", Select: "ALL_ATTRIBUTES" }) },
  { action: "Scan", request: orders({ IndexName: "nope" }) },
  { action: "Scan", request: orders({ IndexName: "byTotal", ConsistentRead: true }), unordered: true },
  { action: "Scan", request: orders({ IndexName: "bySku", ExclusiveStartKey: { customer: s("c1"), orderId: s("o1") } }) },
  // Writes keep the indexes: a moved key, a removed one, a deleted item.
  { action: "UpdateItem", request: orders({ Key: { customer: s("c1"), orderId: s("o2") }, UpdateExpression: "SET #s = :x", ExpressionAttributeNames: { "#s": "status" }, ExpressionAttributeValues: { ":x": s("SHIPPED") } }) },
  { action: "UpdateItem", request: orders({ Key: { customer: s("c2"), orderId: s("o1") }, UpdateExpression: "REMOVE placedAt" }) },
  { action: "DeleteItem", request: orders({ Key: { customer: s("c3"), orderId: s("o2") } }) },
  query("byStatus", "#s = :s", open, { ExpressionAttributeNames: { "#s": "status" } }),
  query("byStatus", "#s = :s", { ":s": s("SHIPPED") }, { ExpressionAttributeNames: { "#s": "status" } }),
  query("byPlaced", "customer = :c", { ":c": s("c2") }),
  // Index key attributes are checked on writes.
  order("c9", "o1", { status: n(1) }),
  { action: "UpdateItem", request: orders({ Key: { customer: s("c1"), orderId: s("o1") }, UpdateExpression: "SET placedAt = :p", ExpressionAttributeValues: { ":p": s("soon") } }) },
  { action: "UpdateItem", request: orders({ Key: { customer: s("c1"), orderId: s("o1") }, UpdateExpression: "SET sku.x = :p", ExpressionAttributeValues: { ":p": s("x") } }) },
  // DynamoDB refuses an empty string as an index key; dynalite stores it.
  { ...order("c9", "o2", { sku: s("") }), localError: "One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty string value. IndexName: bySku, IndexKey: sku" },
];

let server: Dynalite;
let endpoint: string;
const dir = mkdtempSync(join(tmpdir(), "aslan-indexes-"));

beforeAll(async () => {
  server = await startDynalite(TABLES);
  endpoint = server.endpoint;
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("secondary indexes against dynalite", () => {
  it("answer the scenario as dynalite does, in memory and on LMDB", async () => {
    const lmdb = LmdbTableStore.open({ path: join(dir, "tables"), tables: TABLES, durability: "committed" });
    const locals = { memory: new LocalDynamoDb(new MemoryTableStore(TABLES)), lmdb: new LocalDynamoDb(lmdb) };
    const remote = new ForwardDynamoDb({ endpoint, region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "x" } });
    const diffs: string[] = [];
    const seen = { ok: 0, error: 0 };
    try {
      for (const [i, step] of SCENARIO.entries()) {
        const theirs = await outcome(remote, step.action, step.request);
        seen["ok" in theirs ? "ok" : "error"]++;
        for (const [name, local] of Object.entries(locals)) {
          const ours = await outcome(local, step.action, step.request);
          const same = step.localError !== undefined
            ? "error" in ours && ours.message === step.localError
            : normalized(ours, step.unordered ?? false) === normalized(theirs, step.unordered ?? false);
          if (!same) diffs.push(`#${i} ${name} ${step.action} ${JSON.stringify(step.request)}\n  local:    ${JSON.stringify(ours)}\n  dynalite: ${JSON.stringify(theirs)}`);
        }
      }
    } finally {
      await remote.close();
      await lmdb.close();
    }
    expect(diffs.join("\n")).toBe("");
    expect(seen.ok).toBeGreaterThan(30);
    expect(seen.error).toBeGreaterThan(15);
  });
});
