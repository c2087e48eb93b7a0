/**
 * Aslan embedded, in memory: the engine API from the package root (`createEngine`), built
 * to dist/ by `npm run build`. Workloads with Retry intervals run with virtual time (the
 * engine skips to the next timer when nothing else can run), so they measure the engine,
 * not the sleep.
 *
 * `aslan-memory@<folder>` on the command line measures another build's dist folder (say a
 * baseline checkout's) side by side with this one: what a change bought, in one run.
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { repoRoot } from "../lib/workloads.mjs";

/**
 * The adapter for the build in `dist` (a folder holding index.js; default: this checkout's
 * dist/). `forget`: drop each execution once it has finished (`engine.forget(run)`), to
 * tell the cost of keeping finished executions from the cost of running them.
 */
export function aslanMemory(dist, { forget = false } = {}) {
  const index = pathToFileURL(resolve(repoRoot, dist ?? "dist", "index.js")).href;
  const base = forget ? "aslan-memory-forget" : "aslan-memory";
  const detail = [forget ? "engine.forget() after each execution" : "", dist ?? ""].filter(Boolean).join(", ");
  return {
    id: dist ? `${base}@${dist}` : base,
    label: detail ? `Aslan (in memory, ${detail})` : "Aslan (in memory)",
    isPeer: false,
    async available() {
      try {
        await import(index);
        return true;
      } catch (e) {
        return `cannot load ${index} (run npm run build): ${e.message}`;
      }
    },
    async open({ workload, definition, functions }) {
      const { createEngine } = await import(index);
      const engine = createEngine({ functions, ...(workload.skipTime ? { virtualTime: true } : {}) });
      const stateMachine = engine.createStateMachine(workload.file, definition);
      return {
        note: workload.skipTime ? "virtual time" : undefined,
        async run(input) {
          const run = engine.startExecution(stateMachine, input);
          const result = await engine.result(run);
          // The engine keeps finished executions (DescribeExecution, history) unless told to forget.
          if (forget) engine.forget(run);
          if (result.status !== "SUCCEEDED") throw new Error(`execution ${result.status}: ${result.error ?? ""} ${result.cause ?? ""}`);
          return result.output;
        },
        async close() {
          engine.close();
        },
      };
    },
  };
}

/** @type {import("./engine.mjs").EngineAdapter} */
export default aslanMemory();

/** `aslan-memory@<dist folder>`. */
export const variant = (dist) => aslanMemory(dist);
