import { beforeEach, describe, expect, it } from "vitest";
import type { JsonObject } from "../../translators/json.js";
import type { DynamoDbAction } from "./dynamodb-backend.js";
import { DynamoDbError } from "./dynamodb-error.js";
import { LocalDynamoDb } from "./local-dynamodb.js";
import { MemoryTableStore } from "./memory-table-store.js";

let db: LocalDynamoDb;

beforeEach(() => {
  db = new LocalDynamoDb(
    new MemoryTableStore({
      Users: { partitionKey: { name: "id", type: "S" } },
      Orders: { partitionKey: { name: "pk", type: "S" }, sortKey: { name: "sk", type: "N" } },
    }),
    { now: () => Date.UTC(2024, 0, 2, 3, 4, 5) },
  );
});

const send = async (action: DynamoDbAction, request: JsonObject): Promise<JsonObject> => (await db.send(action, request)).body;

async function failure(action: DynamoDbAction, request: JsonObject): Promise<{ code: string; message: string }> {
  try {
    await db.send(action, request);
  } catch (e) {
    if (!(e instanceof DynamoDbError)) throw e;
    expect(e.requestId).toMatch(/^[A-Z0-9]{52}$/);
    return { code: e.code, message: e.message };
  }
  throw new Error(`${action} succeeded`);
}

const user = (id: string, extra: JsonObject = {}): JsonObject => ({ TableName: "Users", Item: { id: { S: id }, ...extra } });

describe("GetItem and PutItem", () => {
  it("stores every attribute type and returns it normalized", async () => {
    await send("PutItem", user("u1", { n: { N: "01.230" }, ns: { NS: ["1.0", "2"] }, b: { B: "AQI" }, m: { M: { l: { L: [{ NULL: true }, { BOOL: false }] } } } }));
    expect(await send("GetItem", { TableName: "Users", Key: { id: { S: "u1" } } })).toEqual({
      Item: { id: { S: "u1" }, n: { N: "1.23" }, ns: { NS: ["1", "2"] }, b: { B: "AQI=" }, m: { M: { l: { L: [{ NULL: true }, { BOOL: false }] } } } },
    });
    expect(await send("GetItem", { TableName: "Users", Key: { id: { S: "u2" } } })).toEqual({});
  });

  it("answers with DynamoDB's headers: request id, CRC32 and length of the body, date", async () => {
    const reply = await db.send("GetItem", { TableName: "Users", Key: { id: { S: "none" } } });
    expect(reply.headers).toEqual({
      Server: "Server",
      Date: "Tue, 02 Jan 2024 03:04:05 GMT",
      "Content-Type": "application/x-amz-json-1.0",
      "Content-Length": "2",
      Connection: "keep-alive",
      "x-amzn-RequestId": reply.requestId,
      "x-amz-crc32": "2745614147",
    });
  });

  it("PutItem's condition sees the stored item; ALL_OLD returns the item replaced", async () => {
    await send("PutItem", user("u1", { v: { N: "1" } }));
    expect(await failure("PutItem", { ...user("u1"), ConditionExpression: "attribute_not_exists(id)" })).toEqual({
      code: "ConditionalCheckFailedException",
      message: "The conditional request failed",
    });
    expect(await send("PutItem", { ...user("u1", { v: { N: "2" } }), ConditionExpression: "v = :one", ExpressionAttributeValues: { ":one": { N: "1" } }, ReturnValues: "ALL_OLD" })).toEqual({
      Attributes: { id: { S: "u1" }, v: { N: "1" } },
    });
  });

  it("reports ConsumedCapacity when asked", async () => {
    expect(await send("PutItem", { ...user("u1"), ReturnConsumedCapacity: "TOTAL" })).toEqual({ ConsumedCapacity: { CapacityUnits: 1, TableName: "Users" } });
    expect(await send("GetItem", { TableName: "Users", Key: { id: { S: "u1" } }, ReturnConsumedCapacity: "TOTAL", ConsistentRead: true })).toMatchObject({
      ConsumedCapacity: { CapacityUnits: 1, TableName: "Users" },
    });
  });

  it("validates requests with DynamoDB's messages", async () => {
    expect(await failure("PutItem", { Item: {} })).toEqual({
      code: "ValidationException",
      message: "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null",
    });
    expect((await failure("GetItem", { TableName: "x" })).message).toBe(
      "2 validation errors detected: Value 'x' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3; Value null at 'key' failed to satisfy constraint: Member must not be null",
    );
    expect(await failure("GetItem", { TableName: "Nope", Key: { id: { S: "1" } } })).toEqual({ code: "ResourceNotFoundException", message: "Requested resource not found" });
    expect((await failure("PutItem", user("u1", { s: { SS: ["a", "a"] } }))).message).toBe("One or more parameter values were invalid: Input collection [a, a] contains duplicates.");
    expect((await failure("PutItem", user("u1", { x: { S: "a", N: "1" } }))).message).toBe(
      "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes",
    );
    expect((await failure("PutItem", user("u1", { x: { NULL: false } }))).message).toBe("One or more parameter values were invalid: Null attribute value types must have the value of true");
    expect((await failure("PutItem", user("u1", { x: { N: 5 } }))).code).toBe("SerializationException");
    expect((await failure("PutItem", { ...user("u1"), ExpressionAttributeValues: { ":a": { S: "a" } } })).message).toBe(
      "ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null",
    );
    expect((await failure("PutItem", { ...user("u1"), ConditionExpression: "a = :a", ExpressionAttributeValues: { ":a": { N: "x" } } })).message).toBe(
      "ExpressionAttributeValues contains invalid value: The parameter cannot be converted to a numeric value: x for key :a",
    );
    expect((await failure("PutItem", { ...user("u1"), ConditionExpression: "a = :a", ExpressionAttributeValues: { "a": { N: "1" } } })).message).toBe(
      'ExpressionAttributeValues contains invalid key: Syntax error; key: "a"',
    );
    expect((await failure("PutItem", user("u1", { big: { S: "x".repeat(400 * 1024) } }))).message).toBe("Item size has exceeded the maximum allowed size");
    expect((await failure("PutItem", { ...user("u1"), Expected: { a: { Exists: false } } })).message).toMatch(/legacy parameter Expected/);
  });
});

