/**
 * One engine running one workload, in its own process (so its peak RSS is its own). The
 * parent (bench/run.mjs) sends one command at a time over IPC and waits for the answer.
 * Usage: fork(worker.mjs, [engineId, workloadId, optionsJson]) with --expose-gc.
 */
import { loadEngine } from "../engines/index.mjs";
import { loadDefinition, taskFunctions, workloadById } from "./workloads.mjs";
import { runMany } from "./run-many.mjs";

const [engineId, workloadId, optionsJson = "{}"] = process.argv.slice(2);
const options = JSON.parse(optionsJson);
const workload = workloadById(workloadId);
const adapter = await loadEngine(engineId);
const session = await adapter.open({ workload, definition: loadDefinition(workload), functions: taskFunctions(), ...options });
/** Execution numbers for timed runs start past the ones the output check uses. */
let nextN = 1000;

/** A GC here, and in the engine's own process when it has one (aslan-serve). */
async function gc() {
  if (typeof globalThis.gc === "function") {
    globalThis.gc();
    globalThis.gc();
  }
  await session.collectGarbage?.();
}

function inputs(count) {
  return Array.from({ length: count }, () => workload.input(nextN++));
}

/** The engine's memory: this process's, or its own process's when it runs in another. */
async function memory() {
  if (session.memory) return session.memory();
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, maxRssKB: process.resourceUsage().maxRSS };
}

const commands = {
  /** The outputs for fixed inputs, compared across engines before any timing. */
  async check({ ns }) {
    const outputs = [];
    for (const n of ns) outputs.push(await session.run(workload.input(n)));
    return { outputs };
  },
  /** Runs for about `ms` (at least `min` executions); returns the estimated ms per execution. */
  async warmup({ ms, min, concurrency }) {
    let done = 0;
    const start = performance.now();
    while (done < min || performance.now() - start < ms) {
      const count = Math.max(concurrency, 1);
      await runMany(session, inputs(count), concurrency);
      done += count;
    }
    return { executions: done, msPerExecution: (performance.now() - start) / done };
  },
  /** One timed batch; inputs are built before the clock starts. */
  async batch({ executions, concurrency }) {
    const list = inputs(executions);
    await gc();
    const start = performance.now();
    await runMany(session, list, concurrency);
    return { ms: performance.now() - start, executions };
  },
  /** Runs up to each checkpoint (executions finished), then GCs and measures memory. */
  async memoryCheck({ checkpoints, concurrency, chunk }) {
    const points = [];
    let done = 0;
    for (const target of checkpoints) {
      while (done < target) {
        const count = Math.min(chunk, target - done);
        await runMany(session, inputs(count), concurrency);
        done += count;
      }
      await gc();
      points.push({ executions: done, ...(await memory()) });
    }
    return { points };
  },
  async stats() {
    return memory();
  },
};

process.on("message", async (msg) => {
  try {
    const fn = commands[msg.type];
    if (!fn) throw new Error(`unknown command ${msg.type}`);
    process.send({ id: msg.id, ok: true, value: await fn(msg) });
  } catch (e) {
    process.send({ id: msg.id, ok: false, error: e instanceof Error ? e.stack ?? e.message : String(e) });
  }
});
process.on("disconnect", () => {
  void session.close().finally(() => process.exit(0));
});
process.send({ id: 0, ok: true, value: { ready: true, note: session.note ?? null } });
