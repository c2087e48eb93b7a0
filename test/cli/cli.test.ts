/**
 * The `aslan` command as a user runs it: the built CLI (dist/) in a child process, with
 * definitions and inputs in a temp dir.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureBuilt, runCli, writeIn, type CliOutcome } from "./built-cli.js";

const aslan = (args: string[], cwd: string): Promise<CliOutcome> => runCli(args, { cwd });

const NO_STACK = /^\s+at\s/m;

let dir: string;
const file = (name: string, content: unknown): string => writeIn(dir, name, content);

beforeAll(async () => {
  await ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), "aslan-cli-"));
}, 180_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const ADD = {
  StartAt: "Add",
  States: { Add: { Type: "Pass", Parameters: { "sum.$": "States.MathAdd($.a, $.b)" }, End: true } },
};

describe("aslan run", () => {
  it("--json prints exactly one JSON object with the result and history; exit 0", async () => {
    const def = file("add.asl.json", ADD);
    const r = await aslan(["run", def, "--input", '{"a":2,"b":3}', "--json"], dir);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout.endsWith("\n")).toBe(true);
    expect(r.stdout.trimEnd().split("\n")).toHaveLength(1);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(out["status"]).toBe("SUCCEEDED");
    expect(out["output"]).toEqual({ sum: 5 });
    expect(String(out["executionArn"])).toMatch(/^arn:aws:states:[^:]+:\d{12}:execution:/);
    const history = out["history"] as { id: number; type: string; timestamp: string }[];
    expect(history.map((e) => e.type)).toEqual(["ExecutionStarted", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"]);
    expect(history.map((e) => e.id)).toEqual([1, 2, 3, 4]);
    expect(Number.isNaN(Date.parse(history[0]!.timestamp))).toBe(false);
  });

  it("--input @file reads the input from a file", async () => {
    const def = file("add2.asl.json", ADD);
    const input = file("input.json", { a: 40, b: 2 });
    const r = await aslan(["run", def, "--input", `@${input}`, "--json"], dir);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { output: unknown }).output).toEqual({ sum: 42 });
  });

  it("--input=value works as well as --input value; no --input means {}", async () => {
    const def = file("echo.asl.json", { StartAt: "E", States: { E: { Type: "Pass", End: true } } });
    const a = await aslan(["run", def, "--input=[1,2]", "--json"], dir);
    expect((JSON.parse(a.stdout) as { output: unknown }).output).toEqual([1, 2]);
    const b = await aslan(["run", def, "--json"], dir);
    expect((JSON.parse(b.stdout) as { output: unknown }).output).toEqual({});
  });

  it("a failed execution: one JSON object with error and cause, no output; exit 1", async () => {
    const def = file("fail.asl.json", { StartAt: "F", States: { F: { Type: "Fail", Error: "Order.Invalid", Cause: "no items" } } });
    const r = await aslan(["run", def, "--json"], dir);
    expect(r.code).toBe(1);
    expect(r.stdout.trimEnd().split("\n")).toHaveLength(1);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(out).toMatchObject({ status: "FAILED", error: "Order.Invalid", cause: "no items" });
    expect(out).not.toHaveProperty("output");
  });

  it("--virtual-time makes a one-hour Wait instant; the history keeps the hour", async () => {
    const def = file("wait.asl.json", { StartAt: "W", States: { W: { Type: "Wait", Seconds: 3600, End: true } } });
    const t0 = Date.now();
    const r = await aslan(["run", def, "--virtual-time", "--json"], dir);
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect(r.code).toBe(0);
    const history = (JSON.parse(r.stdout) as { history: { type: string; timestamp: string }[] }).history;
    const at = (type: string): number => Date.parse(history.find((e) => e.type === type)!.timestamp);
    expect(at("WaitStateExited") - at("WaitStateEntered")).toBe(3_600_000);
  });

  it("--virtual-time with an execution TimeoutSeconds ends TIMED_OUT; exit 1", async () => {
    const def = file("timeout.asl.json", { TimeoutSeconds: 5, StartAt: "W", States: { W: { Type: "Wait", Seconds: 3600, End: true } } });
    const r = await aslan(["run", def, "--virtual-time", "--json"], dir);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: "TIMED_OUT", error: "States.Timeout" });
  });

  it("without --json prints the status, the output and one line per history event", async () => {
    const def = file("add3.asl.json", ADD);
    const r = await aslan(["run", def, "--input", '{"a":1,"b":1}'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^SUCCEEDED\n/);
    expect(r.stdout).toContain('"sum": 2');
    expect(r.stdout).toContain("history (4 events)");
    expect(r.stdout).toMatch(/\n\s+1\s+\+\s*0\.000s\s+ExecutionStarted/);
  });

  it("--functions loads local task functions from a module", async () => {
    const fns = file("fns.mjs", `
      export function charge(input) { return { charged: input.amount * 100 }; }
      export function refuse() { const e = new Error("card blocked"); e.name = "CardDeclined"; throw e; }
    `);
    const ok = file("charge.asl.json", { StartAt: "C", States: { C: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:123456789012:function:charge", End: true } } });
    const r = await aslan(["run", ok, "--functions", fns, "--input", '{"amount":3}', "--json"], dir);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { output: unknown }).output).toEqual({ charged: 300 });
    const bad = file("refuse.asl.json", { StartAt: "C", States: { C: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:123456789012:function:refuse", End: true } } });
    const f = await aslan(["run", bad, "--functions", fns, "--json"], dir);
    expect(f.code).toBe(1);
    expect(JSON.parse(f.stdout)).toMatchObject({ status: "FAILED", error: "CardDeclined", cause: "card blocked" });
  });

  it("an execution nothing can finish (an unanswered task token) says so and exits 1 instead of exiting 0 silently", async () => {
    const fns = file("cb.mjs", "export const ask = () => null;");
    const def = file("cb.asl.json", {
      StartAt: "Ask",
      States: { Ask: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken", Parameters: { FunctionName: "ask", Payload: { "token.$": "$$.Task.Token" } }, End: true } },
    });
    const r = await aslan(["run", def, "--functions", fns, "--json"], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/still RUNNING/);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: "RUNNING" });
  });
});

describe("aslan validate", () => {
  it("a valid definition: exit 0", async () => {
    const def = file("valid.asl.json", ADD);
    const r = await aslan(["validate", def], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("valid");
  });

  it("lists every problem with its location; exit 1", async () => {
    const def = file("broken.asl.json", {
      StartAt: "Missing",
      States: {
        A: { Type: "Pass", Next: "Nowhere" },
        B: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:123456789012:function:f", Retry: [{ ErrorEquals: ["States.ALL"], BackoffRate: 0.5 }], End: true },
      },
    });
    const r = await aslan(["validate", def], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/ERROR \/StartAt: .*Missing/);
    expect(r.stdout).toMatch(/ERROR \/States\/A\/Next: .*Nowhere/);
    expect(r.stdout).toMatch(/ERROR \/States\/B\/Retry\/0\/BackoffRate: /);
    expect(r.stdout).toMatch(/error\(s\)/);
    expect(r.stdout + r.stderr).not.toMatch(NO_STACK);
  });

  it("a file that is not JSON: a diagnostic with the line and column; exit 1", async () => {
    const def = file("notjson.asl.json", '{"StartAt": "A",\n  States: {}}');
    const r = await aslan(["validate", def], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/line 2/);
  });
});

describe("bad input: a clear message on stderr, exit 2, no stack trace", () => {
  const expectUsageError = (r: CliOutcome, message: RegExp): void => {
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(NO_STACK);
    expect(r.stdout).toBe("");
  };

  it("a missing definition file", async () => {
    expectUsageError(await aslan(["run", join(dir, "nope.asl.json")], dir), /cannot read definition file .*nope\.asl\.json.*ENOENT/);
    expectUsageError(await aslan(["validate", join(dir, "nope.asl.json")], dir), /cannot read definition file/);
  });

  it("invalid JSON in --input", async () => {
    const def = file("in.asl.json", ADD);
    expectUsageError(await aslan(["run", def, "--input", "{a:1"], dir), /--input is not valid JSON/);
  });

  it("a missing --input @file", async () => {
    const def = file("in2.asl.json", ADD);
    expectUsageError(await aslan(["run", def, "--input", `@${join(dir, "absent.json")}`], dir), /cannot read input file/);
  });

  it("--input without a value", async () => {
    const def = file("in3.asl.json", ADD);
    expectUsageError(await aslan(["run", def, "--input"], dir), /--input needs a value/);
  });

  it("an invalid definition given to run: its diagnostics, with locations", async () => {
    const def = file("invalid.asl.json", { StartAt: "A", States: { A: { Type: "Pass", Next: "B" } } });
    const r = await aslan(["run", def], dir);
    expectUsageError(r, /invalid definition/);
    expect(r.stderr).toMatch(/\/States\/A\/Next/);
  });

  it("a definition file that is not JSON, given to run", async () => {
    const def = file("garbage.asl.json", "this is not json");
    expectUsageError(await aslan(["run", def], dir), /invalid definition[\s\S]*Invalid JSON/);
  });

  it("a functions module that cannot be loaded", async () => {
    const def = file("fn.asl.json", ADD);
    expectUsageError(await aslan(["run", def, "--functions", join(dir, "missing.mjs")], dir), /cannot load functions module/);
  });

  it("an unknown command and a missing file argument", async () => {
    expectUsageError(await aslan(["frobnicate"], dir), /unknown command 'frobnicate'/);
    expectUsageError(await aslan(["run"], dir), /needs a definition file/);
  });
});
