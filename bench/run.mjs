#!/usr/bin/env node
/**
 * `npm run bench`: every workload of ../shared/bench on every available engine, each
 * (engine, workload) in its own process. Per workload: outputs checked across engines
 * (a mismatch stops the run), a warm-up, then batches alternating the engines; the median
 * batch gives ms per execution. Then the memory check (many-small up to 100,000
 * executions). Writes bench/RESULTS.md (or --out) and prints the table.
 *
 * Flags: --quick (smoke run, writes bench/results/quick.md), --workloads=a,b,
 * --engines=a,b, --batches=N, --no-memory, --out=FILE.
 */
import os from "node:os";
import { isDeepStrictEqual } from "node:util";
import { ENGINE_MODULES, loadEngine } from "./engines/index.mjs";
import { WORKLOADS, workloadById } from "./lib/workloads.mjs";
import { WorkerClient } from "./lib/worker-client.mjs";
import { median, firstDifference } from "./lib/stats.mjs";
import { machineInfo } from "./lib/machine.mjs";
import { renderReport, writeReport } from "./lib/report.mjs";

const PROFILES = {
  full: { warmupMs: 1500, batchMs: 1500, batches: 5, minPerBatch: 2, fixedExecutions: undefined, memoryCheckpoints: [10_000, 50_000, 100_000] },
  quick: { warmupMs: 200, batchMs: 250, batches: 2, minPerBatch: 1, fixedExecutions: 1_000, memoryCheckpoints: [1_000, 5_000, 10_000] },
};
/** The inputs whose outputs must agree across engines (many-small: both branches). */
const CHECK_INPUTS = [0, 1, 2, 3];

function parseArgs(argv) {
  const flags = Object.fromEntries(argv.filter((a) => a.startsWith("--")).map((a) => {
    const [k, v] = a.slice(2).split("=");
    return [k, v ?? true];
  }));
  const profile = { ...(flags.quick ? PROFILES.quick : PROFILES.full) };
  if (flags.batches) profile.batches = Number(flags.batches);
  return {
    quick: Boolean(flags.quick),
    profile,
    workloads: flags.workloads ? String(flags.workloads).split(",").map(workloadById) : WORKLOADS,
    engineIds: flags.engines ? String(flags.engines).split(",") : Object.keys(ENGINE_MODULES),
    memory: !flags["no-memory"],
    out: typeof flags.out === "string" ? flags.out : flags.quick ? "bench/results/quick.md" : "bench/RESULTS.md",
  };
}

function log(line) {
  process.stderr.write(`${line}\n`);
}

/** Engines that can run here; the others are listed in the results with the reason. */
async function availableEngines(ids) {
  const engines = [];
  const skipped = [];
  for (const id of ids) {
    const adapter = await loadEngine(id);
    const ok = await adapter.available();
    if (ok === true) engines.push(adapter);
    else skipped.push({ id, label: adapter.label, reason: ok });
  }
  if (!engines.some((e) => e.isPeer)) log("note: the peer is not among the engines, so no ratios");
  return { engines, skipped };
}

/** Every engine's outputs for the check inputs must equal the first engine's. */
async function checkOutputs(workload, clients) {
  const answers = await Promise.all(clients.map((c) => c.call("check", { ns: CHECK_INPUTS })));
  const [reference, ...others] = answers;
  others.forEach((answer, i) => {
    if (isDeepStrictEqual(reference.outputs, answer.outputs)) return;
    const d = firstDifference(reference.outputs, answer.outputs);
    throw new Error(
      `OUTPUT MISMATCH on ${workload.id}: ${clients[0].name} and ${clients[i + 1].name} differ at ${d?.path}\n` +
        `  ${clients[0].name}: ${JSON.stringify(d?.left)?.slice(0, 500)}\n  ${clients[i + 1].name}: ${JSON.stringify(d?.right)?.slice(0, 500)}`,
    );
  });
}

/** One workload on every engine: check, warm up, alternate batches, collect. */
async function benchWorkload(workload, engines, profile) {
  const clients = [];
  try {
    for (const e of engines) clients.push(await WorkerClient.start(e.id, workload.id));
    await checkOutputs(workload, clients);
    const concurrency = workload.concurrency ?? 1;
    const sizes = [];
    for (const c of clients) {
      const w = await c.call("warmup", { ms: profile.warmupMs, min: concurrency, concurrency });
      const fixed = workload.executions && (profile.fixedExecutions ?? workload.executions);
      sizes.push(fixed || Math.max(profile.minPerBatch, Math.round(profile.batchMs / w.msPerExecution)));
    }
    const batches = clients.map(() => []);
    for (let b = 0; b < profile.batches; b++) {
      // Alternate which engine goes first, so drift on a noisy machine hits both alike.
      const order = clients.map((_, i) => i);
      if (b % 2) order.reverse();
      for (const i of order) batches[i].push(await clients[i].call("batch", { executions: sizes[i], concurrency }));
    }
    const stats = await Promise.all(clients.map((c) => c.call("stats")));
    return engines.map((e, i) => {
      const msPerExecution = median(batches[i].map((x) => x.ms / x.executions));
      const perExec = batches[i].map((x) => x.ms / x.executions);
      return {
        engine: e.id, label: e.label, isPeer: e.isPeer, note: clients[i].note,
        executionsPerBatch: sizes[i], batches: batches[i].length,
        msPerExecution, minMs: Math.min(...perExec), maxMs: Math.max(...perExec),
        executionsPerSecond: 1000 / msPerExecution,
        transitionsPerSecond: (1000 / msPerExecution) * workload.statesEntered,
        peakRssBytes: stats[i].maxRssKB * 1024,
      };
    });
  } finally {
    await Promise.all(clients.map((c) => c.stop()));
  }
}

/** RSS and heap after N finished many-small executions (100 in flight), each engine in its own process. */
async function memoryCheck(engines, checkpoints) {
  const results = [];
  for (const e of engines) {
    log(`memory: ${e.label}`);
    const client = await WorkerClient.start(e.id, "many-small-100");
    try {
      const { points } = await client.call("memoryCheck", { checkpoints, concurrency: 100, chunk: 1000 }, 600_000);
      results.push({ engine: e.id, label: e.label, points });
    } finally {
      await client.stop();
    }
  }
  return results;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const started = performance.now();
  const machine = machineInfo();
  const { engines, skipped } = await availableEngines(args.engineIds);
  log(`bench: ${engines.map((e) => e.id).join(", ")} on ${machine.cpu} (${machine.cores} cores), Node ${machine.node}${args.quick ? ", --quick" : ""}`);
  const workloads = [];
  for (const w of args.workloads) {
    const t = performance.now();
    const rows = await benchWorkload(w, engines, args.profile);
    workloads.push({ workload: w, rows });
    log(`${w.id}: ${rows.map((r) => `${r.engine} ${r.msPerExecution.toFixed(3)} ms`).join(", ")} (${((performance.now() - t) / 1000).toFixed(1)} s)`);
  }
  const memory = args.memory ? await memoryCheck(engines, args.profile.memoryCheckpoints) : [];
  const run = { machine, args: { quick: args.quick, profile: args.profile }, skipped, workloads, memory, loadAtEnd: os.loadavg()[0], seconds: (performance.now() - started) / 1000 };
  const markdown = renderReport(run);
  await writeReport(args.out, markdown, run);
  process.stdout.write(`${markdown}\n`);
  log(`bench: wrote ${args.out} in ${run.seconds.toFixed(0)} s`);
}

main().catch((e) => {
  log(`bench FAILED: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
