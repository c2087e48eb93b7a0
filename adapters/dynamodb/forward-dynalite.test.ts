/**
 * Forwarding through `@aws-sdk/client-dynamodb`, against dynalite (a faithful DynamoDB
 * emulator) on a random loopback port: one scenario runs on the local tables and on the
 * forwarded endpoint, and every answer must match (bodies, error codes and messages); a
 * state machine runs the same on both; and one runs through `aslan serve` with the SDK.
 */
import { CreateStateMachineCommand, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEngine } from "../../index.js";
import { AdapterTaskBus } from "../../runtime/bus/adapter-task-bus.js";
import { ROLE_ARN, settled, startTestApi } from "../../test/api/helpers.js";
import { outcome, startDynalite, type Dynalite, type Outcome } from "../../test/support/dynalite.js";
import type { Json, JsonObject } from "../../translators/json.js";
import type { DynamoDbAction } from "./dynamodb-backend.js";
import { ForwardDynamoDb } from "./forward-dynamodb.js";
import { createDynamoDbAdapter } from "./index.js";
import { LocalDynamoDb } from "./local-dynamodb.js";
import { MemoryTableStore } from "./memory-table-store.js";
import type { TableSchema } from "./table-store.js";


interface Step {
  readonly action: DynamoDbAction;
  readonly request: JsonObject;
  /** Compares the two answers when they need not be identical (scan order, syntax messages). */
  readonly compare?: (local: Outcome, remote: Outcome) => boolean;
}

/** JSON with object keys sorted (attribute order is not part of DynamoDB's answer). */
const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) =>
    typeof x === "object" && x !== null && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1))) : x,
  );

/** Same answer, Items in any order (scan order is the store's). */
const unordered = (a: Outcome, b: Outcome): boolean => {
  const norm = (o: Outcome): string => {
    if (!("ok" in o)) return canonical(o);
    const items = o.ok["Items"];
    return canonical({ ...o.ok, ...(Array.isArray(items) ? { Items: items.map(canonical).sort() } : {}) });
  };
  return norm(a) === norm(b);
};

/** Same error code: dynalite words syntax errors as its own parser does, not as DynamoDB. */
const sameCode = (a: Outcome, b: Outcome): boolean => "error" in a && "error" in b && a.error === b.error;

/** Where dynalite is known to differ from DynamoDB: only the local answer is checked. */
const localRejects = (a: Outcome): boolean => "error" in a && a.error === "ValidationException";

const TABLES: Record<string, TableSchema> = {
  Users: { partitionKey: { name: "id", type: "S" } },
  Orders: { partitionKey: { name: "pk", type: "S" }, sortKey: { name: "sk", type: "N" } },
  Blobs: { partitionKey: { name: "shelf", type: "S" }, sortKey: { name: "chunk", type: "B" } },
};

const b64 = (s: string): string => Buffer.from(s).toString("base64");
const users = (request: JsonObject): JsonObject => ({ TableName: "Users", ...request });
const user = (id: string): JsonObject => ({ id: { S: id } });

