#!/usr/bin/env node
/**
 * Profiles one workload on one engine in this process and prints the hottest functions.
 *   node bench/profile.mjs <workload> [--engine=aslan-memory] [--seconds=10] [--concurrency=N]
 * Writes bench/results/<engine>-<workload>.cpuprofile (open it in Chrome DevTools or
 * speedscope). Same as `node --cpu-prof`, with the summary printed. Run `npm run build` first.
 */
import { Session } from "node:inspector/promises";
import { mkdir, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { loadEngine } from "./engines/index.mjs";
import { loadDefinition, repoRoot, taskFunctions, workloadById } from "./lib/workloads.mjs";
import { runMany } from "./lib/run-many.mjs";
import { summarize } from "./lib/cpuprofile.mjs";

const args = process.argv.slice(2);
const flag = (name, fallback) => args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback;
const workload = workloadById(args.find((a) => !a.startsWith("--")) ?? "task-chain-20");
const engineId = flag("engine", "aslan-memory");
const seconds = Number(flag("seconds", "10"));
const concurrency = Number(flag("concurrency", String(workload.concurrency ?? 1)));

const adapter = await loadEngine(engineId);
const session = await adapter.open({ workload, definition: loadDefinition(workload), functions: taskFunctions() });
let n = 1000;
const batch = () => runMany(session, Array.from({ length: Math.max(concurrency, 1) }, () => workload.input(n++)), concurrency);

// Warm up for a second so the profile shows optimised code.
for (const t0 = performance.now(); performance.now() - t0 < 1000; ) await batch();
const inspector = new Session();
inspector.connect();
await inspector.post("Profiler.enable");
await inspector.post("Profiler.setSamplingInterval", { interval: 100 });
await inspector.post("Profiler.start");
const start = performance.now();
let executions = 0;
while (performance.now() - start < seconds * 1000) {
  await batch();
  executions += Math.max(concurrency, 1);
}
const elapsed = performance.now() - start;
const { profile } = await inspector.post("Profiler.stop");
inspector.disconnect();
await session.close();

const out = resolve(repoRoot, "bench", "results", `${engineId.replace(/[^\w.-]+/g, "_")}-${workload.id}.cpuprofile`);
await mkdir(resolve(repoRoot, "bench", "results"), { recursive: true });
await writeFile(out, JSON.stringify(profile));
console.log(`${engineId} ${workload.id}: ${executions} executions in ${(elapsed / 1000).toFixed(1)} s, ${(elapsed / executions).toFixed(3)} ms/exec; profile: ${out}\n`);
console.log(summarize(profile, { top: Number(flag("top", "25")), root: repoRoot }));
