/**
 * Subject triggers as a user runs them: the built `aslan serve` with a config holding `nats`
 * and `triggers`, a real nats-server, messages sent with the NATS client. A message starts
 * an execution of the named state machine (looked up when it arrives, so it may be created
 * later), named by its Nats-Msg-Id; a request is answered with the start or its refusal;
 * servers in one queue group start each execution once; config mistakes are refused with
 * their place. Every process is stopped by pid.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { connect, headers as natsHeaders, type NatsConnection } from "@nats-io/transport-node";
import { CreateStateMachineCommand, DescribeExecutionCommand, SFNClient, type DescribeExecutionCommandOutput } from "@aws-sdk/client-sfn";
import { ensureBuilt, runCli } from "../cli/built-cli.js";
import { serve, stop, type Served } from "../cli/serve-process.js";
import { startNatsServer, type NatsServer } from "../support/nats-server.js";

const ROLE = "arn:aws:iam::123456789012:role/aslan";
const ACCOUNT = "arn:aws:states:us-east-1:123456789012";

let nats: NatsServer;
let client: NatsConnection;
let root: string;
let n = 0;
const servers: Served[] = [];

beforeAll(async () => {
  await ensureBuilt();
  nats = await startNatsServer();
  client = await connect({ servers: nats.url, name: "triggers-test" });
  root = mkdtempSync(join(tmpdir(), "aslan-triggers-"));
}, 180_000);

afterEach(async () => {
  for (const s of servers.splice(0)) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill("SIGKILL");
});

afterAll(async () => {
  await client?.close();
  await nats?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

/** A project directory with this config (JSON). */
function project(config: unknown): string {
  const dir = join(root, `p${++n}`);
  mkdirSync(dir);
  writeFileSync(join(dir, "aslan.config.json"), JSON.stringify(config));
  return dir;
}

