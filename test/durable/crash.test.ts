/**
 * Crash tests with real processes: the built engine on an lmdb store in a worker process
 * (fixtures/durable-worker.mjs), killed with SIGKILL, then a new process on the same store
 * directory. Every execution finishes with the right output; its history has ids 1..n and
 * the events of an uninterrupted run (timestamps and task tokens aside); each task's side
 * effect (a line in the count file) happens once per attempt.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Engine } from "../../runtime/engine/engine.js";
import { VirtualClock } from "../../runtime/clock/virtual-clock.js";
import type { TaskFunctions } from "../../runtime/bus/task-functions.js";
import type { Json, JsonObject } from "../../translators/json.js";
import type { HistoryEvent } from "../../translators/xstate/actor-data.js";
import { ensureBuilt } from "../cli/built-cli.js";
import workflows from "./fixtures/workflows.json" with { type: "json" };
import { comparable, contiguityProblem } from "./helpers.js";
import { startWorker, type Worker } from "./worker-process.js";

interface Result {
  readonly arn: string;
  readonly status: string;
  readonly output?: string;
  readonly startDate: number;
  readonly stopDate?: number;
  readonly history: readonly HistoryEvent[];
}

interface CountLine {
  readonly fn: string;
  readonly arn: string;
  readonly state: string;
  readonly attempt: number;
  readonly key?: string;
}

let dir = "";
const workers: Worker[] = [];
const storeDir = (): string => join(dir, "store");
const countFile = (): string => join(dir, "count.jsonl");
const countLines = (): CountLine[] => readFileSync(countFile(), "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as CountLine);

function worker(): Worker {
  const w = startWorker(storeDir(), countFile());
  workers.push(w);
  return w;
}

beforeAll(ensureBuilt, 180_000);
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "aslan-crash-"));
});
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.kill()));
  rmSync(dir, { recursive: true, force: true });
});

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const reached = (w: Worker, arn: string, type: string) => async (): Promise<boolean> =>
  ((await w.request("history", { arn }))["history"] as HistoryEvent[]).some((e) => e.type === type);

/** The same workflow, uninterrupted, in memory on virtual time, with the worker's functions minus their side effects. */
async function uninterrupted(workflow: keyof typeof workflows, input: Json, answer?: Json): Promise<{ history: readonly HistoryEvent[]; token?: string }> {
  let token: string | undefined;
  const functions: TaskFunctions = {
    Count: (i) => ({ ...(i as JsonObject), counted: true }),
    Flaky: (i) => {
      if ((i as JsonObject)["attempt"] === 0) throw Object.assign(new Error("the first attempt fails"), { name: "Flaky" });
      return { attempt: (i as JsonObject)["attempt"] ?? null };
    },
    Once: (i) => ({ n: (i as JsonObject)["n"] ?? null }),
    Ask: (i) => {
      token = (i as JsonObject)["token"] as string;
      setTimeout(() => engine.sendTaskSuccess(token as string, answer ?? null), 1);
      return null;
    },
  };
  const engine = new Engine({ functions, virtualTime: true, clock: new VirtualClock(0) });
  try {
    const run = engine.startExecution(engine.createStateMachine(workflow, workflows[workflow]), input, "x");
    const { history } = await engine.result(run);
    return { history, ...(token !== undefined ? { token } : {}) };
  } finally {
    await engine.close();
  }
}

/** How many times the history scheduled a task in `state`. */
const scheduled = (history: readonly HistoryEvent[], state: string): number => {
  const entered = history.filter((e) => e.type.endsWith("StateEntered")).map((e) => ({ id: e.id, name: (e["stateEnteredEventDetails"] as JsonObject)["name"] }));
  const stateOf = (id: number): unknown => [...entered].reverse().find((e) => e.id < id)?.name;
  return history.filter((e) => /(Task|LambdaFunction)Scheduled$/.test(e.type) && stateOf(e.id) === state).length;
};

