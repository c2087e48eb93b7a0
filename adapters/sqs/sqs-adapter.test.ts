/**
 * `arn:aws:states:::sqs:sendMessage[.waitForTaskToken]` through the engine: the message on the
 * queue, the result as AWS records it, SQS errors as the optimized integration names them.
 */
import { describe, it, expect } from "vitest";
import { createHash } from "node:crypto";
import { createEngine, type Engine } from "../../index.js";
import { AdapterTaskBus } from "../../runtime/bus/adapter-task-bus.js";
import type { HistoryEvent } from "../../translators/xstate/actor-data.js";
import type { Json, JsonObject } from "../../translators/json.js";
import { MemoryQueueStore } from "./memory-queue-store.js";
import { SqsAdapter } from "./sqs-adapter.js";
import { createSqsAdapter, queueStoreOf } from "./index.js";

const QUEUE_URL = "https://sqs.us-east-1.amazonaws.com/123456789012/orders";

function setup(queues = new MemoryQueueStore({ queues: { orders: {}, "jobs.fifo": { fifo: true } } })): { engine: Engine; queues: MemoryQueueStore } {
  const engine = createEngine({ taskBus: new AdapterTaskBus([new SqsAdapter({ queues })]), virtualTime: true });
  return { engine, queues };
}

const send = (parameters: object, extra: object = {}): object => ({
  StartAt: "Send",
  States: { Send: { Type: "Task", Resource: "arn:aws:states:::sqs:sendMessage", Parameters: parameters, ...extra, End: true } },
});

const details = (e: HistoryEvent | undefined): Record<string, Json> =>
  Object.entries(e ?? {}).find(([k]) => k.endsWith("EventDetails"))?.[1] as Record<string, Json>;

const md5 = (s: string): string => createHash("md5").update(s).digest("hex");

