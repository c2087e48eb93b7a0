#!/usr/bin/env node
/**
 * `npm run bench`: every workload of ../shared/bench on every available engine, each
 * (engine, workload) in its own process. Per workload: outputs checked across engines
 * (a mismatch stops the run), a warm-up, then batches alternating the engines; the median
 * batch gives ms per execution. Then the memory check (many-small up to 100,000
 * executions) on the engines where it tells something (an adapter's `memoryCheck` says why
 * not). Writes bench/RESULTS.md (or --out), prints the table and the seconds it took, and
 * where they went (bench/results/latest.json has them per engine and phase).
 *
 * Flags: --quick (smoke run, writes bench/results/quick.md), --workloads=a,b,
 * --engines=a,b, --batches=N, --warmup-ms=N, --batch-ms=N, --fixed-batches (many-small's
 * full count per batch on every engine), --no-memory, --memory-engines=a,b, --out=FILE.
 */
import os from "node:os";
import { isDeepStrictEqual } from "node:util";
import { ENGINE_MODULES, loadEngine } from "./engines/index.mjs";
import { WORKLOADS, workloadById } from "./lib/workloads.mjs";
import { WorkerClient } from "./lib/worker-client.mjs";
import { median, firstDifference } from "./lib/stats.mjs";
import { machineInfo } from "./lib/machine.mjs";
import { renderReport, writeReport } from "./lib/report.mjs";

/**
 * warmupMs: per engine and workload. batchMs: batches are sized from the warm-up's rate to
 * take about this long (at least minPerBatch executions). Workloads with a fixed count
 * (many-small: 10,000 per batch) run that many on every engine that does them within
 * fixedMaxMs (by the warm-up's rate); a slower engine (durable, serve, JetStream one at a
 * time) gets batches sized to batchMs instead, but at least 3 × the executions in flight.
 * The full profile keeps the whole run (6 engines, build included) under 10 minutes on 2
 * cores.
 */
const PROFILES = {
  full: { warmupMs: 1000, batchMs: 1250, batches: 4, minPerBatch: 2, fixedExecutions: undefined, fixedMaxMs: 5000, memoryCheckpoints: [10_000, 50_000, 100_000] },
  quick: { warmupMs: 200, batchMs: 250, batches: 2, minPerBatch: 1, fixedExecutions: 1_000, fixedMaxMs: 1000, memoryCheckpoints: [1_000, 5_000, 10_000] },
};

/** Executions per batch for an engine that ran the warm-up at `msPerExecution`. */
function batchSize(workload, profile, msPerExecution, concurrency) {
  const byTime = Math.max(profile.minPerBatch, Math.round(profile.batchMs / msPerExecution));
  const fixed = workload.executions && (profile.fixedExecutions ?? workload.executions);
  if (!fixed) return byTime;
  if (profile.fixedByTime === false || fixed * msPerExecution <= profile.fixedMaxMs) return fixed;
  return Math.min(fixed, Math.max(byTime, 3 * concurrency));
}

/** The inputs whose outputs must agree across engines (many-small: both branches). */
const CHECK_INPUTS = [0, 1, 2, 3];

