/**
 * Aslan embedded with durable Standard executions: the engine on an lmdb store in a fresh
 * temporary directory (`createEngine({ store })`, then `engine.start()`). Every step is
 * committed (synced to disk, group commits across executions in flight) before its
 * effects run, and an execution's result is given out once its end is stored; finished
 * executions leave memory once stored. Compare with aslan-memory in the same run.
 *
 * `aslan-durable@committed`: writes count as done once committed, without waiting for the
 * disk sync (they survive a crash of the process, not of the machine).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { repoRoot } from "../lib/workloads.mjs";

const dist = resolve(repoRoot, "dist");
const index = pathToFileURL(join(dist, "index.js")).href;
const stores = pathToFileURL(join(dist, "runtime/stores/index.js")).href;

export function aslanDurable({ durability = "flushed" } = {}) {
  const committed = durability === "committed";
  return {
    id: committed ? "aslan-durable@committed" : "aslan-durable",
    label: committed ? "Aslan (durable, lmdb, no disk sync)" : "Aslan (durable, lmdb)",
    isPeer: false,
    async available() {
      try {
        await import(index);
        await import(stores);
        return true;
      } catch (e) {
        return `cannot load ${index} (run npm run build): ${e.message}`;
      }
    },
    async open({ workload, definition, functions }) {
      const { createEngine } = await import(index);
      const { LmdbExecutionStore } = await import(stores);
      const dir = mkdtempSync(join(tmpdir(), "aslan-bench-durable-"));
      const store = await LmdbExecutionStore.open({ path: dir, durability });
      const engine = createEngine({ functions, store, ...(workload.skipTime ? { virtualTime: true } : {}) });
      await engine.start();
      const stateMachine = engine.createStateMachine(workload.file, definition);
      return {
        note: [workload.skipTime ? "virtual time" : "", committed ? "no disk sync" : "synced commits"].filter(Boolean).join(", "),
        async run(input) {
          const result = await engine.result(engine.startExecution(stateMachine, input));
          if (result.status !== "SUCCEEDED") throw new Error(`execution ${result.status}: ${result.error ?? ""} ${result.cause ?? ""}`);
          return result.output;
        },
        async close() {
          await engine.close();
          await store.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  };
}

/** @type {import("./engine.mjs").EngineAdapter} */
export default aslanDurable();

/** `aslan-durable@committed`: no disk sync per commit. */
export const variant = (durability) => aslanDurable({ durability });
