/**
 * Aslan over JetStream (#6), distributed mode: each session starts its own `nats-server -js`
 * (free loopback port, temp store directory; lib/jetstream-server.mjs) through a guard
 * process (lib/jetstream-guard.mjs) that stops it by pid when the session closes or when
 * this worker dies, then wires the engine as `aslan serve --nats` and `aslan worker` do
 * (lib/jetstream-engine.mjs): executions in the shared JetStreamExecutionStore (a KV
 * compare-and-set per step before its effects run), timers on JetStreamTimers, every task
 * through a JetStreamTaskBus to a JetStreamWorker running the workload's task functions,
 * answers applied with `engine.applyAnswer`. Node and worker share this process (each its
 * own connection); nats-server is a third process on the same cores. The memory columns are
 * this process's (the node and the worker), not nats-server's.
 *
 * Not run (the table says why):
 * - workloads with Retry intervals (retry-catch): virtual time is for one process (`aslan
 *   serve --nats --virtual-time` is refused), and on real time its 1 s intervals would
 *   measure the sleep, not the engine;
 * - choice-loop-1000, map-1000, map-1000-unlimited on nats-server's default max_payload
 *   (1 MB): they have no Task state, so an execution is one step, and that step's history
 *   events (thousands, about 1 KB each) are one KV write larger than max_payload; the store
 *   rejects it and the execution fails with States.Runtime naming max_payload.
 *   `aslan-jetstream@<MB>` starts nats-server with max_payload <MB> MB (8 is enough) and
 *   runs them.
 * A JetStream error reported while an execution is in flight fails it after STALL_MS
 * instead of letting the batch wait for it for ever.
 */
import { fork } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { distributedEngine } from "../lib/jetstream-engine.mjs";
import { natsServerVersion } from "../lib/jetstream-server.mjs";
import { repoRoot } from "../lib/workloads.mjs";

const GUARD = fileURLToPath(new URL("../lib/jetstream-guard.mjs", import.meta.url));
const NATS_MODULES = resolve(repoRoot, "dist", "runtime", "nats", "jetstream-execution-store.js");
/** Tasks the worker runs at once: above every in-flight count, so the bus is measured, not this cap (as bench/jetstream.mjs). */
const WORKER_CONCURRENCY = 128;
const START_MS = 20_000;
/** An execution still running this long after a JetStream error was reported has stalled. */
const STALL_MS = 10_000;
const STOP_MS = 10_000;
/** JetStream errors printed per session; the rest are counted. */
const PRINTED_ERRORS = 5;

/** Workloads whose one step is more than nats-server's default max_payload (1 MB): no Task state, thousands of history events. */
const OVER_DEFAULT_MAX_PAYLOAD = new Set(["choice-loop-1000", "map-1000", "map-1000-unlimited"]);

/** Forks the guard; resolves with `{url, pid, stop()}` once its nats-server accepts connections. */
function startGuardedServer(maxPayloadMB) {
  const guard = fork(GUARD, maxPayloadMB ? [String(maxPayloadMB)] : [], { execArgv: [], stdio: ["ignore", "ignore", "inherit", "ipc"] });
  const exited = new Promise((done) => guard.once("exit", done));
  const gone = () => guard.exitCode !== null || guard.signalCode !== null;
  const stop = async () => {
    if (gone()) return;
    if (guard.connected) guard.send({ stop: true });
    else guard.kill("SIGTERM");
    const timer = setTimeout(() => guard.kill("SIGKILL"), STOP_MS);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => {
      void stop();
      fail(new Error(`nats-server did not start within ${START_MS / 1000} s`));
    }, START_MS);
    guard.on("message", (msg) => {
      if (msg?.url) {
        clearTimeout(timer);
        ok({ url: msg.url, pid: msg.pid, stop });
      } else if (msg?.error) {
        clearTimeout(timer);
        void stop();
        fail(new Error(`nats-server: ${msg.error}`));
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      fail(new Error(`the nats-server guard exited (${code}) before the server listened`));
    });
  });
}

/** The adapter; `maxPayloadMB`: nats-server's max_payload (default: its own, 1 MB). */
export function aslanJetStream(maxPayloadMB) {
  const id = maxPayloadMB ? `aslan-jetstream@${maxPayloadMB}` : "aslan-jetstream";
  return {
    id,
    label: `Aslan (distributed, JetStream${maxPayloadMB ? `, max_payload ${maxPayloadMB} MB` : ""})`,
    isPeer: false,
    memoryCheck: "finished executions live in nats-server's KV store, not in the node's memory, and 100,000 of them at ~1.5 ms each would add minutes to the run",
    async available() {
      if (maxPayloadMB !== undefined && !(maxPayloadMB > 0)) return "aslan-jetstream@<MB>: max_payload in MB, a positive number";
      if (!natsServerVersion()) return "no nats-server: install it (Debian: apt install nats-server) or set NATS_SERVER to its path";
      if (!existsSync(NATS_MODULES)) return `no ${NATS_MODULES} (run npm run build)`;
      return true;
    },
    /** Why this engine does not run `workload`, or undefined when it does. */
    unsupported(workload) {
      // The whole story is in the report's notes (lib/report.mjs); the table cell says what and points there.
      if (workload.skipTime) return "its Retry intervals need virtual time, which distributed mode does not have (see Notes)";
      if (!maxPayloadMB && OVER_DEFAULT_MAX_PAYLOAD.has(workload.id)) return "its one step is over nats-server's default max_payload of 1 MB, the execution fails with States.Runtime (see Notes)";
      return undefined;
    },
    async open(args) {
      const server = await startGuardedServer(maxPayloadMB);
      let errors = 0;
      let lastError;
      const stalls = new Set();
      const onError = (error, what) => {
        lastError = `JetStream error (${what ?? "?"}): ${error?.message ?? error}`;
        if (++errors <= PRINTED_ERRORS) process.stderr.write(`${id}/${args.workload.id}: ${lastError}\n`);
        for (const arm of stalls) arm();
      };
      let session;
      try {
        session = await distributedEngine({ servers: server.url, workerConcurrency: WORKER_CONCURRENCY, onError }).open(args);
      } catch (e) {
        await server.stop();
        throw e;
      }
      return {
        note: `own nats-server${maxPayloadMB ? ` (max_payload ${maxPayloadMB} MB)` : ""}, ${session.note}`,
        run(input) {
          let timer;
          let arm;
          const stalled = new Promise((_, fail) => {
            arm = () => {
              timer ??= setTimeout(() => fail(new Error(`execution still running ${STALL_MS / 1000} s after ${lastError}`)), STALL_MS);
            };
          });
          stalls.add(arm);
          return Promise.race([session.run(input), stalled]).finally(() => {
            clearTimeout(timer);
            stalls.delete(arm);
          });
        },
        errors: () => errors,
        async close() {
          try {
            await session.close();
          } finally {
            await server.stop();
          }
        },
      };
    },
  };
}

/** @type {import("./engine.mjs").EngineAdapter} */
export default aslanJetStream();

/** `aslan-jetstream@<MB>`: nats-server with max_payload <MB> MB. */
export const variant = (mb) => aslanJetStream(Number(mb));
