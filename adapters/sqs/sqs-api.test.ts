/**
 * The SQS API (JSON protocol) over a QueueStore, driven by the real AWS SDK client, which is
 * also how `forward.sqs` sends: SdkQueueStore against an in-process SQS-compatible endpoint.
 * And `aslan queue` (runQueueCommand) on both kinds of store.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ReceiveMessageCommand, SendMessageCommand, GetQueueUrlCommand } from "@aws-sdk/client-sqs";
import { createEngine } from "../../index.js";
import { AdapterTaskBus } from "../../runtime/bus/adapter-task-bus.js";
import { UsageError } from "../../runtime/cli/args.js";
import type { JsonObject } from "../../translators/json.js";
import { MemoryQueueStore } from "./memory-queue-store.js";
import { SdkQueueStore } from "./sdk-queue-store.js";
import { isSqsRequest, sqsApiListener } from "./sqs-api.js";
import { createSqsAdapter } from "./index.js";
import { runQueueCommand, type QueueCommandIo } from "./queue-command.js";

let server: Server;
let endpoint: string;
let backend: MemoryQueueStore;
let sdk: SdkQueueStore;

beforeAll(async () => {
  backend = new MemoryQueueStore({ queues: { orders: {}, "jobs.fifo": {} } });
  const listener = sqsApiListener(backend);
  server = createServer((req, res) => (isSqsRequest(req) ? listener(req, res) : res.writeHead(404).end()));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  sdk = new SdkQueueStore({ endpoint, region: "us-east-1", credentials: { accessKeyId: "AKIDLOCAL", secretAccessKey: "local" } });
});

afterAll(async () => {
  await sdk.close();
  await backend.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function capture(): QueueCommandIo & { stdout: () => string; stderr: () => string } {
  let out = "";
  let err = "";
  return { out: (t) => (out += t), err: (t) => (err += t), stdout: () => out, stderr: () => err };
}

describe("SQS API over a QueueStore, with the AWS SDK", () => {
  it("send, receive (MD5s checked by the SDK), delete", async () => {
    const { QueueUrl } = await sdk.client.send(new GetQueueUrlCommand({ QueueName: "orders" }));
    expect(QueueUrl).toBe(`${endpoint}/123456789012/orders`);
    const sent = await sdk.client.send(new SendMessageCommand({ QueueUrl, MessageBody: "hello", MessageAttributes: { kind: { DataType: "String", StringValue: "greeting" } } }));
    expect(sent.MessageId).toMatch(/^[0-9a-f-]{36}$/);
    const got = await sdk.client.send(new ReceiveMessageCommand({ QueueUrl, MessageAttributeNames: ["All"], MessageSystemAttributeNames: ["ApproximateReceiveCount"] }));
    expect(got.Messages?.[0]).toMatchObject({ Body: "hello", Attributes: { ApproximateReceiveCount: "1" }, MessageAttributes: { kind: { DataType: "String", StringValue: "greeting" } } });
    await sdk.deleteMessage("orders", got.Messages?.[0]?.ReceiptHandle ?? "");
    expect(await backend.getQueueAttributes("orders")).toMatchObject({ ApproximateNumberOfMessages: "0", ApproximateNumberOfMessagesNotVisible: "0" });
  });

  it("errors come back as SQS's: QueueDoesNotExist", async () => {
    await expect(sdk.sendMessage(`${endpoint}/123456789012/nope`, { body: "x" })).rejects.toMatchObject({ code: "QueueDoesNotExist" });
    await expect(sdk.client.send(new GetQueueUrlCommand({ QueueName: "nope" }))).rejects.toMatchObject({ name: "QueueDoesNotExist" });
  });

  it("forward.sqs: a Task's sendMessage goes through the SDK to the configured endpoint", async () => {
    const adapter = createSqsAdapter({ forward: { sqs: { endpoint, region: "us-east-1", credentials: { accessKeyId: "AKIDLOCAL", secretAccessKey: "local" } } } });
    if (!adapter) throw new Error("no adapter");
    const engine = createEngine({ taskBus: new AdapterTaskBus([adapter]), virtualTime: true });
    const definition = {
      StartAt: "Send",
      States: {
        Send: {
          Type: "Task", Resource: "arn:aws:states:::sqs:sendMessage",
          Parameters: { "QueueUrl.$": "$.url", MessageBody: { "n.$": "$.n" }, MessageGroupId: "g", MessageDeduplicationId: "d-1" },
          Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "Failed" }], End: true,
        },
        Failed: { Type: "Pass", End: true },
      },
    };
    const sm = engine.createStateMachine("fwd", definition);
    const r = await engine.result(engine.startExecution(sm, { url: `${endpoint}/123456789012/jobs.fifo`, n: 5 }));
    const missing = await engine.result(engine.startExecution(sm, { url: `${endpoint}/123456789012/nope`, n: 1 }));
    engine.close();
    await adapter.queues.close?.();
    expect(r.output).toMatchObject({ SequenceNumber: expect.stringMatching(/^\d{20}$/) as unknown, SdkHttpMetadata: { HttpStatusCode: 200 } });
    const [m] = await backend.receiveMessages("jobs.fifo");
    expect(m?.Body).toBe('{"n":5}');
    expect(m?.MessageId).toBe((r.output as JsonObject)["MessageId"]);
    expect(((missing.output as JsonObject)["error"] as JsonObject)["Error"]).toBe("SQS.QueueDoesNotExistException");
  });

  it("forward.sqs to an endpoint nobody answers fails with SQS.SdkClientException", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const adapter = createSqsAdapter({ forward: { sqs: { endpoint: `http://127.0.0.1:${port}`, credentials: { accessKeyId: "a", secretAccessKey: "b" } } } });
    if (!adapter) throw new Error("no adapter");
    const engine = createEngine({ taskBus: new AdapterTaskBus([adapter]), virtualTime: true });
    const sm = engine.createStateMachine("down", { StartAt: "S", States: { S: { Type: "Task", Resource: "arn:aws:states:::sqs:sendMessage", Parameters: { QueueUrl: `http://127.0.0.1:${port}/1/q`, MessageBody: "x" }, End: true } } });
    const r = await engine.result(engine.startExecution(sm, {}));
    engine.close();
    await adapter.queues.close?.();
    expect(r.error).toBe("SQS.SdkClientException");
  });
});

describe("aslan queue (runQueueCommand)", () => {
  it("send, list, receive --delete on the in-memory store", async () => {
    const store = new MemoryQueueStore({ queues: { orders: {}, "jobs.fifo": {} }, region: "eu-west-1", accountId: "111122223333" });
    const io = capture();
    expect(await runQueueCommand(["send", "orders", '{"id":1}', "--attributes", '{"k":{"DataType":"String","StringValue":"v"}}'], store, io)).toBe(0);
    const sent = JSON.parse(io.stdout()) as JsonObject;
    expect(sent["MD5OfMessageAttributes"]).toMatch(/^[0-9a-f]{32}$/);

    const list = capture();
    expect(await runQueueCommand(["list"], store, list)).toBe(0);
    expect(JSON.parse(list.stdout())).toEqual({
      Queues: [
        { QueueName: "orders", QueueUrl: "https://sqs.eu-west-1.amazonaws.com/111122223333/orders", FifoQueue: false, ApproximateNumberOfMessages: 1, ApproximateNumberOfMessagesNotVisible: 0 },
        { QueueName: "jobs.fifo", QueueUrl: "https://sqs.eu-west-1.amazonaws.com/111122223333/jobs.fifo", FifoQueue: true, ApproximateNumberOfMessages: 0, ApproximateNumberOfMessagesNotVisible: 0 },
      ],
    });

    const recv = capture();
    expect(await runQueueCommand(["receive", "https://sqs.eu-west-1.amazonaws.com/111122223333/orders", "--max", "10", "--wait", "1", "--delete"], store, recv)).toBe(0);
    const messages = (JSON.parse(recv.stdout()) as { Messages: { Body: string; MessageId: string }[] }).Messages;
    expect(messages.map((m) => m.Body)).toEqual(['{"id":1}']);
    expect(messages[0]?.MessageId).toBe(sent["MessageId"]);
    expect(await store.getQueueAttributes("orders")).toMatchObject({ ApproximateNumberOfMessages: "0", ApproximateNumberOfMessagesNotVisible: "0" });
  });

  it("service errors exit 1 with SQS's code; bad usage throws UsageError", async () => {
    const store = new MemoryQueueStore({ queues: { "jobs.fifo": {} } });
    const io = capture();
    expect(await runQueueCommand(["send", "jobs.fifo", "x"], store, io)).toBe(1);
    expect(io.stderr()).toBe("aslan queue: MissingParameter: The request must contain the parameter MessageGroupId.\n");
    expect(await runQueueCommand(["receive", "nope"], store, io)).toBe(1);
    expect(io.stderr()).toContain("QueueDoesNotExist");
    await expect(runQueueCommand(["receive"], store, io)).rejects.toBeInstanceOf(UsageError);
    await expect(runQueueCommand(["receive", "q", "--wiat", "3"], store, io)).rejects.toThrow("unknown option --wiat");
    await expect(runQueueCommand(["frobnicate"], store, io)).rejects.toThrow("unknown queue subcommand 'frobnicate'");
  });

  it("works on a remote endpoint through SdkQueueStore", async () => {
    const io = capture();
    expect(await runQueueCommand(["send", "orders", "remote", "--delay", "0"], sdk, io)).toBe(0);
    const recv = capture();
    expect(await runQueueCommand(["receive", "orders", "--delete"], sdk, recv)).toBe(0);
    expect((JSON.parse(recv.stdout()) as { Messages: { Body: string }[] }).Messages.map((m) => m.Body)).toEqual(["remote"]);
    const list = capture();
    await runQueueCommand(["list"], sdk, list);
    expect((JSON.parse(list.stdout()) as { Queues: { QueueName: string }[] }).Queues.map((q) => q.QueueName)).toEqual(["orders", "jobs.fifo"]);
  });
});