const SCENARIO: Step[] = [
  // Items of every type; numbers come back normalized.
  { action: "PutItem", request: users({ Item: {
    id: { S: "u1" }, name: { S: "Ada" }, age: { N: "036.50" }, big: { N: "1E+3" }, photo: { B: b64("png") }, active: { BOOL: true }, nothing: { NULL: true },
    profile: { M: { city: { S: "Paris" }, langs: { L: [{ S: "fr" }, { S: "en" }] } } }, tags: { L: [{ S: "a" }, { N: "2" }, { S: "c" }] },
    colors: { SS: ["red", "blue"] }, lucky: { NS: ["7", "13.0"] }, blobs: { BS: [b64("x"), b64("y")] },
  } }) },
  { action: "GetItem", request: users({ Key: user("u1") }) },
  { action: "GetItem", request: users({ Key: user("u1"), ProjectionExpression: "#n, profile.langs[1], tags[2], tags[0], nope", ExpressionAttributeNames: { "#n": "name" } }) },
  { action: "GetItem", request: users({ Key: user("nobody") }) },
  // Conditional writes.
  { action: "PutItem", request: users({ Item: user("u1"), ConditionExpression: "attribute_not_exists(id)" }) },
  { action: "PutItem", request: users({ Item: { ...user("u2"), age: { N: "20" }, colors: { SS: ["green"] } }, ConditionExpression: "attribute_not_exists(id)" }) },
  { action: "PutItem", request: users({ Item: { ...user("u3"), age: { N: "9" }, note: { S: "hello world" } } }) },
  { action: "PutItem", request: users({ Item: { ...user("u3"), age: { N: "10" }, note: { S: "hello world" } }, ReturnValues: "ALL_OLD" }) },
  { action: "PutItem", request: users({ Item: user("u4"), ReturnValues: "ALL_NEW" }) },
  { action: "PutItem", request: users({ Item: user("u3"), ConditionExpression: "age > :n AND begins_with(note, :h)", ExpressionAttributeValues: { ":n": { N: "9" }, ":h": { S: "hell" } }, ReturnValues: "ALL_OLD" }) },
  { action: "PutItem", request: users({ Item: { ...user("u3"), age: { N: "10" } } }) },
  // Updates: arithmetic, if_not_exists, list_append, list REMOVEs, ADD and DELETE on sets.
  { action: "UpdateItem", request: users({
    Key: user("u1"),
    UpdateExpression: "SET age = age + :one, visits = if_not_exists(visits, :zero) + :one, tags = list_append(tags, :more), profile.city = :city ADD lucky :lucky, score :one DELETE colors :red",
    ExpressionAttributeValues: { ":one": { N: "1" }, ":zero": { N: "0" }, ":more": { L: [{ S: "d" }] }, ":city": { S: "Lyon" }, ":lucky": { NS: ["21"] }, ":red": { SS: ["red"] } },
    ReturnValues: "ALL_NEW",
  }) },
  { action: "UpdateItem", request: users({ Key: user("u1"), UpdateExpression: "REMOVE tags[0], tags[2], nothing", ReturnValues: "UPDATED_OLD" }) },
  { action: "UpdateItem", request: users({ Key: user("u1"), UpdateExpression: "SET tags[1] = :x, tags[9] = :y, tags[7] = :z", ExpressionAttributeValues: { ":x": { S: "x" }, ":y": { S: "y" }, ":z": { S: "z" } }, ReturnValues: "ALL_NEW" }) },
  { action: "UpdateItem", request: users({ Key: user("u1"), UpdateExpression: "SET age = age - :d", ExpressionAttributeValues: { ":d": { N: "0.25" } }, ReturnValues: "UPDATED_OLD" }) },
  { action: "UpdateItem", request: users({ Key: user("u1"), UpdateExpression: "SET age = age - :d", ExpressionAttributeValues: { ":d": { N: "0.25" } }, ReturnValues: "UPDATED_NEW" }) },
  { action: "UpdateItem", request: users({ Key: user("u1"), UpdateExpression: "DELETE colors :blue", ExpressionAttributeValues: { ":blue": { SS: ["blue"] } }, ReturnValues: "ALL_NEW" }) },
  { action: "UpdateItem", request: users({ Key: user("u5"), UpdateExpression: "SET #c = :c", ExpressionAttributeNames: { "#c": "count" }, ExpressionAttributeValues: { ":c": { N: "5" } }, ReturnValues: "ALL_OLD" }) },
  { action: "GetItem", request: users({ Key: user("u5") }) },
  { action: "UpdateItem", request: users({ Key: user("u5"), UpdateExpression: "SET x = nope + :one", ExpressionAttributeValues: { ":one": { N: "1" } } }) },
  { action: "UpdateItem", request: users({ Key: user("u3"), UpdateExpression: "ADD note :one", ExpressionAttributeValues: { ":one": { N: "1" } } }) },
  { action: "UpdateItem", request: users({ Key: user("u3"), UpdateExpression: "SET a.b = :one", ExpressionAttributeValues: { ":one": { N: "1" } } }) },
  { action: "UpdateItem", request: users({ Key: user("u3"), UpdateExpression: "SET id = :v", ExpressionAttributeValues: { ":v": { S: "x" } } }) },
  { action: "UpdateItem", request: users({ Key: user("u3"), UpdateExpression: "SET age = :v", ConditionExpression: "age < :v", ExpressionAttributeValues: { ":v": { N: "5" } } }) },
  // Conditions, through a scan filter over the users.
  ...[
    ["age BETWEEN :lo AND :hi", { ":lo": { N: "10" }, ":hi": { N: "36.3" } }],
    ["age IN (:a, :b)", { ":a": { N: "20" }, ":b": { N: "10" } }],
    ["NOT (age >= :a) OR attribute_exists(note)", { ":a": { N: "20" } }],
    ["contains(colors, :g) OR contains(tags, :d) OR contains(note, :w)", { ":g": { S: "green" }, ":d": { S: "d" }, ":w": { S: "wor" } }],
    ["size(tags) > :n OR size(note) = :n", { ":n": { N: "2" } }],
    ["attribute_type(age, :t) AND age <> :x", { ":t": { S: "N" }, ":x": { N: "20" } }],
    ["profile.city = :c AND tags[0] = :two", { ":c": { S: "Lyon" }, ":two": { N: "2" } }],
    ["profile.city = :c AND tags[0] = :x", { ":c": { S: "Lyon" }, ":x": { S: "x" } }],
    ["age < :s", { ":s": { S: "x" } }],
  ].map(([filter, values]): Step => ({ action: "Scan", request: users({ FilterExpression: filter as string, ExpressionAttributeValues: values as JsonObject }), compare: unordered })),
  { action: "Scan", request: users({ Select: "COUNT", FilterExpression: "attribute_not_exists(note)" }) },
  { action: "Scan", request: users({ ProjectionExpression: "id, age" }), compare: unordered },
  // Deletes.
  { action: "DeleteItem", request: users({ Key: user("u2"), ConditionExpression: "age = :a", ExpressionAttributeValues: { ":a": { N: "21" } } }) },
  { action: "DeleteItem", request: users({ Key: user("u2"), ReturnValues: "ALL_OLD" }) },
  { action: "DeleteItem", request: users({ Key: user("u2"), ReturnValues: "ALL_OLD" }) },
  // Validation.
  { action: "GetItem", request: { Key: user("u1") } },
  { action: "GetItem", request: { TableName: "a/b", Key: user("u1") } },
  { action: "GetItem", request: { TableName: "Nope", Key: user("u1") } },
  { action: "GetItem", request: { TableName: "x" } },
  { action: "PutItem", request: { TableName: "x", ReturnValues: "BAD", ReturnConsumedCapacity: "ALL" } },
  { action: "UpdateItem", request: { TableName: "Users", ReturnValues: "BAD" } },
  // DynamoDB's DeleteItem knows only NONE and ALL_OLD; dynalite takes anything.
  { action: "DeleteItem", request: { TableName: "Users", Key: user("nobody"), ReturnValues: "ALL_NEW" }, compare: localRejects },
  { action: "Query", request: { TableName: "x", Limit: 0, Select: "NOPE", IndexName: "i" } },
  { action: "Scan", request: { TableName: "Users", Limit: 0, Select: "NOPE" } },
  { action: "Scan", request: users({ ExclusiveStartKey: { id: { N: "1" } } }) },
  { action: "Scan", request: users({ ExclusiveStartKey: { id: { S: "u1" }, x: { S: "1" } } }) },
  { action: "GetItem", request: users({ Key: user("u1"), ProjectionExpression: "id.x" }) },
  { action: "GetItem", request: users({ Key: user("u1"), AttributesToGet: ["age", "id"] }) },
  { action: "PutItem", request: users({ Item: user("x"), ExpressionAttributeNames: { "#a": "a" } }) },
  { action: "PutItem", request: users({ Item: user("x"), ConditionExpression: "a = :a", ExpressionAttributeValues: { ":a": { S: "x", N: "1" } } }) },
  { action: "PutItem", request: users({ Item: user("x"), ConditionExpression: "attribute_type(a, :t)", ExpressionAttributeValues: { ":t": { S: "X" } } }) },
  { action: "GetItem", request: users({ Key: { id: { N: "1" } } }) },
  { action: "GetItem", request: users({ Key: { id: { S: "" } } }) },
  { action: "PutItem", request: users({ Item: { name: { S: "x" } } }) },
  { action: "PutItem", request: users({ Item: { id: { N: "1" } } }) },
  { action: "PutItem", request: users({ Item: { id: { S: "x" }, n: { N: "abc" } } }) },
  { action: "PutItem", request: users({ Item: { id: { S: "x" }, s: { SS: [] } } }) },
  { action: "PutItem", request: users({ Item: user("x"), ConditionExpression: "a = :a", ExpressionAttributeValues: { ":a": { S: "x" }, ":b": { S: "y" } } }) },
  { action: "PutItem", request: users({ Item: user("x"), ConditionExpression: "a = :a", ExpressionAttributeNames: { "#a": "a" }, ExpressionAttributeValues: { ":a": { S: "x" } } }) },
  { action: "PutItem", request: users({ Item: user("x"), ConditionExpression: "#a = :a", ExpressionAttributeValues: { ":a": { S: "x" } } }) },
  { action: "PutItem", request: users({ Item: user("x"), ConditionExpression: "size = :a", ExpressionAttributeValues: { ":a": { S: "x" } } }) },
  { action: "PutItem", request: users({ Item: user("x"), ConditionExpression: "((a = :a))", ExpressionAttributeValues: { ":a": { S: "x" } } }) },
  { action: "PutItem", request: users({ Item: user("x"), ConditionExpression: "foo(a)" }) },
  { action: "PutItem", request: users({ Item: user("x"), ConditionExpression: "begins_with(a)" }) },
  { action: "PutItem", request: users({ Item: user("x"), ConditionExpression: "a BETWEEN :b AND :a", ExpressionAttributeValues: { ":a": { N: "1" }, ":b": { N: "2" } } }) },
  { action: "PutItem", request: users({ Item: user("x"), ConditionExpression: "a = a" }) },
  { action: "PutItem", request: users({ Item: user("x"), ConditionExpression: "contains(a, :a) = :a", ExpressionAttributeValues: { ":a": { S: "x" } } }) },
  { action: "PutItem", request: users({ Item: user("x"), ConditionExpression: "a = = :a", ExpressionAttributeValues: { ":a": { S: "x" } } }), compare: sameCode },
  { action: "PutItem", request: users({ Item: user("x"), ConditionExpression: "" }) },
  { action: "PutItem", request: users({ Item: user("x"), ReturnValues: "UPDATED_NEW" }) },
  { action: "UpdateItem", request: users({ Key: user("x"), UpdateExpression: "SET a = :a SET b = :a", ExpressionAttributeValues: { ":a": { S: "x" } } }) },
  { action: "UpdateItem", request: users({ Key: user("x"), UpdateExpression: "SET a = :a REMOVE a.b", ExpressionAttributeValues: { ":a": { S: "x" } } }) },
  { action: "UpdateItem", request: users({ Key: user("x"), UpdateExpression: "SET a.b = :a REMOVE a[0]", ExpressionAttributeValues: { ":a": { S: "x" } } }) },
  { action: "UpdateItem", request: users({ Key: user("x"), UpdateExpression: "ADD a :a", ExpressionAttributeValues: { ":a": { S: "x" } } }) },
  { action: "UpdateItem", request: users({ Key: user("x"), UpdateExpression: "SET a = list_append(:a, b)", ExpressionAttributeValues: { ":a": { S: "x" } } }) },
  { action: "UpdateItem", request: users({ Key: user("x"), UpdateExpression: "SET a = :a +", ExpressionAttributeValues: { ":a": { N: "1" } } }), compare: sameCode },
  { action: "UpdateItem", request: users({ Key: user("x"), UpdateExpression: "SET a = :a", ConditionExpression: "b = :b", ExpressionAttributeValues: { ":a": { N: "1" } } }) },
];

