/**
 * Malformed requests (hand-made: the SDK cannot send them) get AWS-shaped errors, and the
 * server goes on serving: after each, an SDK call succeeds and a state machine created
 * before is still there, unchanged.
 */
import { request } from "node:http";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateStateMachineCommand, DescribeStateMachineCommand } from "@aws-sdk/client-sfn";
import { MAX_BODY_BYTES } from "../../runtime/api/protocol.js";
import { ROLE_ARN, startTestApi, type TestApi } from "./helpers.js";

const DEFINITION = JSON.stringify({ StartAt: "P", States: { P: { Type: "Pass", End: true } } });
const JSON_10 = "application/x-amz-json-1.0";

interface Raw {
  readonly status: number;
  readonly contentType: string | undefined;
  readonly body: { __type?: string; message?: string };
}

function send(url: string, options: { method?: string; target?: string | undefined; body?: string | Buffer }): Promise<Raw> {
  const headers: Record<string, string> = { "content-type": JSON_10 };
  if (options.target !== undefined) headers["x-amz-target"] = options.target;
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? "POST", headers }, (res) => {
      let text = "";
      res.on("data", (b: Buffer) => (text += b.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, contentType: res.headers["content-type"], body: JSON.parse(text) as Raw["body"] }));
    });
    req.on("error", reject);
    req.end(options.body ?? "");
  });
}

const CREATE = "AWSStepFunctions.CreateStateMachine";
const DESCRIBE = "AWSStepFunctions.DescribeStateMachine";

describe("malformed requests", () => {
  let api: TestApi;
  let arn: string;
  beforeAll(async () => {
    api = await startTestApi();
    const created = await api.sfn.send(new CreateStateMachineCommand({ name: "survivor", definition: DEFINITION, roleArn: ROLE_ARN }));
    arn = created.stateMachineArn ?? "";
  });
  afterAll(() => api.close());

  /** The server still answers the SDK, and what it accepted before is intact. */
  async function stillServing(): Promise<void> {
    const described = await api.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }));
    expect(described).toMatchObject({ stateMachineArn: arn, name: "survivor", definition: DEFINITION, status: "ACTIVE" });
    const other = await api.sfn.send(new CreateStateMachineCommand({ name: `after-${Math.random().toString(36).slice(2)}`, definition: DEFINITION, roleArn: ROLE_ARN }));
    expect(other.stateMachineArn).toMatch(/:stateMachine:after-/);
  }

  function expectError(res: Raw, status: number, type: string): void {
    expect(res.status).toBe(status);
    expect(res.contentType).toBe(JSON_10);
    expect(res.body.__type).toBe(type);
    expect(typeof res.body.message).toBe("string");
  }

  it.each([
    ["text that is not JSON", "{\"stateMachineArn\": "],
    ["a JSON array", JSON.stringify([{ stateMachineArn: "x" }])],
    ["a JSON string", JSON.stringify("stateMachineArn")],
    ["JSON null", "null"],
    ["bytes that are not UTF-8 JSON", Buffer.from([0xff, 0xfe, 0x00, 0x7b])],
  ])("%s is a SerializationException", async (_what, body) => {
    expectError(await send(api.server.url, { target: DESCRIBE, body }), 400, "com.amazon.coral.service#SerializationException");
    await stillServing();
  });

  it.each([
    ["name as a number", { name: 5, definition: DEFINITION, roleArn: ROLE_ARN }],
    ["definition as an object", { name: "typed", definition: JSON.parse(DEFINITION) as unknown, roleArn: ROLE_ARN }],
    ["tags as an object", { name: "typed", definition: DEFINITION, roleArn: ROLE_ARN, tags: { key: "k" } }],
  ])("a field of the wrong type (%s) is a SerializationException, and creates nothing", async (_what, body) => {
    expectError(await send(api.server.url, { target: CREATE, body: JSON.stringify(body) }), 400, "com.amazon.coral.service#SerializationException");
    const res = await send(api.server.url, { target: DESCRIBE, body: JSON.stringify({ stateMachineArn: arn.replace("survivor", "typed") }) });
    expect(res.body.__type).toMatch(/#StateMachineDoesNotExist$/);
    await stillServing();
  });

  it("a body over the limit is a 413, and the server goes on serving", async () => {
    const big = JSON.stringify({ stateMachineArn: arn, padding: "x".repeat(MAX_BODY_BYTES) });
    const res = await send(api.server.url, { target: DESCRIBE, body: big });
    expect(res.status).toBe(413);
    expect(res.body.__type).toMatch(/#RequestEntityTooLarge/);
    expect(res.body.message).toContain(String(MAX_BODY_BYTES));
    await stillServing();
  });

  it.each([
    ["missing", undefined],
    ["of another service", "DynamoDB_20120810.ListTables"],
    ["naming no operation of the API", "AWSStepFunctions.DeleteEverything"],
    ["empty", ""],
  ])("an X-Amz-Target %s is UnknownOperationException", async (_what, target) => {
    expectError(await send(api.server.url, { target, body: "{}" }), 400, "com.amazon.coral.service#UnknownOperationException");
    await stillServing();
  });

  it("a GET of the API root is an AWS-shaped error", async () => {
    expectError(await send(api.server.url, { method: "GET", target: DESCRIBE }), 400, "com.amazon.coral.service#UnknownOperationException");
    await stillServing();
  });

  it("a client that hangs up halfway through its body leaves the server serving", async () => {
    const { port } = api.server;
    await new Promise<void>((resolve, reject) => {
      const socket = connect(port, "127.0.0.1", () => {
        socket.write(`POST / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: ${JSON_10}\r\nX-Amz-Target: ${DESCRIBE}\r\nContent-Length: 1000\r\n\r\n{"stateMa`);
        setTimeout(() => socket.destroy(), 50);
      });
      socket.on("close", () => resolve());
      socket.on("error", reject);
    });
    await stillServing();
  });

  it("a request line that is not HTTP leaves the server serving", async () => {
    await new Promise<void>((resolve) => {
      const socket = connect(api.server.port, "127.0.0.1", () => socket.end("HELLO WORLD\r\n\r\n"));
      socket.on("data", () => undefined);
      socket.on("close", () => resolve());
      socket.on("error", () => resolve());
    });
    await stillServing();
  });
});