describe("UpdateItem", () => {
  it("creates the item when it is missing, and returns what ReturnValues asks for", async () => {
    const set = (ReturnValues: string): JsonObject => ({
      TableName: "Users", Key: { id: { S: "u1" } }, UpdateExpression: "SET n = if_not_exists(n, :zero) + :one, extra = :one", ExpressionAttributeValues: { ":zero": { N: "0" }, ":one": { N: "1" } }, ReturnValues,
    });
    expect(await send("UpdateItem", set("ALL_OLD"))).toEqual({});
    expect(await send("UpdateItem", set("UPDATED_OLD"))).toEqual({ Attributes: { n: { N: "1" }, extra: { N: "1" } } });
    expect(await send("UpdateItem", set("UPDATED_NEW"))).toEqual({ Attributes: { n: { N: "3" }, extra: { N: "1" } } });
    expect(await send("UpdateItem", set("ALL_NEW"))).toEqual({ Attributes: { id: { S: "u1" }, n: { N: "4" }, extra: { N: "1" } } });
    expect(await send("UpdateItem", set("NONE"))).toEqual({});
  });

  it("without an UpdateExpression, just makes sure the item exists", async () => {
    expect(await send("UpdateItem", { TableName: "Users", Key: { id: { S: "u9" } }, ReturnValues: "ALL_NEW" })).toEqual({ Attributes: { id: { S: "u9" } } });
  });

  it("checks the condition against the stored item and refuses key changes", async () => {
    await send("PutItem", user("u1", { state: { S: "NEW" } }));
    const ship = { TableName: "Users", Key: { id: { S: "u1" } }, UpdateExpression: "SET #s = :shipped", ConditionExpression: "#s = :new", ExpressionAttributeNames: { "#s": "state" }, ExpressionAttributeValues: { ":new": { S: "NEW" }, ":shipped": { S: "SHIPPED" } } };
    await send("UpdateItem", ship);
    expect((await failure("UpdateItem", ship)).code).toBe("ConditionalCheckFailedException");
    expect((await failure("UpdateItem", { TableName: "Users", Key: { id: { S: "u1" } }, UpdateExpression: "REMOVE id" })).message).toBe(
      "One or more parameter values were invalid: Cannot update attribute id. This attribute is part of the key",
    );
  });

  it("prefixes expression errors with the member they are in", async () => {
    expect((await failure("UpdateItem", { TableName: "Users", Key: { id: { S: "u1" } }, UpdateExpression: "SET a = :v", ExpressionAttributeValues: { ":v": { S: "x" }, ":w": { S: "y" } } })).message).toBe(
      "Value provided in ExpressionAttributeValues unused in expressions: keys: {:w}",
    );
    expect((await failure("UpdateItem", { TableName: "Users", Key: { id: { S: "u1" } }, UpdateExpression: "SET a = :v", ConditionExpression: "a = = :v", ExpressionAttributeValues: { ":v": { S: "x" } } })).message).toBe(
      'Invalid ConditionExpression: Syntax error; token: "=", near: "= = :v"',
    );
  });
});