const orders = (request: JsonObject): JsonObject => ({ TableName: "Orders", ...request });
const keyCond = (expr: string, values: JsonObject, extra: JsonObject = {}): Step => ({
  action: "Query",
  request: orders({ KeyConditionExpression: expr, ExpressionAttributeValues: { ":p": { S: "o1" }, ...values }, ...extra }),
});

SCENARIO.push(
  ...Array.from({ length: 12 }, (_, i): Step => ({ action: "PutItem", request: orders({ Item: { pk: { S: i < 10 ? "o1" : "o2" }, sk: { N: String(i * 1.5) }, qty: { N: String(i % 3) } } }) })),
  keyCond("pk = :p", {}),
  keyCond("pk = :p AND sk BETWEEN :a AND :b", { ":a": { N: "3" }, ":b": { N: "9" } }),
  keyCond("pk = :p AND sk < :a", { ":a": { N: "4.5" } }),
  keyCond(":a <= sk AND pk = :p", { ":a": { N: "12" } }),
  keyCond("pk = :p", {}, { ScanIndexForward: false, Limit: 3 }),
  keyCond("pk = :p", {}, { ScanIndexForward: false, Limit: 3, ExclusiveStartKey: { pk: { S: "o1" }, sk: { N: "10.5" } } }),
  keyCond("pk = :p", {}, { Limit: 4, ExclusiveStartKey: { pk: { S: "o1" }, sk: { N: "7.5" } } }),
  keyCond("pk = :p", {}, { Limit: 10 }),
  keyCond("pk = :p", { ":q": { N: "0" } }, { FilterExpression: "qty = :q" }),
  keyCond("pk = :p", { ":q": { N: "0" } }, { FilterExpression: "qty = :q", Select: "COUNT", Limit: 5 }),
  keyCond("pk = :p", {}, { ProjectionExpression: "sk" }),
  keyCond("pk = :p", { ":q": { N: "0" } }, { FilterExpression: "sk = :q" }),
  keyCond("pk = :p OR sk = :a", { ":a": { N: "1" } }),
  keyCond("sk = :a", { ":a": { N: "1" }, ":p": { S: "unused" } }),
  keyCond("pk = :p AND begins_with(sk, :a)", { ":a": { N: "1" } }),
  keyCond("pk = :p AND sk = :a", { ":a": { S: "1" } }),
  keyCond("pk = :p AND qty = :a", { ":a": { N: "1" } }),
  keyCond("pk > :p", {}),
  // DynamoDB rejects a projection with Select ALL_ATTRIBUTES; dynalite does not.
  { ...keyCond("pk = :p", {}, { ProjectionExpression: "qty", Select: "ALL_ATTRIBUTES" }), compare: localRejects },
  { action: "Query", request: orders({}) },
  { action: "Scan", request: orders({ FilterExpression: "qty > :z", ExpressionAttributeValues: { ":z": { N: "0" } } }), compare: unordered },
  ...["a", "ab", "abc", "b"].map((name): Step => ({ action: "PutItem", request: { TableName: "Blobs", Item: { shelf: { S: "x" }, chunk: { B: b64(name) } } } })),
  { action: "Query", request: { TableName: "Blobs", KeyConditionExpression: "shelf = :x AND begins_with(chunk, :a)", ExpressionAttributeValues: { ":x": { S: "x" }, ":a": { B: b64("a") } } } },
  { action: "Query", request: { TableName: "Blobs", KeyConditionExpression: "shelf = :x AND chunk > :a", ExpressionAttributeValues: { ":x": { S: "x" }, ":a": { B: b64("ab") } } } },
);

