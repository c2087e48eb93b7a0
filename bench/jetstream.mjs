#!/usr/bin/env node
/**
 * `npm run bench:jetstream` (issue #6): task round trips per second through JetStream on
 * loopback, and whole executions in distributed mode, each against the embedded
 * equivalent in the same run. Starts its own nats-server (free loopback port, temp store,
 * stopped by pid), measures every row as warm-up then alternating batches, prints a
 * markdown table and replaces the "JetStream" section of bench/RESULTS.md (or --out).
 *
 * Flags: --quick (smoke run, writes bench/results/jetstream-quick.md), --batches=N, --out=FILE.
 * Runs on the built code: `npm run build` first (the npm script does).
 */
import os from "node:os";
import { isDeepStrictEqual } from "node:util";
import aslanMemory from "./engines/aslan-memory.mjs";
import { distributedEngine } from "./lib/jetstream-engine.mjs";
import { renderJetStreamReport, writeJetStreamReport } from "./lib/jetstream-report.mjs";
import { openEmbeddedRoundTrips, openJetStreamRoundTrips } from "./lib/jetstream-roundtrips.mjs";
import { natsServerVersion, startNatsServer } from "./lib/jetstream-server.mjs";
import { machineInfo } from "./lib/machine.mjs";
import { runMany } from "./lib/run-many.mjs";
import { firstDifference, median } from "./lib/stats.mjs";
import { loadDefinition, smallInput, taskFunctions, workloadById } from "./lib/workloads.mjs";

const PROFILES = {
  full: { warmupMs: 1500, batchMs: 1500, batches: 5, minPerBatch: 3 },
  quick: { warmupMs: 200, batchMs: 300, batches: 2, minPerBatch: 1 },
};
/** Round trips with one task in flight (latency) and with many (throughput). */
const ROUND_TRIP_CONCURRENCY = [1, 100];
/** Workloads run whole, and how many executions in flight. */
const EXECUTIONS = [
  { workload: "task-chain-20", concurrency: [1, 10] },
  { workload: "many-small", concurrency: [100] },
];
/** Tasks a worker runs at once: above every in-flight count, so the bus is measured, not this cap. */
const WORKER_CONCURRENCY = 128;
const CHECK_INPUTS = [0, 1, 2, 3];
/** Batches may hold at least this many times the in-flight count, so the tail of a batch weighs little. */
const LANES_PER_BATCH = 3;

function log(line) {
  process.stderr.write(`${line}\n`);
}

function parseArgs(argv) {
  const flags = Object.fromEntries(argv.filter((a) => a.startsWith("--")).map((a) => {
    const [k, v] = a.slice(2).split("=");
    return [k, v ?? true];
  }));
  const quick = Boolean(flags.quick);
  const profile = { ...(quick ? PROFILES.quick : PROFILES.full) };
  if (flags.batches) profile.batches = Number(flags.batches);
  const out = typeof flags.out === "string" ? flags.out : quick ? "bench/results/jetstream-quick.md" : "bench/RESULTS.md";
  return { quick, profile, out };
}

function gc() {
  globalThis.gc?.();
}

/** A side of a comparison: a session and where its next input number starts. */
function side(name, session, input) {
  let next = 1000;
  return { name, session, inputs: (count) => Array.from({ length: count }, () => input(next++)) };
}

/** Runs for about `ms`; returns the ms per operation seen. */
async function warmup(s, concurrency, ms) {
  let done = 0;
  const start = performance.now();
  while (performance.now() - start < ms || done < concurrency) {
    await runMany(s.session, s.inputs(concurrency), concurrency);
    done += concurrency;
  }
  return (performance.now() - start) / done;
}

/** One row: both sides warmed up, then batches alternating which goes first; medians. */
async function measure(label, concurrency, sides, profile) {
  const sizes = [];
  for (const s of sides) {
    const msPerOp = await warmup(s, concurrency, profile.warmupMs);
    sizes.push(Math.max(profile.minPerBatch, LANES_PER_BATCH * concurrency, Math.round(profile.batchMs / msPerOp)));
  }
  const perOp = sides.map(() => []);
  for (let b = 0; b < profile.batches; b++) {
    const order = sides.map((_, i) => i);
    if (b % 2) order.reverse();
    for (const i of order) {
      const list = sides[i].inputs(sizes[i]);
      gc();
      const start = performance.now();
      await runMany(sides[i].session, list, concurrency);
      perOp[i].push((performance.now() - start) / sizes[i]);
    }
  }
  const [embedded, jetstream] = sides.map((_, i) => {
    const msPerOp = median(perOp[i]);
    return {
      msPerOp, perSecond: 1000 / msPerOp, perBatch: sizes[i], batches: perOp[i].length,
      minPerSecond: 1000 / Math.max(...perOp[i]), maxPerSecond: 1000 / Math.min(...perOp[i]),
    };
  });
  log(`${label}, ${concurrency} in flight: embedded ${embedded.perSecond.toFixed(0)}/s, JetStream ${jetstream.perSecond.toFixed(1)}/s`);
  return { label, concurrency, embedded, jetstream };
}

