/**
 * `aslan worker` as a user runs it (the built CLI in child processes, stopped by pid) on a
 * real nats-server, with a project config mapping a Lambda-like function that appends to a
 * file and waits for a release file: a task dispatched by a node's JetStreamTaskBus comes
 * back with its result; SIGTERM mid-task drains (the task finishes, exit 0); `kill -9`
 * mid-task hands the task to a second worker and the result comes once.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { connectJetStream, type JetStreamLink } from "../../runtime/nats/jetstream-connection.js";
import { ensureTaskStreams, JetStreamTaskBus, taskBusNames } from "../../runtime/nats/jetstream-task-bus.js";
import type { AnswerMessage } from "../../runtime/nats/wire.js";
import type { TaskReply, TaskRequest } from "../../runtime/ports/task-bus.js";
import { CLI, ensureBuilt, ROOT, runCli } from "../cli/built-cli.js";
import { startNatsServer, type NatsServer } from "../support/nats-server.js";

const FUNCTION = join(ROOT, "test/nats/fixtures/worker-append.mjs");

let server: NatsServer;
let dir: string;
let config: string;
let node: JetStreamLink;
let bus: JetStreamTaskBus;
const answers: AnswerMessage[] = [];
const workers: Worker[] = [];
let n = 0;

beforeAll(async () => {
  await ensureBuilt();
  server = await startNatsServer();
  dir = mkdtempSync(join(tmpdir(), "aslan-worker-cli-"));
  config = join(dir, "aslan.config.mjs");
  writeFileSync(config, `export default { functions: { append: { handler: ${JSON.stringify(FUNCTION)}, timeoutSeconds: 120 } } };\n`);
  node = await connectJetStream({ servers: server.url, name: "worker-test-node" });
  await ensureTaskStreams(node.jsm);
  bus = new JetStreamTaskBus({ js: node.js, jsm: node.jsm, routeOf: () => "lambda" });
  await bus.consumeAnswers(async (a) => {
    answers.push(a);
    return "done";
  });
}, 180_000);

afterEach(() => {
  // A test that failed midway leaves no process behind.
  for (const w of workers.splice(0)) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill("SIGKILL");
});

afterAll(async () => {
  await bus?.close();
  await node?.nc.close();
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** One `aslan worker` process and its JSON log lines so far. */
interface Worker {
  readonly child: ChildProcess;
  readonly lines: Record<string, unknown>[];
  readonly stderr: () => string;
  readonly exit: Promise<number | null>;
}