let server: Dynalite;
let endpoint: string;

beforeAll(async () => {
  server = await startDynalite(TABLES);
  endpoint = server.endpoint;
});

afterAll(() => server.close());

describe("forwarding to dynalite", () => {
  it("answers the scenario as the local tables do", async () => {
    const local = new LocalDynamoDb(new MemoryTableStore(TABLES));
    const forward = new ForwardDynamoDb({ endpoint, region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "x" } });
    const diffs: string[] = [];
    const seen = { ok: 0, error: 0 };
    for (const [i, step] of SCENARIO.entries()) {
      const [a, b] = [await outcome(local, step.action, step.request), await outcome(forward, step.action, step.request)];
      const same = step.compare ? step.compare(a, b) : JSON.stringify(a) === JSON.stringify(b);
      seen["ok" in b ? "ok" : "error"]++;
      if (!same) diffs.push(`#${i} ${step.action} ${JSON.stringify(step.request)}\n  local:   ${JSON.stringify(a)}\n  dynalite: ${JSON.stringify(b)}`);
    }
    await forward.close();
    expect(diffs.join("\n")).toBe("");
    // The scenario exercises both paths (and dynalite really answered).
    expect(seen.ok).toBeGreaterThan(50);
    expect(seen.error).toBeGreaterThan(30);
  });
});