/** The distributed engine's outputs for the check inputs must equal the embedded engine's. */
async function checkOutputs(workload, embedded, jetstream) {
  for (const n of CHECK_INPUTS) {
    const input = workload.input(n);
    const [a, b] = [await embedded.run(input), await jetstream.run(input)];
    if (isDeepStrictEqual(a, b)) continue;
    const d = firstDifference(a, b);
    throw new Error(`OUTPUT MISMATCH on ${workload.id} exec-${n} at ${d?.path}: embedded ${JSON.stringify(d?.left)?.slice(0, 300)}, JetStream ${JSON.stringify(d?.right)?.slice(0, 300)}`);
  }
}

async function roundTripRows(servers, profile, onError) {
  const embedded = await openEmbeddedRoundTrips();
  const jetstream = await openJetStreamRoundTrips({ servers, namespace: "bench_rt", workerConcurrency: WORKER_CONCURRENCY, onError });
  try {
    const sides = [side("embedded", embedded, smallInput), side("jetstream", jetstream, smallInput)];
    const rows = [];
    for (const c of ROUND_TRIP_CONCURRENCY) rows.push(await measure("task round trips", c, sides, profile));
    return rows;
  } finally {
    await jetstream.close();
    await embedded.close();
  }
}

async function executionRows(servers, profile, onError) {
  const rows = [];
  for (const { workload: id, concurrency } of EXECUTIONS) {
    const workload = workloadById(id);
    const args = { workload, definition: loadDefinition(workload) };
    // Each side its own functions (the README's Flaky counts attempts per engine).
    const embedded = await aslanMemory.open({ ...args, functions: taskFunctions() });
    const jetstream = await distributedEngine({ servers, workerConcurrency: WORKER_CONCURRENCY, onError }).open({ ...args, functions: taskFunctions() });
    try {
      await checkOutputs(workload, embedded, jetstream);
      const sides = [side("embedded", embedded, workload.input), side("jetstream", jetstream, workload.input)];
      for (const c of concurrency) rows.push(await measure(`${id} executions`, c, sides, profile));
    } finally {
      await jetstream.close();
      await embedded.close();
    }
  }
  return rows;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const natsServer = natsServerVersion();
  if (!natsServer) throw new Error("no nats-server to run (install it, or set NATS_SERVER to its path)");
  const started = performance.now();
  const machine = machineInfo();
  if (!globalThis.gc) log("note: run with --expose-gc (npm run bench:jetstream does) to collect garbage between batches");
  log(`bench:jetstream: ${natsServer}, ${machine.cpu} (${machine.cores} cores), Node ${machine.node}${args.quick ? ", --quick" : ""}`);
  const server = await startNatsServer();
  // Ctrl-C: the server goes too (by its pid), with its temp directory.
  process.once("SIGINT", () => void server.stop().finally(() => process.exit(130)));
  const errors = [];
  const onError = (error, what) => {
    if (errors.push({ what, error: String(error?.message ?? error) }) <= 5) log(`JetStream error (${what}): ${error?.message ?? error}`);
  };
  let rows;
  try {
    rows = [...(await roundTripRows(server.url, args.profile, onError)), ...(await executionRows(server.url, args.profile, onError))];
  } finally {
    await server.stop();
  }
  const run = {
    machine, natsServer, quick: args.quick, profile: args.profile, workerConcurrency: WORKER_CONCURRENCY,
    rows, errors: errors.length, loadAtEnd: os.loadavg()[0], seconds: (performance.now() - started) / 1000,
  };
  const markdown = renderJetStreamReport(run);
  await writeJetStreamReport(args.out, markdown, run);
  process.stdout.write(`${markdown}\n`);
  log(`bench:jetstream: wrote ${args.out} in ${run.seconds.toFixed(0)} s${errors.length ? `, ${errors.length} JetStream errors reported (see above)` : ""}`);
}

main().catch((e) => {
  log(`bench:jetstream FAILED: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
  process.exit(1);
});