/** `aslan serve` in `dir`; resolves once it listens for trigger messages. */
async function server(dir: string, ...extra: string[]): Promise<{ served: Served; sfn: SFNClient }> {
  const served = serve(["--port", "0", ...extra], {}, dir);
  servers.push(served);
  const url = await served.url;
  await until(() => served.lines.some((l) => l["msg"] === "listening for trigger messages"), "the triggers to subscribe", served);
  const sfn = new SFNClient({ endpoint: url, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" }, maxAttempts: 1 });
  return { served, sfn };
}

async function until(condition: () => boolean | Promise<boolean>, what: string, served?: Served, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${served ? `; stderr: ${served.stderr()}` : ""}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Sends a request to `subject` and parses the reply. */
async function ask(subject: string, body: string, msgId?: string): Promise<Record<string, unknown>> {
  const h = natsHeaders();
  if (msgId !== undefined) h.set("Nats-Msg-Id", msgId);
  const reply = await client.request(subject, body, { timeout: 10_000, headers: h });
  return reply.json<Record<string, unknown>>();
}

async function finished(sfn: SFNClient, executionArn: string): Promise<DescribeExecutionCommandOutput> {
  let last: DescribeExecutionCommandOutput | undefined;
  await until(async () => {
    last = await sfn.send(new DescribeExecutionCommand({ executionArn })).catch(() => undefined);
    return last !== undefined && last.status !== "RUNNING";
  }, `execution ${executionArn} to finish`);
  return last as DescribeExecutionCommandOutput;
}

const createMachine = (sfn: SFNClient, name: string, definition: object): Promise<unknown> =>
  sfn.send(new CreateStateMachineCommand({ name, roleArn: ROLE, definition: JSON.stringify(definition) }));

describe("subject triggers on aslan serve", () => {
  it("a request on the subject starts the state machine named by Nats-Msg-Id, which calls a NATS service and succeeds", async () => {
    const inventory = `inventory.${n}.reserve`;
    const sub = client.subscribe(inventory, { callback: (_e, msg) => void msg.respond(JSON.stringify({ reserved: msg.json<{ qty: number }>().qty })) });
    await client.flush();
    const subject = `orders.${n}.created`;
    const dir = project({ nats: { servers: nats.url }, triggers: [{ subject, stateMachine: "orders" }] });
    const { served, sfn } = await server(dir);
    await createMachine(sfn, "orders", {
      StartAt: "Reserve",
      States: {
        Reserve: { Type: "Task", Resource: "arn:aws:states:::nats:request", Parameters: { Subject: inventory, "Payload.$": "$" }, ResultSelector: { "reserved.$": "$.Payload.reserved" }, Next: "Hold" },
        Hold: { Type: "Wait", Seconds: 1, End: true },
      },
    });
    // The same message twice while its execution runs: one execution (StartExecution's idempotency).
    const [first, again] = await Promise.all([ask(subject, '{"qty":2}', "order-1"), ask(subject, '{"qty":2}', "order-1")]);
    expect(first).toEqual({ executionArn: `${ACCOUNT}:execution:orders:order-1`, startDate: expect.any(Number) });
    expect(again).toEqual(first);
    const done = await finished(sfn, first["executionArn"] as string);
    expect([done.status, done.output]).toEqual(["SUCCEEDED", '{"reserved":2}']);
    // Sent again once it has ended: refused as StartExecution refuses a used name.
    expect(await ask(subject, '{"qty":2}', "order-1")).toMatchObject({ error: "ExecutionAlreadyExists" });
    sub.unsubscribe();
    expect(await stop(served, "SIGTERM")).toBe(0);
  });

  it("looks the state machine up per message: before it exists the sender hears why; a publish without reply starts one too; bad JSON is refused", async () => {
    const subject = `signup.${n}`;
    const dir = project({ nats: { servers: nats.url }, triggers: [{ subject: `${subject}.*`, stateMachine: "welcome", queue: "welcomers" }] });
    const { served, sfn } = await server(dir);
    expect(await ask(`${subject}.eu`, '{"user":"a"}')).toEqual({ error: "StateMachineDoesNotExist", cause: `State Machine Does Not Exist: '${ACCOUNT}:stateMachine:welcome'` });
    await until(() => served.lines.some((l) => l["level"] === 50 && l["error"] === "StateMachineDoesNotExist"), "the refusal in the log", served);
    await createMachine(sfn, "welcome", { StartAt: "Hi", States: { Hi: { Type: "Pass", End: true } } });
    const started = await ask(`${subject}.eu`, '{"user":"a"}');
    expect(started["executionArn"]).toMatch(new RegExp(`^${ACCOUNT}:execution:welcome:[0-9a-f-]{36}$`));
    expect((await finished(sfn, started["executionArn"] as string)).output).toBe('{"user":"a"}');
    client.publish(`${subject}.us`, '{"user":"b"}', { headers: withMsgId("signup-b") });
    expect((await finished(sfn, `${ACCOUNT}:execution:welcome:signup-b`)).output).toBe('{"user":"b"}');
    expect(await ask(`${subject}.eu`, "{not json")).toMatchObject({ error: "InvalidExecutionInput" });
    expect(await stop(served, "SIGTERM")).toBe(0);
  });

  it("servers in one queue group start each execution once", async () => {
    const subject = `jobs.${n}`;
    const dir = project({ nats: { servers: nats.url }, triggers: [{ subject, stateMachine: "job" }] });
    const nodes = [await server(dir), await server(dir)];
    for (const { sfn } of nodes) await createMachine(sfn, "job", { StartAt: "Do", States: { Do: { Type: "Pass", End: true } } });
    const replies = await Promise.all(Array.from({ length: 10 }, (_, i) => ask(subject, `{"i":${i}}`, `job-${i}`)));
    expect(replies.map((r) => r["executionArn"]).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `${ACCOUNT}:execution:job:job-${i}`).sort());
    const starts = (): number => nodes.reduce((sum, { served }) => sum + served.lines.filter((l) => l["msg"] === "execution started by a message").length, 0);
    await until(() => starts() >= 10, "ten start log lines");
    expect(starts()).toBe(10);
    for (const { served } of nodes) expect(await stop(served, "SIGTERM")).toBe(0);
  });

  it("aslan serve --nats takes triggers on the node's own connection when the config has no nats section", async () => {
    const subject = `node.${n}`;
    const dir = project({ triggers: [{ subject, stateMachine: "flow" }] });
    const { served, sfn } = await server(dir, "--nats", nats.url, "--log-level", "info");
    await createMachine(sfn, "flow", { StartAt: "Do", States: { Do: { Type: "Pass", Result: "done", End: true } } });
    const started = await ask(subject, "", "node-1");
    expect(started["executionArn"]).toBe(`${ACCOUNT}:execution:flow:node-1`);
    expect((await finished(sfn, started["executionArn"] as string)).output).toBe('"done"');
    expect(await stop(served, "SIGTERM")).toBe(0);
  });
});

describe("the config's nats and triggers sections", () => {
  it("reports every mistake with its place, and triggers with no NATS to take them from", async () => {
    const bad = project({
      nats: { servers: "http://x y" },
      triggers: [{ subject: "orders..created", stateMachine: "a:b", queue: "q.1" }, { subject: "a.>.b" }, { subject: "ok", stateMachine: "m", extra: 1 }],
    });
    const r = await runCli(["serve", "--in-memory", "--port", "0"], { cwd: bad });
    expect(r.code).toBe(2);
    for (const problem of [
      "nats.servers: 'http://x y' is not a NATS server URL",
      "triggers[0].subject: not a valid NATS subject: has an empty token",
      "triggers[0].stateMachine: expected a state machine name or ARN",
      "triggers[0].queue: a queue group name has no white space",
      "triggers[1].subject: not a valid NATS subject: has '>' before its last token",
      "triggers[1].stateMachine: required",
      "triggers[2].extra: unknown key",
    ]) expect(r.stderr).toContain(problem);
    const noNats = project({ triggers: [{ subject: "a", stateMachine: "m" }] });
    const r2 = await runCli(["serve", "--in-memory", "--port", "0"], { cwd: noNats });
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain("the config's triggers need NATS");
  });
});

function withMsgId(id: string): ReturnType<typeof natsHeaders> {
  const h = natsHeaders();
  h.set("Nats-Msg-Id", id);
  return h;
}