/** A state machine that writes, reads back, fails a condition and catches it. */
const ORDER_FLOW = {
  StartAt: "Put",
  States: {
    Put: { Type: "Task", Resource: "arn:aws:states:::dynamodb:putItem", Parameters: { TableName: "Users", Item: { id: { "S.$": "$.id" }, n: { N: "1" } } }, ResultPath: null, Next: "Bump" },
    Bump: {
      Type: "Task", Resource: "arn:aws:states:::aws-sdk:dynamodb:updateItem",
      Parameters: { TableName: "Users", Key: { id: { "S.$": "$.id" } }, UpdateExpression: "ADD n :one", ExpressionAttributeValues: { ":one": { N: "41" } }, ReturnValues: "UPDATED_NEW" },
      ResultSelector: { "n.$": "$.Attributes.n.N" }, ResultPath: "$.bumped", Next: "Again",
    },
    Again: {
      Type: "Task", Resource: "arn:aws:states:::dynamodb:putItem",
      Parameters: { TableName: "Users", Item: { id: { "S.$": "$.id" } }, ConditionExpression: "attribute_not_exists(id)" },
      Catch: [{ ErrorEquals: ["DynamoDB.ConditionalCheckFailedException"], ResultPath: "$.duplicate", Next: "Get" }], Next: "Get",
    },
    Get: { Type: "Task", Resource: "arn:aws:states:::dynamodb:getItem", Parameters: { TableName: "Users", Key: { id: { "S.$": "$.id" } } }, ResultSelector: { "item.$": "$.Item" }, ResultPath: "$.got", End: true },
  },
};

