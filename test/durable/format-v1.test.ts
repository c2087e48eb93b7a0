/**
 * The engine's stored state, format version 1 (RUN_IMAGE_VERSION in
 * runtime/engine/persistence/run-image.ts): test/fixtures/engine-v1/data.mdb is an lmdb
 * store written by this engine with three executions left running (a Wait, a callback task
 * whose token was handed out, a task in flight inside a Parallel). This build must recover
 * and finish them, so a change that stops it reading version-1 state fails here.
 *
 * Keep the fixture when the format changes: add engine-v2/ beside it (and read version 1
 * still, or refuse it clearly). Rewrite it only while version 1 is the current format:
 *
 *     ASLAN_WRITE_ENGINE_FIXTURE=1 npx vitest run test/durable/format-v1.test.ts
 */
import { copyFile, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { VirtualClock } from "../../runtime/clock/virtual-clock.js";
import { Engine } from "../../runtime/engine/engine.js";
import type { TaskFunctions } from "../../runtime/bus/task-functions.js";
import { LmdbExecutionStore } from "../../runtime/stores/lmdb-execution-store.js";
import type { JsonObject } from "../../translators/json.js";
import { contiguityProblem, seededRandomness } from "./helpers.js";

const FIXTURE_DIR = fileURLToPath(new URL("../fixtures/engine-v1/", import.meta.url));
const T0 = 1_700_000_000_000;
const lambda = (name: string): string => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
const silent = { warn: () => {}, error: () => {} };

const definitions = {
  waiting: { StartAt: "Hold", States: { Hold: { Type: "Wait", Seconds: 3600, Next: "Done" }, Done: { Type: "Pass", Result: { waited: true }, End: true } } },
  callback: {
    StartAt: "Ask",
    States: { Ask: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken", Parameters: { FunctionName: "Ask", Payload: { "token.$": "$$.Task.Token" } }, End: true } },
  },
  inflight: {
    StartAt: "Both",
    States: {
      Both: {
        Type: "Parallel",
        Branches: [
          { StartAt: "Slow", States: { Slow: { Type: "Task", Resource: lambda("Slow"), End: true } } },
          { StartAt: "Quick", States: { Quick: { Type: "Pass", Result: "quick", End: true } } },
        ],
        End: true,
      },
    },
  },
};

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "aslan-engine-v1-"));
  dirs.push(dir);
  return dir;
}

/** Writes the fixture: three executions left waiting, on a clock that never moves. */
async function writeFixture(dir: string): Promise<void> {
  const store = await LmdbExecutionStore.open({ path: dir });
  const functions: TaskFunctions = { Ask: () => null, Slow: () => new Promise(() => {}) };
  const engine = new Engine({ store, functions, clock: { now: () => T0 }, randomness: seededRandomness(1), log: silent });
  await engine.start();
  for (const [name, definition] of Object.entries(definitions)) engine.startExecution(engine.createStateMachine(name, definition), { from: name }, "fixture");
  for (let i = 0; i < 20; i++) await engine.flushed();
  await engine.close();
  await store.close();
}

describe("engine state format version 1", () => {
  it.runIf(process.env["ASLAN_WRITE_ENGINE_FIXTURE"] === "1")("writes the fixture", async () => {
    const dir = await tempDir();
    await writeFixture(dir);
    await mkdir(FIXTURE_DIR, { recursive: true });
    await copyFile(join(dir, "data.mdb"), join(FIXTURE_DIR, "data.mdb"));
  });

  it("recovers and finishes executions written by version 1", async () => {
    const dir = await tempDir();
    await copyFile(join(FIXTURE_DIR, "data.mdb"), join(dir, "data.mdb"));
    const store = await LmdbExecutionStore.open({ path: dir });
    const slow: string[] = [];
    const engine = new Engine({ store, functions: { Ask: () => null, Slow: (input) => (slow.push("again"), { slow: input }) }, virtualTime: true, clock: new VirtualClock(T0), log: silent });
    try {
      expect(await engine.start()).toEqual({ recovered: 3, skipped: [] });
      const arn = (name: string): string => `arn:aws:states:us-east-1:123456789012:execution:${name}:fixture`;
      const scheduled = (await store.readHistory(arn("callback")))?.events.find((e) => e.type === "TaskScheduled");
      const token = (JSON.parse((scheduled?.["taskScheduledEventDetails"] as JsonObject)["parameters"] as string) as { Payload: { token: string } }).Payload.token;
      engine.sendTaskSuccess(token, { answered: true });

      const outcome = async (name: string): Promise<unknown> => {
        const run = engine.getExecution(arn(name));
        if (run) await engine.result(run);
        await engine.flushed();
        const stored = await store.load(arn(name));
        const history = (await store.readHistory(arn(name), { limit: 1000 }))?.events ?? [];
        expect(contiguityProblem(history)).toBeUndefined();
        return { status: stored?.summary.status, output: JSON.parse(stored?.summary.output ?? "null") as unknown, end: history.at(-1)?.timestamp };
      };
      expect(await outcome("waiting")).toEqual({ status: "SUCCEEDED", output: { waited: true }, end: T0 + 3_600_000 });
      expect(await outcome("callback")).toEqual({ status: "SUCCEEDED", output: { answered: true }, end: T0 });
      expect(await outcome("inflight")).toEqual({ status: "SUCCEEDED", output: [{ slow: { from: "inflight" } }, "quick"], end: T0 });
      expect(slow).toEqual(["again"]);
    } finally {
      await engine.close();
      await store.close();
    }
  });
});
