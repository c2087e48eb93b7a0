/**
 * DynamoDB Task states through the engine (virtual time): the optimized integration's result
 * shape (with SdkHttpMetadata), the AWS SDK integration's, error names and causes as Step
 * Functions reports them, Catch and Retry on a conditional failure, JSONata Arguments.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createEngine, type Engine, type ExecutionResult } from "../../index.js";
import { AdapterTaskBus } from "../../runtime/bus/adapter-task-bus.js";
import type { ProjectConfig } from "../../runtime/config/project-config.js";
import { parseResource } from "../../translators/dataflow/resource.js";
import type { Json, JsonObject } from "../../translators/json.js";
import type { AdapterFactory } from "../factory.js";
import { createDynamoDbAdapter } from "./index.js";
import { MemoryTableStore } from "./memory-table-store.js";

const CONFIG: ProjectConfig = {
  tables: {
    Orders: { partitionKey: { name: "orderId", type: "S" } },
    Events: { partitionKey: { name: "feed", type: "S" }, sortKey: { name: "seq", type: "N" } },
  },
};

const engines: Engine[] = [];
afterEach(() => {
  for (const e of engines.splice(0)) e.close();
});

function setup(config: ProjectConfig = CONFIG): Engine {
  const adapter = createDynamoDbAdapter(config);
  if (!adapter) throw new Error("no adapter");
  const engine = createEngine({ taskBus: new AdapterTaskBus([adapter]), virtualTime: true });
  engines.push(engine);
  return engine;
}

let counter = 0;
async function run(engine: Engine, definition: object, input: Json = {}): Promise<ExecutionResult> {
  return engine.result(engine.startExecution(engine.createStateMachine(`sm-${++counter}`, definition), input));
}

const task = (resource: string, parameters: object, extra: object = {}): object => ({ Type: "Task", Resource: resource, Parameters: parameters, ...extra });
const single = (state: object): object => ({ StartAt: "S", States: { S: { ...state, End: true } } });
const chain = (...states: [string, object][]): object => ({
  StartAt: (states[0] as [string, object])[0],
  States: Object.fromEntries(states.map(([name, s], i) => [name, { ...s, ...(i + 1 < states.length ? { Next: (states[i + 1] as [string, object])[0] } : { End: true }) }])),
});

const DDB = "arn:aws:states:::dynamodb:";
const SDK = "arn:aws:states:::aws-sdk:dynamodb:";

describe("createDynamoDbAdapter", () => {
  it("is an AdapterFactory, and builds nothing without tables or forwarding", () => {
    const factory: AdapterFactory = createDynamoDbAdapter;
    expect(factory).toBeTypeOf("function");
    expect(createDynamoDbAdapter({})).toBeUndefined();
    expect(createDynamoDbAdapter({}, { tableStore: new MemoryTableStore({}) })).toBeDefined();
    expect(createDynamoDbAdapter({ forward: { dynamodb: { endpoint: "http://127.0.0.1:1" } } })?.name).toBe("dynamodb");
  });

  it("runs the optimized and AWS SDK resources it lists, and no others", () => {
    const adapter = createDynamoDbAdapter(CONFIG);
    const handles = (arn: string): boolean | undefined => adapter?.handles(parseResource(arn));
    for (const arn of adapter?.resources ?? []) expect(handles(arn)).toBe(true);
    expect(adapter?.resources).toContain("arn:aws:states:::aws-sdk:dynamodb:query");
    expect(handles(`${DDB}putItem.waitForTaskToken`)).toBe(true);
    expect(handles(`${DDB}query`)).toBe(false);
    expect(handles(`${SDK}batchWriteItem`)).toBe(false);
    expect(handles(`${DDB}putItem.sync`)).toBe(false);
    expect(handles("arn:aws:states:::sns:publish")).toBe(false);
  });
});

describe("optimized integration (arn:aws:states:::dynamodb:*)", () => {
  it("puts then gets an item; results carry SdkHttpMetadata and SdkResponseMetadata", async () => {
    const engine = setup();
    const r = await run(
      engine,
      chain(
        ["Put", task(`${DDB}putItem`, { TableName: "Orders", Item: { orderId: { "S.$": "$.id" }, total: { "N.$": "States.Format('{}', $.total)" } } }, { ResultPath: "$.put" })],
        ["Get", task(`${DDB}getItem`, { TableName: "Orders", Key: { orderId: { "S.$": "$.id" } } }, { ResultPath: "$.get" })],
      ),
      { id: "o-1", total: 12.5 },
    );
    expect(r.status).toBe("SUCCEEDED");
    const out = r.output as JsonObject;
    const put = out["put"] as JsonObject;
    expect(Object.keys(put)).toEqual(["SdkHttpMetadata", "SdkResponseMetadata"]);
    const meta = put["SdkHttpMetadata"] as JsonObject;
    expect(Object.keys(meta["AllHttpHeaders"] as JsonObject)).toEqual(["Server", "Connection", "x-amzn-RequestId", "x-amz-crc32", "Content-Length", "Date", "Content-Type"]);
    expect(Object.keys(meta["HttpHeaders"] as JsonObject)).toEqual(["Connection", "Content-Length", "Content-Type", "Date", "Server", "x-amz-crc32", "x-amzn-RequestId"]);
    expect(meta).toMatchObject({
      HttpStatusCode: 200,
      AllHttpHeaders: { Server: ["Server"], Connection: ["keep-alive"], "Content-Length": ["2"], "Content-Type": ["application/x-amz-json-1.0"] },
      HttpHeaders: { "Content-Length": "2", "x-amz-crc32": "2745614147" },
    });
    expect((meta["HttpHeaders"] as JsonObject)["x-amzn-RequestId"]).toBe((put["SdkResponseMetadata"] as JsonObject)["RequestId"]);
    const get = out["get"] as JsonObject;
    expect(get["Item"]).toEqual({ orderId: { S: "o-1" }, total: { N: "12.5" } });
    // Content-Length is the length of DynamoDB's JSON body.
    expect((get["SdkHttpMetadata"] as JsonObject)["HttpHeaders"]).toMatchObject({ "Content-Length": String(JSON.stringify({ Item: get["Item"] }).length) });
    const scheduled = r.history.find((e) => e.type === "TaskScheduled") as unknown as { taskScheduledEventDetails: JsonObject };
    expect(scheduled.taskScheduledEventDetails).toMatchObject({ resourceType: "dynamodb", resource: "putItem" });
  });

  it("a failed condition is DynamoDB.ConditionalCheckFailedException, which a Catch handles", async () => {
    const engine = setup();
    const put = (name: string): [string, object] => [
      name,
      task(`${DDB}putItem`, { TableName: "Orders", Item: { orderId: { S: "o-1" } }, ConditionExpression: "attribute_not_exists(orderId)" }, {
        ResultPath: null,
        Catch: [{ ErrorEquals: ["DynamoDB.ConditionalCheckFailedException"], ResultPath: "$.error", Next: "Duplicate" }],
      }),
    ];
    const definition = {
      StartAt: "First",
      States: {
        First: { ...(put("First")[1] as object), Next: "Second" },
        Second: { ...(put("Second")[1] as object), Next: "Done" },
        Done: { Type: "Succeed" },
        Duplicate: { Type: "Pass", End: true },
      },
    };
    const r = await run(engine, definition);
    expect(r.status).toBe("SUCCEEDED");
    const error = (r.output as JsonObject)["error"] as JsonObject;
    expect(error["Error"]).toBe("DynamoDB.ConditionalCheckFailedException");
    expect(error["Cause"]).toMatch(
      /^The conditional request failed \(Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ConditionalCheckFailedException; Request ID: [A-Z0-9]{52}; Proxy: null\)$/,
    );
    expect(r.history.map((e) => e.type)).toContain("TaskFailed");
  });

  it("retries a conditional failure on virtual time, then succeeds once a parallel branch changed the item", async () => {
    const engine = setup();
    const increment = task(`${DDB}updateItem`, {
      TableName: "Orders",
      Key: { orderId: { S: "o-1" } },
      UpdateExpression: "SET #s = :paid",
      ConditionExpression: "#s = :new",
      ExpressionAttributeNames: { "#s": "status" },
      ExpressionAttributeValues: { ":new": { S: "NEW" }, ":paid": { S: "PAID" } },
      ReturnValues: "ALL_NEW",
    }, { Retry: [{ ErrorEquals: ["DynamoDB.ConditionalCheckFailedException"], IntervalSeconds: 3600, MaxAttempts: 3 }] });
    const r = await run(engine, {
      StartAt: "Both",
      States: {
        Both: {
          Type: "Parallel",
          End: true,
          Branches: [
            single(increment),
            { StartAt: "Wait", States: { Wait: { Type: "Wait", Seconds: 1800, Next: "Create" }, Create: { ...(task(`${DDB}putItem`, { TableName: "Orders", Item: { orderId: { S: "o-1" }, status: { S: "NEW" } } }) as object), End: true } } },
          ],
        },
      },
    });
    expect(r.status).toBe("SUCCEEDED");
    const [updated] = r.output as JsonObject[];
    expect((updated as JsonObject)["Attributes"]).toEqual({ orderId: { S: "o-1" }, status: { S: "PAID" } });
  });

  it("a validation error is DynamoDB.AmazonDynamoDBException with DynamoDB's message", async () => {
    const engine = setup();
    const r = await run(engine, single(task(`${DDB}updateItem`, { TableName: "Orders", Key: { orderId: { S: "o" } }, UpdateExpression: "SET a = :v :w", ExpressionAttributeValues: { ":v": { S: "v" }, ":w": { S: "w" } } })));
    expect(r.status).toBe("FAILED");
    expect(r.error).toBe("DynamoDB.AmazonDynamoDBException");
    expect(r.cause).toMatch(/^Invalid UpdateExpression: Syntax error; token: ":w", near: ":v :w" \(Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ValidationException; Request ID: \w+; Proxy: null\)$/);
  });

  it("an unknown table is DynamoDB.ResourceNotFoundException", async () => {
    const engine = setup();
    const r = await run(engine, single(task(`${DDB}deleteItem`, { TableName: "Nope", Key: { id: { S: "1" } } })));
    expect(r.error).toBe("DynamoDB.ResourceNotFoundException");
    expect(r.cause).toMatch(/^Requested resource not found \(Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ResourceNotFoundException; Request ID: \w+; Proxy: null\)$/);
  });
});

describe("AWS SDK integration (arn:aws:states:::aws-sdk:dynamodb:*)", () => {
  it("answers with the API's response alone, and queries a partition", async () => {
    const engine = setup();
    const events = [1, 2, 3].map((seq): [string, object] => [`Put${seq}`, task(`${SDK}putItem`, { TableName: "Events", Item: { feed: { S: "s" }, seq: { N: String(seq) } } }, { ResultPath: null })]);
    const r = await run(
      engine,
      chain(
        ...events,
        ["Query", task(`${SDK}query`, { TableName: "Events", KeyConditionExpression: "feed = :s AND seq >= :two", ExpressionAttributeValues: { ":s": { S: "s" }, ":two": { N: "2" } }, ScanIndexForward: false })],
      ),
    );
    expect(r.status).toBe("SUCCEEDED");
    expect(r.output).toEqual({ Items: [{ feed: { S: "s" }, seq: { N: "3" } }, { feed: { S: "s" }, seq: { N: "2" } }], Count: 2, ScannedCount: 2 });
    const scheduled = r.history.find((e) => e.type === "TaskScheduled") as unknown as { taskScheduledEventDetails: JsonObject };
    expect(scheduled.taskScheduledEventDetails).toMatchObject({ resourceType: "aws-sdk:dynamodb", resource: "putItem" });
  });

  it("names errors DynamoDb.<Exception> with the SDK's cause, as recorded on AWS", async () => {
    const engine = setup();
    // The recorded AWS case: putItem on a table that does not exist.
    const missing = await run(engine, single({ Type: "Task", Resource: `${SDK}putItem`, Parameters: { "TableName.$": "$.TableName", "Item.$": "$.Item" } }), {
      TableName: "no-such-table",
      Item: { data: { S: "HelloWorld" }, id: { S: "id1" } },
    });
    expect(missing.error).toBe("DynamoDb.ResourceNotFoundException");
    expect(missing.cause).toMatch(/^Requested resource not found \(Service: DynamoDb, Status Code: 400, Request ID: [A-Z0-9]{52}\)$/);
    const invalid = await run(engine, single(task(`${SDK}getItem`, { TableName: "Orders", Key: { wrong: { S: "1" } } })));
    expect(invalid.error).toBe("DynamoDb.DynamoDbException");
    expect(invalid.cause).toMatch(/^The provided key element does not match the schema \(Service: DynamoDb, Status Code: 400, Request ID: \w+\)$/);
  });

  it("takes JSONata Arguments", async () => {
    const engine = setup();
    const r = await run(engine, {
      QueryLanguage: "JSONata",
      StartAt: "Put",
      States: {
        Put: { Type: "Task", Resource: `${SDK}putItem`, Arguments: { TableName: "Orders", Item: { orderId: { S: "{% $states.input.id %}" }, n: { N: "{% $string($states.input.n * 2) %}" } } }, Next: "Scan" },
        Scan: { Type: "Task", Resource: `${SDK}scan`, Arguments: { TableName: "Orders", Select: "COUNT" }, Output: "{% $states.result.Count %}", End: true },
      },
    }, { id: "x", n: 21 });
    expect(r.status).toBe("SUCCEEDED");
    expect(r.output).toBe(1);
  });

  it("with .waitForTaskToken, writes, then waits for the token", async () => {
    const engine = setup();
    const run1 = engine.startExecution(
      engine.createStateMachine("wait-token", single(task(`${DDB}putItem.waitForTaskToken`, { TableName: "Orders", Item: { orderId: { S: "o-9" }, "token": { "S.$": "$$.Task.Token" } } }))),
      {},
    );
    const store = await waitFor(async () => {
      const scan = await run(engine, single(task(`${SDK}getItem`, { TableName: "Orders", Key: { orderId: { S: "o-9" } } })));
      return ((scan.output as JsonObject)["Item"] as JsonObject | undefined)?.["token"] as JsonObject | undefined;
    });
    engine.sendTaskSuccess(store["S"] as string, { shipped: true });
    const r = await engine.result(run1);
    expect(r.status).toBe("SUCCEEDED");
    expect(r.output).toEqual({ shipped: true });
  });
});

async function waitFor<T>(probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error("timed out");
}
