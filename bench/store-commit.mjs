#!/usr/bin/env node
/**
 * Group commit in the LMDB ExecutionStore: commits/s and transactions per commit with 1,
 * 10 and 100 concurrent writers. Each writer moves its own executions forward one step at
 * a time, as the engine does (await the commit, then the next step): a ~1.5 KB state, two
 * history events per step, and every 50 steps the execution finishes (index changes) and
 * a new one starts.
 *
 *   npm run build && node bench/store-commit.mjs [--seconds=3] [--writers=1,10,100] [--durability=flushed,committed]
 *
 * ASLAN_DIST=<dir> points at another build of the sources (default: dist/).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, "").split("=")));
const seconds = Number(args.seconds ?? 3);
const writerCounts = (args.writers ?? "1,10,100").split(",").map(Number);
const durabilities = (args.durability ?? "flushed,committed").split(",");
const dist = process.env.ASLAN_DIST ? pathToFileURL(`${process.env.ASLAN_DIST}/`) : new URL("../dist/", import.meta.url);
const { LmdbExecutionStore } = await import(new URL("runtime/stores/lmdb-execution-store.js", dist).href);

const SM = "arn:aws:states:us-east-1:123456789012:stateMachine:Bench";
const state = (step) => ({
  actors: { root: { status: "active", value: { Work: "Task" }, context: { input: { orderId: "o-123", items: Array.from({ length: 12 }, (_, i) => ({ sku: `sku-${i}`, qty: i })) }, step, retries: {} }, historyValue: {} } },
  pendingTasks: [{ taskId: `t-${step}`, resource: "arn:aws:lambda:us-east-1:123456789012:function:work", attempt: 0, dispatchedAt: 1_700_000_000_000 + step }],
  timers: [],
  tokens: [],
});
const event = (id, type) => ({ id, previousEventId: id - 1, timestamp: 1_700_000_000_000 + id, type, taskScheduledEventDetails: { resource: "work", region: "us-east-1", parameters: '{"orderId":"o-123"}' } });

async function writer(store, w, deadline, latencies) {
  let commits = 0;
  for (let n = 0; Date.now() < deadline; n++) {
    const name = `w${w}-e${n}`;
    let summary = { executionArn: `arn:aws:states:us-east-1:123456789012:execution:Bench:${name}`, name, stateMachineArn: SM, type: "STANDARD", status: "RUNNING", startDate: Date.now() };
    let revision = 0;
    let length = 0;
    for (let step = 0; step < 50 && Date.now() < deadline; step++) {
      if (step === 49) summary = { ...summary, status: "SUCCEEDED", stopDate: Date.now(), output: "{}" };
      const events = [event(length + 1, "TaskScheduled"), event(length + 2, "TaskSucceeded")];
      const t0 = performance.now();
      const [outcome] = await store.commit([{ expectedRevision: revision, summary, state: state(step), events }]);
      latencies.push(performance.now() - t0);
      if (outcome.status !== "ok") throw new Error(`unexpected ${JSON.stringify(outcome)}`);
      revision = outcome.revision;
      length = outcome.historyLength;
      commits++;
    }
  }
  return commits;
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? NaN;

async function run(writers, durability) {
  const dir = await mkdtemp(join(tmpdir(), "aslan-bench-store-"));
  const store = await LmdbExecutionStore.open({ path: dir, durability });
  try {
    await Promise.all(Array.from({ length: writers }, (_, w) => writer(store, w, Date.now() + 300, []))); // warm-up
    const before = store.stats();
    const latencies = [];
    const start = performance.now();
    const counts = await Promise.all(Array.from({ length: writers }, (_, w) => writer(store, w + writers, Date.now() + seconds * 1000, latencies)));
    const elapsed = (performance.now() - start) / 1000;
    const after = store.stats();
    const commits = counts.reduce((a, b) => a + b, 0);
    const transactions = after.transactions - before.transactions;
    latencies.sort((a, b) => a - b);
    return { writers, durability, commits, perSecond: commits / elapsed, transactions, perTxn: commits / transactions, p50: pct(latencies, 50), p99: pct(latencies, 99) };
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const rows = [];
for (const durability of durabilities) for (const writers of writerCounts) rows.push(await run(writers, durability));
console.log(`| durability | writers | commits | commits/s | transactions | commits/txn | p50 ms | p99 ms |`);
console.log(`|---|---:|---:|---:|---:|---:|---:|---:|`);
for (const r of rows) {
  console.log(`| ${r.durability} | ${r.writers} | ${r.commits} | ${Math.round(r.perSecond)} | ${r.transactions} | ${r.perTxn.toFixed(1)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} |`);
}
