/**
 * What only the JetStream TableStore has (table-store-contract.test.ts runs the contract on
 * it): stores on separate connections, as separate processes have, share the tables and
 * serialize their writes; the key schemas are stored once and a changed one is refused; an
 * item too large for one NATS message fails clearly; the adapter runs on it with `natsServers`.
 */
import { describe, expect, it } from "vitest";
import type { Adapter, AdapterTask } from "../../runtime/ports/adapter.js";
import { parseResource } from "../../translators/dataflow/resource.js";
import type { JsonObject } from "../../translators/json.js";
import { natsForFile } from "../../test/support/nats-for-file.js";
import type { Item } from "./attribute-value.js";
import { createDynamoDbAdapter } from "./index.js";
import { JetStreamTableStore } from "./jetstream-table-store.js";
import type { TableSchema } from "./table-store.js";

const nats = natsForFile();

function storeOn(bucket: string, tables: Readonly<Record<string, TableSchema>>): JetStreamTableStore {
  const store = new JetStreamTableStore({ servers: nats.url, tables, bucket });
  nats.atEnd(() => store.close());
  return store;
}

const COUNTERS: TableSchema = { partitionKey: { name: "id", type: "S" } };
const ORDERS: TableSchema = {
  partitionKey: { name: "id", type: "S" },
  sortKey: { name: "line", type: "N" },
  globalSecondaryIndexes: [{ name: "bySku", partitionKey: { name: "sku", type: "S" } }],
};
const counter = (n: number): Item => ({ id: { S: "c" }, n: { N: String(n) } });

describe("JetStreamTableStore shared by processes", () => {
  it("serializes read-modify-writes that two connections make of one item at once", async () => {
    const bucket = nats.freshBucket();
    const [a, b] = [storeOn(bucket, { Counters: COUNTERS }), storeOn(bucket, { Counters: COUNTERS })];
    await a.put("Counters", { id: { S: "c" } }, () => counter(0));
    const increment = (store: JetStreamTableStore): Promise<Item | undefined> =>
      store.put("Counters", { id: { S: "c" } }, (current) => counter(Number((current?.["n"] as { N: string }).N) + 1));
    await Promise.all(Array.from({ length: 30 }, (_, i) => increment(i % 2 === 0 ? a : b)));
    expect(await b.get("Counters", { id: { S: "c" } })).toEqual(counter(30));
    expect(await a.get("Counters", { id: { S: "c" } })).toEqual(counter(30));
  });

  it("stores the key schemas once; a process whose config changed a table's keys fails every operation, naming the change", async () => {
    const bucket = nats.freshBucket();
    const first = storeOn(bucket, { Orders: ORDERS });
    await first.put("Orders", { id: { S: "o1" }, line: { N: "1" } }, () => ({ id: { S: "o1" }, line: { N: "1" }, sku: { S: "apple" } }));
    // Other indexes are fine: they are derived from the items when read.
    const reindexed = storeOn(bucket, { Orders: { ...ORDERS, globalSecondaryIndexes: [{ name: "byLine", partitionKey: { name: "line", type: "N" } }] } });
    expect(await reindexed.queryRange("Orders", "1", { index: "byLine", range: {}, forward: true })).toHaveLength(1);
    const changed = storeOn(bucket, { Orders: { partitionKey: { name: "id", type: "S" } } });
    const refused = /the DynamoDB tables kept in the JetStream KV bucket t_\w+ do not match the config:\n {2}table "Orders": sort key was line \(N\), the config has none/;
    await expect(changed.get("Orders", { id: { S: "o1" } })).rejects.toThrow(refused);
    await expect(changed.scan("Orders", {})).rejects.toThrow(refused);
    // The stored schema is unchanged: the first config still works.
    expect(await storeOn(bucket, { Orders: ORDERS }).scan("Orders", {})).toHaveLength(1);
  });

  it("refuses an item larger than one NATS message, saying so, and stores nothing", async () => {
    const store = storeOn(nats.freshBucket(), { Counters: COUNTERS });
    const huge = { id: { S: "big" }, blob: { S: "x".repeat(1024 * 1024) } };
    await expect(store.put("Counters", { id: { S: "big" } }, () => huge)).rejects.toThrow(/The item is \d+ bytes as stored, more than one message of the NATS server takes \(max_payload 1048576 bytes/);
    expect(await store.get("Counters", { id: { S: "big" } })).toBeUndefined();
  });

  it("closes without ever connecting when nothing was asked of it", async () => {
    const idle = new JetStreamTableStore({ servers: "nats://127.0.0.1:1", tables: { Counters: COUNTERS } });
    await idle.close();
    await expect(idle.get("Counters", { id: { S: "c" } })).rejects.toThrow(/closed/);
  });
});

const task = (action: string, payload: JsonObject): AdapterTask => ({
  taskId: "t", resource: parseResource(`arn:aws:states:::aws-sdk:dynamodb:${action}`), payload, stateName: "S", executionArn: "arn", signal: new AbortController().signal, heartbeat: () => undefined,
});

describe("createDynamoDbAdapter in distributed mode", () => {
  it("keeps the config's tables in JetStream KV: what one adapter writes, another reads, indexes included", async () => {
    // The default bucket, as `aslan worker --nats` uses it: this server is the file's own.
    const config = { tables: { Orders: ORDERS } };
    const [writer, reader] = [createDynamoDbAdapter(config, { natsServers: nats.url }) as Adapter, createDynamoDbAdapter(config, { natsServers: nats.url }) as Adapter];
    nats.atEnd(async () => await writer.close?.());
    nats.atEnd(async () => await reader.close?.());
    const item = { id: { S: "o1" }, line: { N: "1" }, sku: { S: "pear" } };
    await writer.run(task("putItem", { TableName: "Orders", Item: item }));
    expect(await reader.run(task("getItem", { TableName: "Orders", Key: { id: { S: "o1" }, line: { N: "1" } } }))).toMatchObject({ Item: item });
    const query = { TableName: "Orders", IndexName: "bySku", KeyConditionExpression: "sku = :s", ExpressionAttributeValues: { ":s": { S: "pear" } } };
    expect(await reader.run(task("query", query))).toMatchObject({ Count: 1, Items: [item] });
    const conditional = { TableName: "Orders", Item: item, ConditionExpression: "attribute_not_exists(id)" };
    await expect(reader.run(task("putItem", conditional))).rejects.toMatchObject({ error: expect.stringMatching(/\.ConditionalCheckFailedException$/) });
  });
});