function startWorker(...extra: string[]): Worker {
  const child = spawn(process.execPath, [CLI, "worker", "--nats", server.url, "--adapters", "lambda", "--config", config, ...extra], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  const lines: Record<string, unknown>[] = [];
  let pending = "";
  let stderr = "";
  child.stdout?.on("data", (b: Buffer) => {
    pending += b.toString();
    const complete = pending.split("\n");
    pending = complete.pop() ?? "";
    // Every stdout line must be a JSON log line.
    for (const text of complete) lines.push(JSON.parse(text) as Record<string, unknown>);
  });
  child.stderr?.on("data", (b: Buffer) => (stderr += b.toString()));
  const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const worker = { child, lines, stderr: () => stderr, exit };
  workers.push(worker);
  return worker;
}

/** Resolves once `condition` holds; fails the test after `ms`. */
async function until(condition: () => boolean | Promise<boolean>, what: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const logged = (w: Worker, msg: string): Record<string, unknown> | undefined => w.lines.find((l) => l["msg"] === msg);

async function ready(w: Worker): Promise<Record<string, unknown>> {
  await until(() => logged(w, "worker ready") !== undefined || w.child.exitCode !== null, "the worker to be ready");
  const line = logged(w, "worker ready");
  if (!line) throw new Error(`aslan worker exited ${String(w.child.exitCode)}: ${w.stderr()}`);
  return line;
}

/** A task for the append function, its log file and release file. */
function appendTask(): { id: string; task: TaskRequest; log: string; release: string } {
  const id = `job${++n}`;
  const log = join(dir, `${id}.log`);
  const release = join(dir, `${id}.release`);
  writeFileSync(log, "");
  const task: TaskRequest = {
    taskId: `${id}-task`, resource: "arn:aws:states:::lambda:invoke", stateName: "Append",
    payload: { FunctionName: "append", Payload: { id, log, release } },
    executionArn: `arn:aws:states:us-east-1:123456789012:execution:flow:${id}`,
  };
  return { id, task, log, release };
}

const unusedReply: TaskReply = {
  started: () => undefined, succeeded: () => undefined, failed: () => undefined, heartbeat: () => undefined, isOpen: () => true,
};

const settled = (task: TaskRequest): AnswerMessage[] =>
  answers.filter((a) => a.executionArn === task.executionArn && (a.answer.type === "succeeded" || a.answer.type === "failed"));

const logLines = (log: string): string[] => readFileSync(log, "utf8").split("\n").filter((l) => l !== "");

async function queueEmpty(): Promise<boolean> {
  const names = taskBusNames();
  const [s, c] = await Promise.all([node.jsm.streams.info(names.tasksStream), node.jsm.consumers.info(names.answersStream, names.answersConsumer)]);
  return s.state.messages === 0 && c.num_pending === 0 && c.num_ack_pending === 0;
}

describe("aslan worker", () => {
  it("refuses an adapter the config does not give, naming those it does (exit 2, no stack trace)", async () => {
    const r = await runCli(["worker", "--adapters", "lambda,nope", "--config", config, "--nats", server.url], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no adapter 'nope' in this project \(its config gives: [^)]*lambda/);
    expect(r.stderr).not.toMatch(/^\s+at\s/m);
    const none = await runCli(["worker", "--config", config], { cwd: dir });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("aslan worker needs --adapters");
  });

  it("runs a task dispatched over the bus and sends its result back; SIGTERM when idle stops it with exit 0", async () => {
    const w = startWorker();
    expect(await ready(w)).toMatchObject({ adapters: ["lambda"], nats: server.url });
    const { id, task, log, release } = appendTask();
    writeFileSync(release, "");
    bus.dispatch(task, unusedReply);
    await until(() => settled(task).length === 1, "the result");
    expect(settled(task)[0]?.answer).toMatchObject({ type: "succeeded", output: { Payload: { appended: id }, StatusCode: 200 } });
    expect(answers.filter((a) => a.executionArn === task.executionArn).map((a) => a.answer.type)).toEqual(["started", "succeeded"]);
    expect(logLines(log)).toHaveLength(2);
    w.child.kill("SIGTERM");
    expect(await w.exit).toBe(0);
    expect(logged(w, "stopped")).toBeDefined();
  });

  it("SIGTERM mid-task: takes no more tasks, lets the running one finish and answer, then exits 0", async () => {
    const w = startWorker();
    await ready(w);
    const { task, log, release } = appendTask();
    bus.dispatch(task, unusedReply);
    await until(() => logLines(log).length === 1, "the function to start");
    w.child.kill("SIGTERM");
    await until(() => logged(w, "draining") !== undefined, "the worker to drain");
    // It cannot be done: the function waits for the release file.
    expect(w.child.exitCode).toBe(null);
    expect(settled(task)).toEqual([]);
    writeFileSync(release, "");
    expect(await w.exit).toBe(0);
    await until(() => settled(task).length === 1, "the result");
    expect(settled(task)[0]?.answer).toMatchObject({ type: "succeeded", output: { StatusCode: 200 } });
    expect(logLines(log)).toEqual([expect.stringMatching(/^start /), expect.stringMatching(/^end /)]);
    await until(queueEmpty, "the task to be acked");
  });

  it("kill -9 mid-task: a second worker gets the task after the ack wait, runs it, and the result comes once", async () => {
    const first = startWorker("--ack-wait", "2");
    await ready(first);
    const { task, log, release } = appendTask();
    bus.dispatch(task, unusedReply);
    await until(() => logLines(log).length === 1, "the first worker to start the function");
    first.child.kill("SIGKILL");
    await first.exit;
    const second = startWorker("--ack-wait", "2");
    await ready(second);
    await until(() => logLines(log).length === 2, "the second worker to start the function again");
    writeFileSync(release, "");
    await until(() => settled(task).length === 1, "the result");
    await until(queueEmpty, "the task and its answers to be acked");
    expect(settled(task)).toHaveLength(1);
    expect(settled(task)[0]?.answer).toMatchObject({ type: "succeeded", output: { StatusCode: 200 } });
    expect(logLines(log).map((l) => l.split(" ")[0])).toEqual(["start", "start", "end"]);
    second.child.kill("SIGTERM");
    expect(await second.exit).toBe(0);
  });
});
