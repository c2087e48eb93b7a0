/**
 * Whole executions in distributed mode, wired as a runtime node (`aslan serve --nats`) and
 * an adapter worker (`aslan worker`) are: the engine keeps executions in the shared
 * JetStreamExecutionStore (shared mode: every step a compare-and-set on KV before its
 * effects run), timers on JetStreamTimers, tasks published by a JetStreamTaskBus to a
 * JetStreamWorker that runs the workload's task functions as one adapter, and the workers'
 * answers applied with `engine.applyAnswer`. Node and worker run in this process but each
 * has its own connection. Same session shape as bench/engines/*.mjs.
 */
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";
import { functionNameOf, repoRoot } from "./workloads.mjs";

const dist = (path) => pathToFileURL(resolve(repoRoot, "dist", path)).href;
/** The worker subject every task goes to (the bench's functions are all Lambda-like). */
const ADAPTER = "fn";

/** The workload's task functions as an adapter; a thrown error's `name` is the ASL error, as in process. */
function functionsAdapter(functions, TaskError) {
  return {
    name: ADAPTER,
    resources: ["arn:aws:lambda:*:*:function:*"],
    handles: (resource) => resource.kind === "lambda-function",
    async run(task) {
      const fn = functions[functionNameOf(task.resource.arn)];
      if (!fn) throw new TaskError("States.TaskFailed", `bench: no function for ${task.resource.arn}`);
      try {
        return await fn(task.payload);
      } catch (e) {
        throw new TaskError(e instanceof Error ? e.name : "Error", e instanceof Error ? e.message : String(e));
      }
    },
  };
}

/** Opens a node and a worker on `servers`; `open({workload, definition, functions})` → a session. */
export function distributedEngine({ servers, workerConcurrency, onError }) {
  return {
    async open({ workload, definition, functions }) {
      const { createEngine, SystemClock, TaskError } = await import(dist("index.js"));
      const { connectJetStream } = await import(dist("runtime/nats/jetstream-connection.js"));
      const { JetStreamExecutionStore } = await import(dist("runtime/nats/jetstream-execution-store.js"));
      const { JetStreamTimers } = await import(dist("runtime/nats/jetstream-timers.js"));
      const { JetStreamTaskBus, ensureTaskStreams } = await import(dist("runtime/nats/jetstream-task-bus.js"));
      const { JetStreamWorker } = await import(dist("runtime/nats/jetstream-worker.js"));
      const clock = new SystemClock();
      const node = await connectJetStream({ servers, name: "bench-node" });
      const workerLink = await connectJetStream({ servers, name: "bench-worker" });
      await ensureTaskStreams(node.jsm);
      const store = await JetStreamExecutionStore.open({ link: node });
      const timers = new JetStreamTimers({ link: node, store, clock, onError: (error) => onError(error, "timer") });
      const bus = new JetStreamTaskBus({ js: node.js, jsm: node.jsm, now: () => clock.now(), onError });
      // Every task to the one adapter, as a node's task routing does for resources no node runs itself.
      const taskBus = { dispatch: (task) => bus.dispatchTo(ADAPTER, task) };
      const log = { warn: () => undefined, error: (details, message) => onError(details?.err ?? details, message) };
      const engine = createEngine({ clock, store, durableTimers: timers, shared: {}, taskBus, log });
      const worker = new JetStreamWorker({
        js: workerLink.js, jsm: workerLink.jsm, adapters: [functionsAdapter(functions, TaskError)], concurrency: workerConcurrency, onError,
      });
      await worker.start();
      await engine.start();
      await bus.consumeAnswers((a) => engine.applyAnswer(a.executionArn, a.taskId, a.answer));
      const stateMachine = engine.createStateMachine(workload.file, definition);
      return {
        note: `shared KV store, worker concurrency ${workerConcurrency}`,
        async run(input) {
          const result = await engine.result(engine.startExecution(stateMachine, input));
          if (result.status !== "SUCCEEDED") throw new Error(`execution ${result.status}: ${result.error ?? ""} ${result.cause ?? ""}`);
          return result.output;
        },
        async close() {
          await worker.drain(5_000);
          await engine.close();
          await bus.close();
          await store.close();
          await Promise.all([node.nc.drain(), workerLink.nc.drain()]);
        },
      };
    },
  };
}