function parseArgs(argv) {
  const flags = Object.fromEntries(argv.filter((a) => a.startsWith("--")).map((a) => {
    const [k, v] = a.slice(2).split("=");
    return [k, v ?? true];
  }));
  const profile = { ...(flags.quick ? PROFILES.quick : PROFILES.full) };
  if (flags.batches) profile.batches = Number(flags.batches);
  if (flags["warmup-ms"]) profile.warmupMs = Number(flags["warmup-ms"]);
  if (flags["batch-ms"]) profile.batchMs = Number(flags["batch-ms"]);
  // Every engine runs many-small's full count per batch, however long that takes (as before the cap).
  if (flags["fixed-batches"]) profile.fixedByTime = false;
  return {
    quick: Boolean(flags.quick),
    profile,
    workloads: flags.workloads ? String(flags.workloads).split(",").map(workloadById) : WORKLOADS,
    engineIds: flags.engines ? String(flags.engines).split(",") : Object.keys(ENGINE_MODULES),
    memory: !flags["no-memory"],
    memoryEngines: typeof flags["memory-engines"] === "string" ? flags["memory-engines"].split(",") : undefined,
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
async function checkOutputs(workload, clients, times) {
  const answers = await Promise.all(clients.map((c, i) => timed(times[i], "check", () => c.call("check", { ns: CHECK_INPUTS }))));
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

const seconds = (since) => (performance.now() - since) / 1000;

/** Runs `fn`, adding its seconds to `times[phase]`. */
async function timed(times, phase, fn) {
  const t = performance.now();
  try {
    return await fn();
  } finally {
    times[phase] = (times[phase] ?? 0) + seconds(t);
  }
}

/**
 * One workload on every engine that runs it: check, warm up, alternate batches, collect.
 * An engine whose adapter says it does not run this workload gets a row saying why.
 */
async function benchWorkload(workload, allEngines, profile) {
  const engines = allEngines.filter((e) => !e.unsupported?.(workload));
  const clients = [];
  const times = engines.map(() => ({}));
  try {
    // Workers start (and open their sessions: a server, a store) side by side; nothing is timed yet.
    const started = await Promise.allSettled(engines.map((e, i) => timed(times[i], "start", () => WorkerClient.start(e.id, workload.id))));
    for (const s of started) if (s.status === "fulfilled") clients.push(s.value);
    const failed = started.find((s) => s.status === "rejected");
    if (failed) throw failed.reason;
    await checkOutputs(workload, clients, times);
    const concurrency = workload.concurrency ?? 1;
    const sizes = [];
    for (const [i, c] of clients.entries()) {
      const w = await timed(times[i], "warmup", () => c.call("warmup", { ms: profile.warmupMs, min: concurrency, concurrency }));
      sizes.push(batchSize(workload, profile, w.msPerExecution, concurrency));
    }
    const batches = clients.map(() => []);
    for (let b = 0; b < profile.batches; b++) {
      // Alternate which engine goes first, so drift on a noisy machine hits both alike.
      const order = clients.map((_, i) => i);
      if (b % 2) order.reverse();
      for (const i of order) batches[i].push(await timed(times[i], "batches", () => clients[i].call("batch", { executions: sizes[i], concurrency })));
    }
    const stats = await Promise.all(clients.map((c) => c.call("stats")));
    return allEngines.map((e) => {
      const i = engines.indexOf(e);
      if (i < 0) return { engine: e.id, label: e.label, isPeer: e.isPeer, skipped: e.unsupported(workload) };
      const perExec = batches[i].map((x) => x.ms / x.executions);
      const msPerExecution = median(perExec);
      return {
        engine: e.id, label: e.label, isPeer: e.isPeer, note: clients[i].note,
        executionsPerBatch: sizes[i], batches: batches[i].length,
        msPerExecution, minMs: Math.min(...perExec), maxMs: Math.max(...perExec),
        executionsPerSecond: 1000 / msPerExecution,
        transitionsPerSecond: (1000 / msPerExecution) * workload.statesEntered,
        peakRssBytes: stats[i].maxRssKB * 1024,
        seconds: times[i],
      };
    });
  } finally {
    await Promise.all(clients.map((c, i) => timed(times[i], "stop", () => c.stop())));
  }
}

/**
 * Which engines the memory check runs on: `--memory-engines=` when given, else every
 * engine whose adapter does not say why it is left out (`memoryCheck`).
 */
function memoryEngines(engines, only) {
  if (only) return { checked: engines.filter((e) => only.includes(e.id)), left: [] };
  return {
    checked: engines.filter((e) => !e.memoryCheck),
    left: engines.filter((e) => e.memoryCheck).map((e) => ({ engine: e.id, label: e.label, reason: e.memoryCheck })),
  };
}

/** RSS and heap after N finished many-small executions (100 in flight), each engine in its own process. */
async function memoryCheck(engines, checkpoints) {
  const results = [];
  for (const e of engines) {
    log(`memory: ${e.label}`);
    const t = performance.now();
    const client = await WorkerClient.start(e.id, "many-small-100");
    try {
      const { points } = await client.call("memoryCheck", { checkpoints, concurrency: 100, chunk: 1000 }, 600_000);
      results.push({ engine: e.id, label: e.label, points });
    } finally {
      await client.stop();
    }
    results[results.length - 1].seconds = seconds(t);
    log(`memory: ${e.label} (${seconds(t).toFixed(1)} s)`);
  }
  return results;
}

/** Seconds per engine (all workloads) and for the memory check, for the log and the report. */
export function timeSpent(run) {
  const perEngine = {};
  for (const { rows } of run.workloads) {
    for (const r of rows) {
      if (!r.seconds) continue;
      const total = Object.values(r.seconds).reduce((a, b) => a + b, 0);
      perEngine[r.engine] = (perEngine[r.engine] ?? 0) + total;
    }
  }
  const memory = Object.fromEntries(run.memory.map((m) => [m.engine, m.seconds ?? 0]));
  return { perEngine, memory, workloads: Object.fromEntries(run.workloads.map((w) => [w.workload.id, w.seconds])) };
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
    workloads.push({ workload: w, rows, seconds: seconds(t) });
    const spent = (r) => Object.values(r.seconds).reduce((a, b) => a + b, 0).toFixed(1);
    log(`${w.id}: ${rows.map((r) => (r.skipped ? `${r.engine} not run` : `${r.engine} ${r.msPerExecution.toFixed(3)} ms (${spent(r)} s)`)).join(", ")} (${seconds(t).toFixed(1)} s)`);
  }
  const { checked, left } = memoryEngines(engines, args.memoryEngines);
  const memory = args.memory ? await memoryCheck(checked, args.profile.memoryCheckpoints) : [];
  const run = {
    machine, args: { quick: args.quick, profile: args.profile }, skipped, workloads, memory, memoryLeftOut: args.memory ? left : [],
    loadAtEnd: os.loadavg()[0], seconds: seconds(started),
  };
  const markdown = renderReport(run);
  await writeReport(args.out, markdown, run);
  process.stdout.write(`${markdown}\n`);
  const spent = timeSpent(run);
  log(`bench: time per engine (all workloads, start to stop): ${Object.entries(spent.perEngine).map(([e, s]) => `${e} ${s.toFixed(0)} s`).join(", ")}`);
  if (run.memory.length) log(`bench: memory check: ${Object.entries(spent.memory).map(([e, s]) => `${e} ${s.toFixed(0)} s`).join(", ")}`);
  log(`bench: wrote ${args.out}; whole run ${run.seconds.toFixed(0)} s (this process, after the build)`);
}

main().catch((e) => {
  log(`bench FAILED: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