/** Request ids differ from one run to the next. */
const withoutRequestIds = (v: Json): Json => JSON.parse(JSON.stringify(v).replace(/Request ID: [^;)]*/g, "Request ID: <id>")) as Json;

describe("a state machine on forwarded tables", () => {
  it("runs as on the local tables (results, caught errors, SDK metadata from the real response)", async () => {
    const outputs: Json[] = [];
    for (const config of [{ tables: TABLES }, { forward: { dynamodb: { endpoint, region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "x" } } } }]) {
      const adapter = createDynamoDbAdapter(config);
      const engine = createEngine({ taskBus: new AdapterTaskBus(adapter ? [adapter] : []), virtualTime: true });
      const sm = engine.createStateMachine("order-flow", ORDER_FLOW);
      const r = await engine.result(engine.startExecution(sm, { id: "flow-1" }));
      engine.close();
      await adapter?.close?.();
      expect(r.status).toBe("SUCCEEDED");
      outputs.push(withoutRequestIds(r.output as Json));
    }
    const [local, forwarded] = outputs as [JsonObject, JsonObject];
    expect(forwarded).toEqual(local);
    expect(forwarded).toMatchObject({ bumped: { n: "42" }, got: { item: { id: { S: "flow-1" }, n: { N: "42" } } }, duplicate: { Error: "DynamoDB.ConditionalCheckFailedException" } });
    expect((forwarded["duplicate"] as JsonObject)["Cause"]).toMatch(/^The conditional request failed \(Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ConditionalCheckFailedException; Request ID: <id>; Proxy: null\)$/);
  });

  it("reports the forwarded endpoint's own response headers", async () => {
    const adapter = createDynamoDbAdapter({ forward: { dynamodb: { endpoint, region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "x" } } } });
    const engine = createEngine({ taskBus: new AdapterTaskBus(adapter ? [adapter] : []), virtualTime: true });
    const sm = engine.createStateMachine("get", { StartAt: "Get", States: { Get: { Type: "Task", Resource: "arn:aws:states:::dynamodb:getItem", Parameters: { TableName: "Users", Key: { id: { S: "none" } } }, End: true } } });
    const r = await engine.result(engine.startExecution(sm, {}));
    engine.close();
    await adapter?.close?.();
    const out = r.output as JsonObject;
    const headers = (out["SdkHttpMetadata"] as JsonObject)["HttpHeaders"] as JsonObject;
    expect(headers["x-amzn-RequestId"]).toBe((out["SdkResponseMetadata"] as JsonObject)["RequestId"]);
    expect(headers["x-amz-crc32"]).toBe("2745614147");
    expect(headers["Content-Length"]).toBe("2");
  });
});

describe("through aslan serve", () => {
  it("runs a DynamoDB state machine started with the AWS SDK", async () => {
    const api = await startTestApi({ adapters: () => [createDynamoDbAdapter({ tables: TABLES }) as NonNullable<ReturnType<typeof createDynamoDbAdapter>>] });
    try {
      const { stateMachineArn } = await api.sfn.send(new CreateStateMachineCommand({ name: "order-flow", roleArn: ROLE_ARN, definition: JSON.stringify(ORDER_FLOW) }));
      const { executionArn } = await api.sfn.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify({ id: "api-1" }) }));
      const done = await settled(api.sfn, executionArn as string);
      expect(done.status).toBe("SUCCEEDED");
      expect(JSON.parse(done.output ?? "{}")).toMatchObject({ got: { item: { id: { S: "api-1" }, n: { N: "42" } } }, duplicate: { Error: "DynamoDB.ConditionalCheckFailedException" } });
    } finally {
      await api.close();
    }
  });
});
