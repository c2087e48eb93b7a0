/**
 * `arn:aws:states:::sns:publish[.waitForTaskToken]` through the engine: the result as AWS
 * records it, fan-out to a queue (notification document or raw), a function (the SNS event)
 * and an HTTP endpoint, delivery failures that do not fail the Publish, errors, FIFO topics.
 */
import { describe, it, expect, afterEach } from "vitest";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { pino } from "pino";
import { createEngine, type Engine, type ExecutionResult } from "../../index.js";
import { AdapterTaskBus } from "../../runtime/bus/adapter-task-bus.js";
import type { TopicConfig } from "../../runtime/config/project-config.js";
import type { Json, JsonObject } from "../../translators/json.js";
import { MemoryQueueStore } from "../sqs/memory-queue-store.js";
import { SqsAdapter } from "../sqs/sqs-adapter.js";
import { SnsAdapter, type SnsAdapterOptions } from "./sns-adapter.js";
import { createSnsAdapter } from "./index.js";

const TOPIC = "arn:aws:sns:us-east-1:123456789012:orders";

interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

/** An HTTP endpoint on a random loopback port that records what it is sent. */
async function endpoint(status = 200): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanup.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/sns`, received };
}

function setup(topics: Record<string, TopicConfig>, options: Partial<SnsAdapterOptions> = {}): { engine: Engine; sns: SnsAdapter; queues: MemoryQueueStore; events: { name: string; event: JsonObject }[]; logs: JsonObject[] } {
  const queues = new MemoryQueueStore({ queues: { inbox: {}, raw: {}, "inbox.fifo": {} } });
  const events: { name: string; event: JsonObject }[] = [];
  const logs: JsonObject[] = [];
  const log = pino({ level: "warn" }, new Writable({ write: (chunk: Buffer, _e, done) => { logs.push(JSON.parse(chunk.toString()) as JsonObject); done(); } }));
  const sns = new SnsAdapter({
    topics, queues, log, httpTimeoutMs: 2000,
    invokeFunction: (name, event) => {
      events.push({ name, event });
      return Promise.resolve(null);
    },
    ...options,
  });
  const engine = createEngine({ taskBus: new AdapterTaskBus([sns, new SqsAdapter({ queues })]), virtualTime: true });
  cleanup.push(() => engine.close());
  return { engine, sns, queues, events, logs };
}

const publish = (parameters: object, extra: object = {}): object => ({
  StartAt: "Publish",
  States: { Publish: { Type: "Task", Resource: "arn:aws:states:::sns:publish", Parameters: parameters, ...extra, End: true } },
});

async function run(engine: Engine, definition: object, input: Json = {}): Promise<ExecutionResult> {
  return engine.result(engine.startExecution(engine.createStateMachine(`sm-${Math.random().toString(36).slice(2)}`, definition), input));
}

describe("sns:publish", () => {
  it("answers as AWS does: MessageId and the SDK metadata of SNS's XML response", async () => {
    const { engine } = setup({ orders: {} });
    const r = await run(engine, publish({ TopicArn: TOPIC, Message: { Message: "HelloWorld!" } }));
    expect(r.status).toBe("SUCCEEDED");
    const out = r.output as JsonObject;
    expect(Object.keys(out)).toEqual(["MessageId", "SdkHttpMetadata", "SdkResponseMetadata"]);
    const meta = out["SdkHttpMetadata"] as JsonObject;
    // PublishResponse with a 36-character MessageId and RequestId is 294 bytes, as AWS recorded.
    expect(meta).toMatchObject({ HttpStatusCode: 200, HttpHeaders: { "Content-Length": "294", "Content-Type": "text/xml" } });
    expect(meta["HttpHeaders"]).not.toHaveProperty("connection");
    expect((meta["HttpHeaders"] as JsonObject)["x-amzn-RequestId"]).toBe((out["SdkResponseMetadata"] as JsonObject)["RequestId"]);
    const scheduled = r.history.find((e) => e.type === "TaskScheduled") as unknown as { taskScheduledEventDetails: JsonObject };
    expect(scheduled.taskScheduledEventDetails).toMatchObject({ resourceType: "sns", resource: "publish" });
  });

  it("fans out to a queue (notification document), a raw queue, a function and an HTTP endpoint", async () => {
    const http = await endpoint();
    const topics: Record<string, TopicConfig> = {
      orders: {
        subscriptions: [
          { protocol: "sqs", endpoint: "inbox" },
          { protocol: "sqs", endpoint: "arn:aws:sqs:us-east-1:123456789012:raw", rawMessageDelivery: true },
          { protocol: "lambda", endpoint: "arn:aws:lambda:us-east-1:123456789012:function:notify" },
          { protocol: "http", endpoint: http.url },
        ],
      },
    };
    const { engine, sns, queues, events } = setup(topics);
    const params = { TopicArn: TOPIC, "Message.$": "$.order", Subject: "New order", MessageAttributes: { kind: { DataType: "String", StringValue: "order" } } };
    const r = await run(engine, publish(params), { order: { id: 42 } });
    await sns.deliveriesSettled();
    const messageId = (r.output as JsonObject)["MessageId"];

    const [m] = await queues.receiveMessages("inbox");
    expect(m?.Body).toMatch(/^\{\n {2}"Type" : "Notification",\n {2}"MessageId" : /);
    const doc = JSON.parse(m?.Body ?? "{}") as JsonObject;
    expect(Object.keys(doc)).toEqual(["Type", "MessageId", "TopicArn", "Subject", "Message", "Timestamp", "SignatureVersion", "Signature", "SigningCertURL", "UnsubscribeURL", "MessageAttributes"]);
    expect(doc).toMatchObject({ Type: "Notification", MessageId: messageId, TopicArn: TOPIC, Subject: "New order", Message: '{"id":42}', SignatureVersion: "1", MessageAttributes: { kind: { Type: "String", Value: "order" } } });
    expect(doc["Timestamp"]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(doc["UnsubscribeURL"]).toMatch(/^https:\/\/sns\.us-east-1\.amazonaws\.com\/\?Action=Unsubscribe&SubscriptionArn=arn:aws:sns:us-east-1:123456789012:orders:[0-9a-f-]{36}$/);

    const [raw] = await queues.receiveMessages("raw");
    expect(raw).toMatchObject({ Body: '{"id":42}', MessageAttributes: { kind: { DataType: "String", StringValue: "order" } } });

    expect(events).toHaveLength(1);
    expect(events[0]?.name).toBe("notify");
    const record = (events[0]?.event["Records"] as JsonObject[])[0] as JsonObject;
    expect(record).toMatchObject({ EventSource: "aws:sns", EventVersion: "1.0", EventSubscriptionArn: expect.stringMatching(/^arn:aws:sns:us-east-1:123456789012:orders:/) as unknown });
    expect(record["Sns"]).toMatchObject({ Type: "Notification", MessageId: messageId, TopicArn: TOPIC, Subject: "New order", Message: '{"id":42}', MessageAttributes: { kind: { Type: "String", Value: "order" } } });
    expect(Object.keys(record["Sns"] as JsonObject)).toContain("SigningCertUrl");

    expect(http.received).toHaveLength(1);
    const post = http.received[0] as Received;
    expect(post.headers).toMatchObject({ "x-amz-sns-message-type": "Notification", "x-amz-sns-message-id": messageId, "x-amz-sns-topic-arn": TOPIC, "content-type": "text/plain; charset=UTF-8" });
    expect(JSON.parse(post.body)).toMatchObject({ Type: "Notification", MessageId: messageId, Message: '{"id":42}' });
  });

  it("a failed delivery does not fail the Publish: it is logged", async () => {
    const failing = await endpoint(500);
    const topics: Record<string, TopicConfig> = {
      orders: { subscriptions: [{ protocol: "https", endpoint: failing.url }, { protocol: "sqs", endpoint: "missing-queue" }, { protocol: "sqs", endpoint: "inbox" }] },
    };
    const { engine, sns, queues, logs } = setup(topics);
    const r = await run(engine, publish({ TopicArn: TOPIC, Message: "hi" }));
    await sns.deliveriesSettled();
    expect(r.status).toBe("SUCCEEDED");
    expect((await queues.receiveMessages("inbox")).length).toBe(1);
    expect(failing.received).toHaveLength(1);
    const messages = logs.map((l) => String(l["msg"]));
    expect(messages).toContain("SNS delivery to sqs:missing-queue failed");
    expect(messages).toContain(`SNS delivery to https:${failing.url} failed`);
  });

  it("an unknown topic fails with SNS.NotFoundException, which Catch catches", async () => {
    const { engine } = setup({ orders: {} });
    const definition = {
      StartAt: "Publish",
      States: {
        Publish: { Type: "Task", Resource: "arn:aws:states:::sns:publish", Parameters: { TopicArn: "arn:aws:sns:us-east-1:123456789012:nope", Message: "x" }, Catch: [{ ErrorEquals: ["SNS.NotFoundException"], Next: "Gone" }], End: true },
        Gone: { Type: "Pass", End: true },
      },
    };
    const r = await run(engine, definition);
    expect(r.status).toBe("SUCCEEDED");
    expect(r.output).toMatchObject({ Error: "SNS.NotFoundException" });
    expect(String((r.output as JsonObject)["Cause"])).toMatch(/^Topic does not exist \(Service: AmazonSNS; Status Code: 404; Error Code: NotFound; Request ID: [0-9a-f-]{36}; Proxy: null\)$/);
    const empty = await run(engine, publish({ TopicArn: TOPIC, Message: "" }));
    expect(empty.error).toBe("SNS.InvalidParameterException");
    expect(empty.cause).toContain("Invalid parameter: Empty message");
  });

  it("FIFO topics: MessageGroupId required, SequenceNumber, deduplication, delivery to a FIFO queue", async () => {
    const { engine, queues } = setup({ "orders.fifo": { subscriptions: [{ protocol: "sqs", endpoint: "inbox.fifo", rawMessageDelivery: true }] } });
    const arn = "arn:aws:sns:us-east-1:123456789012:orders.fifo";
    const noGroup = await run(engine, publish({ TopicArn: arn, Message: "x" }));
    expect(noGroup.error).toBe("SNS.InvalidParameterException");
    expect(noGroup.cause).toContain("The MessageGroupId parameter is required for FIFO topics");
    const def = publish({ TopicArn: arn, "Message.$": "$.m", MessageGroupId: "g", "MessageDeduplicationId.$": "$.m" });
    const a = await run(engine, def, { m: "a" });
    const b = await run(engine, def, { m: "b" });
    const again = await run(engine, def, { m: "a" });
    const out = (r: typeof a): JsonObject => r.output as JsonObject;
    expect(out(a)["SequenceNumber"]).toMatch(/^\d{20}$/);
    expect(out(again)["MessageId"]).toBe(out(a)["MessageId"]);
    const got = await queues.receiveMessages("inbox.fifo", { maxMessages: 10 });
    expect(got.map((m) => m.Body)).toEqual(["a", "b"]);
    expect(got[0]?.Attributes["MessageGroupId"]).toBe("g");
    expect(out(b)["MessageId"]).not.toBe(out(a)["MessageId"]);
  });

  it("MessageStructure json sends each protocol its own message", async () => {
    const { engine, sns, queues, events } = setup({ orders: { subscriptions: [{ protocol: "sqs", endpoint: "raw", rawMessageDelivery: true }, { protocol: "lambda", endpoint: "fn" }] } });
    await run(engine, publish({ TopicArn: TOPIC, MessageStructure: "json", Message: { default: "plain", sqs: "for queues" } }));
    await sns.deliveriesSettled();
    expect((await queues.receiveMessages("raw"))[0]?.Body).toBe("for queues");
    expect(((events[0]?.event["Records"] as JsonObject[])[0]?.["Sns"] as JsonObject)["Message"]).toBe("plain");
  });

  it(".waitForTaskToken: the token reaches a queue subscriber inside the notification; SendTaskSuccess resumes", async () => {
    const { engine, queues } = setup({ orders: { subscriptions: [{ protocol: "sqs", endpoint: "inbox" }] } });
    const definition = publish({ TopicArn: TOPIC, Message: { "token.$": "$$.Task.Token", "id.$": "$.id" } }, { Resource: "arn:aws:states:::sns:publish.waitForTaskToken", ResultPath: "$.reply" });
    const exec = engine.startExecution(engine.createStateMachine("wait", definition), { id: 9 });
    const [m] = await queues.receiveMessages("inbox", { waitTimeSeconds: 5 });
    const message = JSON.parse(String((JSON.parse(m?.Body ?? "{}") as JsonObject)["Message"])) as { token: string; id: number };
    expect(message.id).toBe(9);
    expect(exec.status).toBe("RUNNING");
    engine.sendTaskSuccess(message.token, "approved");
    const r = await engine.result(exec);
    expect(r.output).toEqual({ id: 9, reply: "approved" });
  });
});

describe("createSnsAdapter", () => {
  it("delivers to the 'sqs' adapter's queues and to in-process functions", async () => {
    const queues = new MemoryQueueStore({ queues: { inbox: {} } });
    const sqs = new SqsAdapter({ queues });
    const calls: Json[] = [];
    const sns = createSnsAdapter(
      { topics: { t: { subscriptions: [{ protocol: "sqs", endpoint: "inbox" }, { protocol: "lambda", endpoint: "audit" }] } } },
      {
        engine: { account: { partition: "aws", region: "eu-west-1", accountId: "111122223333" } },
        functions: { audit: (event) => void calls.push(event) },
        adapter: (name) => (name === "sqs" ? sqs : undefined),
      },
    );
    if (!sns) throw new Error("no adapter");
    expect(createSnsAdapter({})).toBeUndefined();
    const engine = createEngine({ taskBus: new AdapterTaskBus([sns, sqs]), virtualTime: true });
    cleanup.push(() => engine.close());
    const r = await run(engine, publish({ TopicArn: "arn:aws:sns:eu-west-1:111122223333:t", Message: "m" }));
    await sns.deliveriesSettled();
    expect(r.status).toBe("SUCCEEDED");
    const doc = JSON.parse((await queues.receiveMessages("inbox"))[0]?.Body ?? "{}") as JsonObject;
    expect(doc).toMatchObject({ TopicArn: "arn:aws:sns:eu-west-1:111122223333:t", Message: "m" });
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ Records: [{ EventSource: "aws:sns", Sns: { Message: "m" } }] });
  });
});
