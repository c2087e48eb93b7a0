/**
 * `aslan run --data-dir` on an execution nothing in the process can move on: it must not
 * hang (durable timers used to keep the process alive), it says which state waits for what,
 * exits 1, and leaves the execution RUNNING in the store for `aslan serve --data-dir`.
 * A short Wait is simply waited for; a long one (more than 60 s away) is reported.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SendTaskSuccessCommand, DescribeExecutionCommand } from "@aws-sdk/client-sfn";
import { LmdbExecutionStore } from "../../runtime/stores/lmdb-execution-store.js";
import { sfnAt } from "../durable-api/helpers.js";
import { CLI, ensureBuilt, writeIn, type CliOutcome } from "./built-cli.js";
import { serve, stop } from "./serve-process.js";

/** A hang is what these tests catch: the CLI is killed (by pid) after this long, and the test fails. */
const DEADLINE_MS = 30_000;

let dir: string;
const file = (name: string, content: unknown): string => writeIn(dir, name, content);

beforeAll(async () => {
  await ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), "aslan-run-stalled-"));
  file("fns.mjs", "export const ask = () => null;\nexport const never = () => new Promise(() => {});\n");
}, 180_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Runs the built CLI; kills it by pid if it is still running after DEADLINE_MS (`killed`). */
function aslanRun(args: readonly string[]): Promise<CliOutcome & { readonly killed: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, "run", ...args, "--functions", join(dir, "fns.mjs")], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let killed = false;
    const deadline = setTimeout(() => {
      killed = true;
      if (child.pid !== undefined) process.kill(child.pid, "SIGKILL");
    }, DEADLINE_MS);
    child.stdout.on("data", (b: Buffer) => (stdout += b.toString()));
    child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(deadline);
      resolve({ code, stdout, stderr, killed });
    });
  });
}

/** The execution as the store holds it after the CLI exited (and released the directory). */
async function stored(dataDir: string, arn: string): Promise<{ status: string | undefined; timers: number[] }> {
  const store = await LmdbExecutionStore.open({ path: dataDir });
  try {
    const execution = await store.load(arn);
    const timers = (await store.timersDue(Number.MAX_SAFE_INTEGER)).items.filter((t) => t.executionArn === arn).map((t) => t.dueAt);
    return { status: execution?.summary.status, timers };
  } finally {
    await store.close();
  }
}

const ASK = {
  StartAt: "Ask",
  States: { Ask: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken", Parameters: { FunctionName: "ask", Payload: { "token.$": "$$.Task.Token" } }, End: true } },
};

interface RunOutput {
  readonly executionArn: string;
  readonly status: string;
  readonly history: { readonly type: string; readonly [details: string]: unknown }[];
}

function expectStuck(r: CliOutcome & { readonly killed: boolean }, dataDir: string): RunOutput {
  expect(r.killed, "aslan run hung").toBe(false);
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/still RUNNING/);
  expect(r.stderr).toContain(`aslan serve --data-dir ${dataDir} continues it`);
  const out = JSON.parse(r.stdout) as RunOutput;
  expect(out.status).toBe("RUNNING");
  return out;
}

describe("aslan run --data-dir, an execution nothing here moves on", () => {
  it("a .waitForTaskToken task nobody answers: exit 1 naming the state and the wait; stored RUNNING; aslan serve --data-dir continues it", async () => {
    const dataDir = join(dir, "ask");
    const r = await aslanRun([file("ask.asl.json", ASK), "--data-dir", dataDir, "--json"]);
    const out = expectStuck(r, dataDir);
    expect(r.stderr).toContain("waiting for a task token (SendTaskSuccess) in state Ask");
    expect(await stored(dataDir, out.executionArn)).toEqual({ status: "RUNNING", timers: [] });

    // The token, from the TaskScheduled parameters the history shows.
    const scheduled = out.history.find((e) => e.type === "TaskScheduled")?.["taskScheduledEventDetails"] as { parameters: string };
    const token = (JSON.parse(scheduled.parameters) as { Payload: { token: string } }).Payload.token;
    const served = serve(["--port", "0", "--data-dir", dataDir, "--functions", join(dir, "fns.mjs"), "--log-level", "warn"]);
    try {
      const sfn = sfnAt(await served.url);
      await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"answer":42}' }));
      let described = await sfn.send(new DescribeExecutionCommand({ executionArn: out.executionArn }));
      for (let i = 0; i < 200 && described.status === "RUNNING"; i++) {
        await new Promise((res) => setTimeout(res, 25));
        described = await sfn.send(new DescribeExecutionCommand({ executionArn: out.executionArn }));
      }
      expect(described.status).toBe("SUCCEEDED");
      expect(JSON.parse(described.output ?? "null")).toEqual({ answer: 42 });
      sfn.destroy();
    } finally {
      expect(await stop(served, "SIGTERM")).toBe(0);
    }
  }, 60_000);

  it("a task function that never settles: exit 1 naming the state; stored RUNNING", async () => {
    const dataDir = join(dir, "never");
    const def = file("never.asl.json", { StartAt: "Call", States: { Call: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:123456789012:function:never", End: true } } });
    const r = await aslanRun([def, "--data-dir", dataDir, "--json"]);
    const out = expectStuck(r, dataDir);
    expect(r.stderr).toContain("waiting for its Lambda function to answer in state Call");
    expect((await stored(dataDir, out.executionArn)).status).toBe("RUNNING");
  }, 60_000);

  it("a Wait an hour away is not waited for: exit 1 with 'Wait until <time> in state Pause'; stored RUNNING with its timer", async () => {
    const dataDir = join(dir, "long-wait");
    const def = file("long.asl.json", { StartAt: "Pause", States: { Pause: { Type: "Wait", Seconds: 3600, Next: "Done" }, Done: { Type: "Pass", End: true } } });
    const before = Date.now();
    const r = await aslanRun([def, "--data-dir", dataDir, "--json"]);
    const out = expectStuck(r, dataDir);
    const due = /Wait until (\S+) in state Pause/.exec(r.stderr)?.[1];
    expect(due, r.stderr).toBeDefined();
    expect(r.stderr).toMatch(/waits only for timers due within 60 s/);
    const dueAt = Date.parse(due ?? "");
    expect(dueAt).toBeGreaterThanOrEqual(before + 3600_000);
    expect(await stored(dataDir, out.executionArn)).toEqual({ status: "RUNNING", timers: [dueAt] });
  }, 60_000);

  it("a short Wait is simply waited for: SUCCEEDED, exit 0", async () => {
    const dataDir = join(dir, "short-wait");
    const def = file("short.asl.json", { StartAt: "Pause", States: { Pause: { Type: "Wait", Seconds: 1, Next: "Done" }, Done: { Type: "Pass", End: true } } });
    const r = await aslanRun([def, "--data-dir", dataDir, "--json"]);
    expect(r.killed).toBe(false);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as RunOutput;
    expect(out.status).toBe("SUCCEEDED");
    expect((await stored(dataDir, out.executionArn)).status).toBe("SUCCEEDED");
  }, 60_000);

  it("--virtual-time: a task token nobody answers is reported at once; stored RUNNING", async () => {
    const dataDir = join(dir, "virtual");
    const r = await aslanRun([file("ask-virtual.asl.json", ASK), "--data-dir", dataDir, "--virtual-time", "--json"]);
    const out = expectStuck(r, dataDir);
    expect(r.stderr).toContain("waiting for a task token (SendTaskSuccess) in state Ask");
    expect((await stored(dataDir, out.executionArn)).status).toBe("RUNNING");
  }, 60_000);
});