describe("sqs:sendMessage", () => {
  it("sends the MessageBody (a JSON value serialized compactly) and answers as AWS does", async () => {
    const { engine, queues } = setup();
    const exec = engine.startExecution(engine.createStateMachine("sqs", send({ QueueUrl: QUEUE_URL, "MessageBody.$": "$.order" })), { order: { id: 7, items: ["a", "b"] } });
    const r = await engine.result(exec);
    engine.close();
    expect(r.status).toBe("SUCCEEDED");
    const body = '{"id":7,"items":["a","b"]}';
    const out = r.output as JsonObject;
    expect(Object.keys(out)).toEqual(["MD5OfMessageBody", "MessageId", "SdkHttpMetadata", "SdkResponseMetadata"]);
    expect(out["MD5OfMessageBody"]).toBe(md5(body));
    expect(out["MessageId"]).toMatch(/^[0-9a-f-]{36}$/);
    const meta = out["SdkHttpMetadata"] as JsonObject;
    const requestId = (out["SdkResponseMetadata"] as JsonObject)["RequestId"];
    expect(meta["HttpStatusCode"]).toBe(200);
    // {"MD5OfMessageBody":"<32>","MessageId":"<36>"} is 106 bytes, as AWS recorded.
    expect(meta["HttpHeaders"]).toMatchObject({ "Content-Length": "106", "Content-Type": "application/x-amz-json-1.0", connection: "keep-alive", "x-amzn-RequestId": requestId });
    expect((meta["AllHttpHeaders"] as JsonObject)["x-amzn-RequestId"]).toEqual([requestId]);
    const scheduled = details(r.history.find((e) => e.type === "TaskScheduled"));
    expect(scheduled).toMatchObject({ resourceType: "sqs", resource: "sendMessage" });

    const [m] = await queues.receiveMessages("orders");
    expect(m?.Body).toBe(body);
    expect(m?.MessageId).toBe(out["MessageId"]);
    expect(m?.MD5OfBody).toBe(md5(body));
  });

  it("a string MessageBody is sent as it is; MessageAttributes get SQS's MD5OfMessageAttributes", async () => {
    const { engine, queues } = setup();
    const params = { QueueUrl: QUEUE_URL, MessageBody: "derp", MessageAttributes: { timestamp: { DataType: "Number", StringValue: "1493147359900" } } };
    const r = await engine.result(engine.startExecution(engine.createStateMachine("sqs", send(params)), {}));
    engine.close();
    // Digests AWS returns for these (as pinned by moto's SQS tests).
    expect(r.output).toMatchObject({ MD5OfMessageBody: "58fd9edd83341c29f1aebba81c31e257", MD5OfMessageAttributes: "235c5c510d26fb653d073faed50ae77c" });
    const [m] = await queues.receiveMessages("orders");
    expect(m).toMatchObject({ Body: "derp", MessageAttributes: { timestamp: { DataType: "Number", StringValue: "1493147359900" } }, MD5OfMessageAttributes: "235c5c510d26fb653d073faed50ae77c" });
  });

  it("accepts a local queue URL, a queue ARN and a bare name", async () => {
    const { engine, queues } = setup();
    for (const url of ["http://localhost:4566/000000000000/orders", "arn:aws:sqs:eu-west-1:999999999999:orders", "orders"]) {
      const r = await engine.result(engine.startExecution(engine.createStateMachine("sqs", send({ QueueUrl: url, MessageBody: url })), {}));
      expect(r.status).toBe("SUCCEEDED");
    }
    engine.close();
    const got = await queues.receiveMessages("orders", { maxMessages: 10 });
    expect(got.map((m) => m.Body).sort()).toEqual(["arn:aws:sqs:eu-west-1:999999999999:orders", "http://localhost:4566/000000000000/orders", "orders"]);
  });

  it("DelaySeconds keeps the message invisible until then", async () => {
    let now = 1_000_000;
    const queues = new MemoryQueueStore({ queues: { orders: {} }, clock: { now: () => now } });
    const { engine } = setup(queues);
    const r = await engine.result(engine.startExecution(engine.createStateMachine("sqs", send({ QueueUrl: QUEUE_URL, MessageBody: "later", DelaySeconds: 30 })), {}));
    engine.close();
    expect(r.status).toBe("SUCCEEDED");
    expect(await queues.receiveMessages("orders")).toEqual([]);
    expect(await queues.getQueueAttributes("orders")).toMatchObject({ ApproximateNumberOfMessagesDelayed: "1", ApproximateNumberOfMessages: "0" });
    now += 30_000;
    expect((await queues.receiveMessages("orders")).map((m) => m.Body)).toEqual(["later"]);
  });

  it("FIFO: MessageGroupId and MessageDeduplicationId, SequenceNumber in the result", async () => {
    const { engine, queues } = setup();
    const url = "https://sqs.us-east-1.amazonaws.com/123456789012/jobs.fifo";
    const sm = engine.createStateMachine("fifo", send({ QueueUrl: url, "MessageBody.$": "$.n", MessageGroupId: "g1", "MessageDeduplicationId.$": "States.Format('d{}', $.n)" }));
    const first = await engine.result(engine.startExecution(sm, { n: 1 }));
    const second = await engine.result(engine.startExecution(sm, { n: 2 }));
    const duplicate = await engine.result(engine.startExecution(sm, { n: 1 }));
    engine.close();
    const seq = (r: typeof first): string => String((r.output as JsonObject)["SequenceNumber"]);
    expect(seq(first)).toMatch(/^\d{20}$/);
    expect(BigInt(seq(second)) > BigInt(seq(first))).toBe(true);
    // A duplicate within 5 minutes is answered as the first, not enqueued again.
    expect((duplicate.output as JsonObject)["MessageId"]).toBe((first.output as JsonObject)["MessageId"]);
    const got = await queues.receiveMessages("jobs.fifo", { maxMessages: 10 });
    expect(got.map((m) => m.Body)).toEqual(["1", "2"]);
    expect(got[0]?.Attributes).toMatchObject({ MessageGroupId: "g1", MessageDeduplicationId: "d1", SequenceNumber: seq(first) });
  });

  it("errors: SQS.QueueDoesNotExistException, SQS.AmazonSQSException for bad parameters, caught by Catch", async () => {
    const { engine } = setup();
    const definition = {
      StartAt: "Send",
      States: {
        Send: {
          Type: "Task", Resource: "arn:aws:states:::sqs:sendMessage", Parameters: { "QueueUrl.$": "$.url", MessageBody: "x" },
          Catch: [{ ErrorEquals: ["SQS.QueueDoesNotExistException"], ResultPath: "$.error", Next: "Missing" }], End: true,
        },
        Missing: { Type: "Pass", End: true },
      },
    };
    const r = await engine.result(engine.startExecution(engine.createStateMachine("missing", definition), { url: "https://sqs.us-east-1.amazonaws.com/123456789012/nope" }));
    expect(r.status).toBe("SUCCEEDED");
    const error = (r.output as JsonObject)["error"] as JsonObject;
    expect(error["Error"]).toBe("SQS.QueueDoesNotExistException");
    expect(error["Cause"]).toMatch(/^The specified queue does not exist\. \(Service: AmazonSQS; Status Code: 400; Error Code: AWS\.SimpleQueueService\.NonExistentQueue; Request ID: [0-9a-f-]{36}; Proxy: null\)$/);

    const noGroup = await engine.result(engine.startExecution(engine.createStateMachine("nogroup", send({ QueueUrl: "jobs.fifo", MessageBody: "x" })), {}));
    expect(noGroup.error).toBe("SQS.AmazonSQSException");
    expect(noGroup.cause).toContain("The request must contain the parameter MessageGroupId.");
    expect(noGroup.cause).toContain("Error Code: MissingParameter");
    const badDelay = await engine.result(engine.startExecution(engine.createStateMachine("delay", send({ QueueUrl: QUEUE_URL, MessageBody: "x", DelaySeconds: 901 })), {}));
    expect(badDelay.error).toBe("SQS.AmazonSQSException");
    expect(badDelay.cause).toContain("Error Code: InvalidParameterValue");
    engine.close();
  });

  it(".waitForTaskToken: a worker reads the token from the queue and SendTaskSuccess resumes the Task", async () => {
    const { engine, queues } = setup();
    const definition = send(
      { QueueUrl: QUEUE_URL, MessageBody: { "token.$": "$$.Task.Token", "orderId.$": "$.orderId" } },
      { Resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken", ResultPath: "$.shipment" },
    );
    const exec = engine.startExecution(engine.createStateMachine("callback", definition), { orderId: "o-1" });
    const [m] = await queues.receiveMessages("orders", { waitTimeSeconds: 5 });
    const body = JSON.parse(m?.Body ?? "{}") as { token: string; orderId: string };
    expect(body.orderId).toBe("o-1");
    expect(exec.status).toBe("RUNNING");
    engine.sendTaskSuccess(body.token, { shipped: true });
    await queues.deleteMessage("orders", m?.ReceiptHandle ?? "");
    const r = await engine.result(exec);
    engine.close();
    expect(r.status).toBe("SUCCEEDED");
    expect(r.output).toEqual({ orderId: "o-1", shipment: { shipped: true } });
    expect(details(r.history.find((e) => e.type === "TaskScheduled"))).toMatchObject({ resource: "sendMessage.waitForTaskToken" });
    expect(await queues.getQueueAttributes("orders")).toMatchObject({ ApproximateNumberOfMessages: "0", ApproximateNumberOfMessagesNotVisible: "0" });
  });
});

describe("createSqsAdapter", () => {
  it("builds an adapter on the config's queues, none without queues", async () => {
    expect(createSqsAdapter({})).toBeUndefined();
    const adapter = createSqsAdapter({ queues: { a: {}, "b.fifo": {} } }, { engine: { account: { partition: "aws", region: "eu-west-1", accountId: "111122223333" } } });
    const store = queueStoreOf(adapter);
    expect(await store?.listQueues()).toEqual([{ name: "a", fifo: false }, { name: "b.fifo", fifo: true }]);
    expect(await store?.getQueueAttributes("a")).toMatchObject({ QueueArn: "arn:aws:sqs:eu-west-1:111122223333:a", VisibilityTimeout: "30" });
  });
});