describe("DeleteItem", () => {
  it("deletes when the condition holds and returns the old item", async () => {
    await send("PutItem", user("u1", { v: { N: "1" } }));
    const del = (value: string): JsonObject => ({ TableName: "Users", Key: { id: { S: "u1" } }, ConditionExpression: "v = :v", ExpressionAttributeValues: { ":v": { N: value } }, ReturnValues: "ALL_OLD" });
    expect((await failure("DeleteItem", del("2"))).code).toBe("ConditionalCheckFailedException");
    expect(await send("DeleteItem", del("1"))).toEqual({ Attributes: { id: { S: "u1" }, v: { N: "1" } } });
    expect((await failure("DeleteItem", del("1"))).code).toBe("ConditionalCheckFailedException");
    expect(await send("DeleteItem", { TableName: "Users", Key: { id: { S: "u1" } }, ReturnValues: "ALL_OLD" })).toEqual({});
  });
});

describe("Query and Scan", () => {
  beforeEach(async () => {
    for (let i = 1; i <= 7; i++) await send("PutItem", { TableName: "Orders", Item: { pk: { S: "o" }, sk: { N: String(i * 10) }, odd: { BOOL: i % 2 === 1 } } });
    await send("PutItem", { TableName: "Orders", Item: { pk: { S: "other" }, sk: { N: "1" } } });
  });

  const query = (extra: JsonObject = {}): JsonObject => ({ TableName: "Orders", KeyConditionExpression: "pk = :o", ExpressionAttributeValues: { ":o": { S: "o" } }, ...extra });
  const sks = (body: JsonObject): number[] => (body["Items"] as { sk: { N: string } }[]).map((i) => Number(i.sk.N));

  it("pages through a partition with Limit and ExclusiveStartKey, in either direction", async () => {
    const seen: number[] = [];
    let start: JsonObject | undefined;
    let pages = 0;
    do {
      const page = await send("Query", query({ Limit: 3, ScanIndexForward: false, ...(start ? { ExclusiveStartKey: start } : {}) }));
      seen.push(...sks(page));
      start = page["LastEvaluatedKey"] as JsonObject | undefined;
      pages++;
    } while (start);
    expect(seen).toEqual([70, 60, 50, 40, 30, 20, 10]);
    expect(pages).toBe(3);
  });

  it("says LastEvaluatedKey when a page stopped at Limit, even if nothing follows", async () => {
    const page = await send("Query", query({ Limit: 7 }));
    expect(page["LastEvaluatedKey"]).toEqual({ pk: { S: "o" }, sk: { N: "70" } });
    expect(await send("Query", query({ ExclusiveStartKey: page["LastEvaluatedKey"] as JsonObject }))).toEqual({ Items: [], Count: 0, ScannedCount: 0 });
  });

  it("filters after Limit, counts what it read and what matched, and can count only", async () => {
    const page = await send("Query", query({ Limit: 4, FilterExpression: "odd = :t", ExpressionAttributeValues: { ":o": { S: "o" }, ":t": { BOOL: true } } }));
    expect(sks(page)).toEqual([10, 30]);
    expect(page).toMatchObject({ Count: 2, ScannedCount: 4 });
    expect(await send("Query", query({ Select: "COUNT" }))).toEqual({ Count: 7, ScannedCount: 7 });
  });

  it("projects and reads a sort-key range", async () => {
    const page = await send("Query", query({ KeyConditionExpression: "pk = :o AND sk BETWEEN :a AND :b", ProjectionExpression: "sk", ExpressionAttributeValues: { ":o": { S: "o" }, ":a": { N: "20" }, ":b": { N: "40" } } }));
    expect(page["Items"]).toEqual([{ sk: { N: "20" } }, { sk: { N: "30" } }, { sk: { N: "40" } }]);
  });

  it("checks ExclusiveStartKey and Select as DynamoDB does", async () => {
    expect((await failure("Query", query({ ExclusiveStartKey: { pk: { S: "o" } } }))).message).toBe("The provided starting key is invalid");
    expect((await failure("Query", query({ ExclusiveStartKey: { pk: { S: "other" }, sk: { N: "1" } } }))).message).toBe(
      "The provided starting key is outside query boundaries based on provided conditions",
    );
    expect((await failure("Query", query({ Select: "SPECIFIC_ATTRIBUTES" }))).message).toBe(
      "1 validation error detected: Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES",
    );
    expect((await failure("Query", query({ Select: "COUNT", ProjectionExpression: "sk" }))).message).toBe(
      "1 validation error detected: Cannot specify the ProjectionExpression when choosing to get only the Count",
    );
    expect((await failure("Query", query({ Limit: 0 }))).message).toBe("1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1");
    expect((await failure("Query", query({ IndexName: "byDate" }))).message).toBe("The table does not have the specified index: byDate");
  });

  it("scans every item, a page at a time", async () => {
    const seen: JsonObject[] = [];
    let start: JsonObject | undefined;
    do {
      const page = await send("Scan", { TableName: "Orders", Limit: 3, ...(start ? { ExclusiveStartKey: start } : {}) });
      seen.push(...(page["Items"] as JsonObject[]));
      start = page["LastEvaluatedKey"] as JsonObject | undefined;
    } while (start);
    expect(seen).toHaveLength(8);
    expect(new Set(seen.map((i) => JSON.stringify(i))).size).toBe(8);
    expect(await send("Scan", { TableName: "Orders", Select: "COUNT", FilterExpression: "attribute_exists(odd)" })).toEqual({ Count: 7, ScannedCount: 8 });
    expect((await failure("Scan", { TableName: "Orders", ExclusiveStartKey: { pk: { S: "o" } } })).message).toBe(
      "The provided starting key is invalid: The provided key element does not match the schema",
    );
  });

  it("stops a page at 1 MB", async () => {
    const big = "x".repeat(300 * 1024);
    for (let i = 0; i < 5; i++) await send("PutItem", { TableName: "Users", Item: { id: { S: `big${i}` }, data: { S: big } } });
    const page = await send("Scan", { TableName: "Users", Select: "COUNT" });
    expect(page["ScannedCount"]).toBe(4);
    expect(page["LastEvaluatedKey"]).toBeDefined();
  });
});
