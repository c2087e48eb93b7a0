/**
 * The crash test as a user meets it: `aslan serve --data-dir` (the built CLI as a process)
 * driven with the AWS SDK; executions sit in a Wait, a retry backoff and a callback task;
 * the server is killed with SIGKILL and started again on the same data directory; each
 * execution finishes with the right output, its history has ids 1..n, and each task ran
 * once per attempt (one line per call in a count file).
 */
import { DescribeExecutionCommand, GetExecutionHistoryCommand, SendTaskSuccessCommand, CreateStateMachineCommand, SFNClient, StartExecutionCommand, type HistoryEvent as SdkEvent } from "@aws-sdk/client-sfn";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt } from "../cli/built-cli.js";
import { serve, stop, type Served } from "../cli/serve-process.js";
import workflows from "./fixtures/workflows.json" with { type: "json" };

const ROLE_ARN = "arn:aws:iam::123456789012:role/aslan";
const dir = mkdtempSync(join(tmpdir(), "aslan-serve-crash-"));
const countFile = join(dir, "count.jsonl");
const tokenFile = join(dir, "tokens.jsonl");
const running: Served[] = [];
const clients: SFNClient[] = [];

// The worker's task functions, as a --functions module: each call appends a line (its side effect).
const FUNCTIONS = `
import { appendFileSync } from "node:fs";
const record = (line) => appendFileSync(${JSON.stringify(countFile)}, JSON.stringify(line) + "\\n");
export const Count = (input) => (record({ fn: "Count", attempt: input.attempt }), { ...input, counted: true });
export const Flaky = (input) => {
  record({ fn: "Flaky", attempt: input.attempt });
  if (input.attempt === 0) throw Object.assign(new Error("the first attempt fails"), { name: "Flaky" });
  return { attempt: input.attempt };
};
export const Ask = (input) => {
  record({ fn: "Ask", attempt: input.attempt });
  appendFileSync(${JSON.stringify(tokenFile)}, input.token + "\\n");
  return null;
};
`;

function server(): Served {
  const served = serve(["--port", "0", "--log-level", "warn", "--data-dir", join(dir, "data"), "--functions", join(dir, "fns.mjs")]);
  running.push(served);
  return served;
}

function sfnAt(url: string): SFNClient {
  const c = new SFNClient({ endpoint: url, region: "us-east-1", maxAttempts: 1, credentials: { accessKeyId: "AKID", secretAccessKey: "s" } });
  clients.push(c);
  return c;
}

async function until<T>(get: () => Promise<T>, ok: (v: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const v = await get();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const historyOf = async (sfn: SFNClient, executionArn: string): Promise<SdkEvent[]> => (await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }))).events ?? [];
const countLines = (): { fn: string; attempt: number }[] => readFileSync(countFile, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as { fn: string; attempt: number });

beforeAll(async () => {
  await ensureBuilt();
  writeFileSync(join(dir, "fns.mjs"), FUNCTIONS);
}, 180_000);

afterAll(() => {
  for (const c of clients) c.destroy();
  for (const s of running) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

describe("aslan serve --data-dir, killed with SIGKILL", () => {
  it("executions in a Wait, a retry backoff and a callback task finish after the restart", async () => {
    const first = server();
    let sfn = sfnAt(await first.url);
    const start = async (name: keyof typeof workflows, input: object): Promise<string> => {
      const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name, definition: JSON.stringify(workflows[name]), roleArn: ROLE_ARN }));
      return (await sfn.send(new StartExecutionCommand({ stateMachineArn, name: `${name}-1`, input: JSON.stringify(input) }))).executionArn as string;
    };
    const wait = await start("wait", { x: 1 });
    const retry = await start("retry", {});
    const callback = await start("callback", { y: 2 });
    await until(() => historyOf(sfn, wait), (h) => h.some((e) => e.type === "WaitStateEntered"), "the Wait");
    await until(() => historyOf(sfn, retry), (h) => h.some((e) => e.type === "LambdaFunctionFailed"), "the first attempt's failure");
    await until(() => historyOf(sfn, callback), (h) => h.some((e) => e.type === "TaskSubmitted" || e.type === "TaskStarted"), "the callback task");
    // Let the last steps reach the disk before the kill.
    await new Promise((r) => setTimeout(r, 500));
    await stop(first, "SIGKILL");

    const second = server();
    sfn = sfnAt(await second.url);
    const token = readFileSync(tokenFile, "utf8").trim();
    await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ approved: true }) }));
    const outcome = async (arn: string): Promise<{ status: string | undefined; output: unknown; events: SdkEvent[] }> => {
      const d = await until(() => sfn.send(new DescribeExecutionCommand({ executionArn: arn })), (x) => x.status !== "RUNNING", arn);
      return { status: d.status, output: JSON.parse(d.output ?? "null") as unknown, events: await historyOf(sfn, arn) };
    };
    const [waited, retried, called] = [await outcome(wait), await outcome(retry), await outcome(callback)];
    expect(waited).toMatchObject({ status: "SUCCEEDED", output: { x: 1, before: { step: "before", attempt: 0, in: { x: 1 }, counted: true }, after: { step: "after", attempt: 0, counted: true } } });
    expect(retried).toMatchObject({ status: "SUCCEEDED", output: { attempt: 1 } });
    expect(called).toMatchObject({ status: "SUCCEEDED", output: { answer: { approved: true }, attempt: 0, counted: true } });
    for (const { events } of [waited, retried, called]) {
      expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
      expect(events.at(-1)?.type).toBe("ExecutionSucceeded");
    }
    expect(retried.events.map((e) => e.type)).toEqual([
      "ExecutionStarted", "TaskStateEntered", "LambdaFunctionScheduled", "LambdaFunctionStarted", "LambdaFunctionFailed",
      "LambdaFunctionScheduled", "LambdaFunctionStarted", "LambdaFunctionSucceeded", "TaskStateExited", "ExecutionSucceeded",
    ]);
    // One side effect per attempt: Count twice (Before, After) for the Wait, once after the callback; Flaky twice; Ask once.
    const byFn = (fn: string): number[] => countLines().filter((l) => l.fn === fn).map((l) => l.attempt);
    expect(byFn("Count")).toEqual([0, 0, 0]);
    expect(byFn("Flaky")).toEqual([0, 1]);
    expect(byFn("Ask")).toEqual([0]);
    expect(await stop(second, "SIGTERM")).toBe(0);
  }, 60_000);
});