describe("kill -9 and restart", () => {
  it("executions in a Wait, a retry backoff and a callback task finish after the restart", async () => {
    const first = worker();
    await first.ready;
    const start = async (workflow: string, name: string, input: Json): Promise<string> => (await first.request("start", { workflow, name, input }))["arn"] as string;
    const wait = await start("wait", "in-a-wait", { x: 1 });
    const retry = await start("retry", "in-a-backoff", {});
    const callback = await start("callback", "on-a-token", { y: 2 });
    await until(reached(first, wait, "WaitStateEntered"), "the Wait");
    await until(reached(first, retry, "LambdaFunctionFailed"), "the first attempt's failure");
    const token = await first.untilToken(callback);
    await first.request("flushed");
    await first.kill();

    const second = worker();
    expect(await second.ready).toMatchObject({ recovered: 3, skipped: [] });
    const answer = { approved: true };
    await second.request("send", { token, output: answer });
    const { results } = (await second.request("results", { arns: [wait, retry, callback] })) as unknown as { results: Result[] };
    const [waited, retried, called] = results as [Result, Result, Result];

    expect(results.map((r) => r.status)).toEqual(["SUCCEEDED", "SUCCEEDED", "SUCCEEDED"]);
    expect(JSON.parse(waited.output ?? "")).toEqual({ x: 1, before: { step: "before", attempt: 0, in: { x: 1 }, counted: true }, after: { step: "after", attempt: 0, counted: true } });
    expect(JSON.parse(retried.output ?? "")).toEqual({ attempt: 1 });
    expect(JSON.parse(called.output ?? "")).toEqual({ answer, attempt: 0, counted: true });
    // The Wait took its whole 3 seconds, the restart included.
    expect((waited.stopDate ?? 0) - waited.startDate).toBeGreaterThanOrEqual(3000);

    for (const r of results) expect(contiguityProblem(r.history)).toBeUndefined();
    expect(comparable(waited.history)).toEqual(comparable((await uninterrupted("wait", { x: 1 })).history));
    expect(comparable(retried.history)).toEqual(comparable((await uninterrupted("retry", {})).history));
    const memory = await uninterrupted("callback", { y: 2 }, answer);
    expect(comparable(called.history, [token])).toEqual(comparable(memory.history, [memory.token ?? ""]));

    // One side effect per attempt: as many count lines as the history scheduled tasks, none twice.
    const lines = countLines();
    const keys = lines.map((l) => `${l.arn}|${l.state}|${l.attempt}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const r of results) {
      for (const state of new Set(lines.filter((l) => l.arn === r.arn).map((l) => l.state))) {
        expect(lines.filter((l) => l.arn === r.arn && l.state === state).length).toBe(scheduled(r.history, state));
      }
    }
    expect(lines.filter((l) => l.arn === retry).map((l) => l.attempt)).toEqual([0, 1]);
    expect(lines.filter((l) => l.fn === "Ask")).toHaveLength(1);
  }, 60_000);

  it("500 concurrent executions killed mid-flight: 500 finish", async () => {
    const first = worker();
    await first.ready;
    const { arns } = (await first.request("startMany", { workflow: "many", count: 500, prefix: "m" })) as unknown as { arns: string[] };
    // Mid-flight: tasks dispatched and answered, steps being committed, Waits armed.
    await new Promise((r) => setTimeout(r, Number(process.env["ASLAN_KILL_AFTER_MS"] ?? 50)));
    await first.kill();
    const before = countLines().length;

    const second = worker();
    const ready = await second.ready;
    expect(ready["skipped"]).toEqual([]);
    expect(ready["recovered"]).toBeGreaterThan(0);
    const { results, logged } = (await second.request("results", { arns, timeoutMs: 60_000 })) as unknown as { results: Result[]; logged: string[] };
    expect(logged).toEqual([]);
    expect(results.filter((r) => r.status === "SUCCEEDED")).toHaveLength(500);

    const shape = (h: readonly HistoryEvent[]): unknown[] => h.map((e) => [e.id, e.previousEventId, e.type]);
    const expected = shape((await uninterrupted("many", { n: 0 })).history);
    for (const [n, r] of results.entries()) {
      expect(JSON.parse(r.output ?? "")).toEqual({ n, first: n, second: n });
      expect(contiguityProblem(r.history)).toBeUndefined();
      expect(shape(r.history)).toEqual(expected);
    }
    // Each task applied once per execution, state entry and attempt, though those in flight at the kill were dispatched again.
    const lines = countLines().filter((l) => l.fn === "Once");
    expect(lines).toHaveLength(1000);
    expect(new Set(lines.map((l) => `${l.arn}|${l.state}`)).size).toBe(1000);
    expect(before).toBeLessThan(1000);
    if (process.env["ASLAN_KILL_AFTER_MS"]) console.log(JSON.stringify({ before, again: countLines().filter((l) => l.fn === "OnceAgain").length }));
  }, 120_000);
});
