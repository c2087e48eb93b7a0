/**
 * Bare task round trips, no engine: a task dispatched on a TaskBus, run by a trivial
 * adapter that returns its payload, and its result back at the caller. Two sessions with
 * the same adapter and the `run(input) → output` shape of the bench's engine sessions:
 *
 * - over JetStream: JetStreamTaskBus → work queue → JetStreamWorker (claims the task in KV,
 *   publishes "started", runs the adapter, publishes the result, marks the claim done, acks)
 *   → answers queue → the bus's answer consumer (acks). Bus and worker each have their own
 *   connection, as a node and a worker process would.
 * - embedded: AdapterTaskBus, the in-process bus `aslan run` and `aslan serve` use.
 */
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";
import { repoRoot } from "./workloads.mjs";

const dist = (path) => pathToFileURL(resolve(repoRoot, "dist", path)).href;
const ECHO_RESOURCE = "arn:aws:states:::echo:invoke";
const EXECUTION_ARN = "arn:aws:states:us-east-1:123456789012:execution:bench:round-trips";

/** The trivial adapter both buses run: the task's payload is its result. */
export const echoAdapter = {
  name: "echo",
  resources: [ECHO_RESOURCE],
  handles: (resource) => resource.arn === ECHO_RESOURCE,
  run: async (task) => task.payload,
};

/** A fresh task for the payload (task ids are unique per session: Msg-Id and claims key on them). */
function taskFor(taskId, payload) {
  return { taskId, resource: ECHO_RESOURCE, payload, stateName: "Echo", executionArn: EXECUTION_ARN };
}

/** The result an answer carries, or the error a failed one stands for. */
function settle(waiter, answer) {
  if (answer.type === "succeeded") waiter.resolve(answer.output);
  else waiter.reject(new Error(`task failed: ${answer.error} ${answer.cause ?? ""}`));
}

/**
 * Round trips through JetStream on `servers`, in `namespace` (its own streams, consumers and
 * claims bucket). `workerConcurrency`: tasks the worker runs at once.
 */
export async function openJetStreamRoundTrips({ servers, namespace, workerConcurrency, onError }) {
  const { connectJetStream } = await import(dist("runtime/nats/jetstream-connection.js"));
  const { JetStreamTaskBus, ensureTaskStreams } = await import(dist("runtime/nats/jetstream-task-bus.js"));
  const { JetStreamWorker } = await import(dist("runtime/nats/jetstream-worker.js"));
  const node = await connectJetStream({ servers, name: "bench-node" });
  const workerLink = await connectJetStream({ servers, name: "bench-worker" });
  await ensureTaskStreams(node.jsm, namespace);
  const bus = new JetStreamTaskBus({ js: node.js, jsm: node.jsm, namespace, onError });
  const worker = new JetStreamWorker({ js: workerLink.js, jsm: workerLink.jsm, adapters: [echoAdapter], namespace, concurrency: workerConcurrency, onError });
  const waiting = new Map();
  await worker.start();
  await bus.consumeAnswers(async ({ taskId, answer }) => {
    // "started" (and heartbeats) come first; the settling answer ends the round trip.
    if (answer.type !== "succeeded" && answer.type !== "failed") return "done";
    const waiter = waiting.get(taskId);
    waiting.delete(taskId);
    if (waiter) settle(waiter, answer);
    return "done";
  });
  let next = 0;
  return {
    run(payload) {
      const taskId = `t${next++}`;
      return new Promise((resolve, reject) => {
        waiting.set(taskId, { resolve, reject });
        bus.dispatchTo(echoAdapter.name, taskFor(taskId, payload));
      });
    },
    async close() {
      await worker.drain(5_000);
      await bus.close();
      await Promise.all([node.nc.drain(), workerLink.nc.drain()]);
    },
  };
}

/** Round trips through the embedded AdapterTaskBus with the same adapter. */
export async function openEmbeddedRoundTrips() {
  const { AdapterTaskBus } = await import(dist("runtime/bus/adapter-task-bus.js"));
  const bus = new AdapterTaskBus([echoAdapter]);
  let next = 0;
  return {
    run(payload) {
      const taskId = `t${next++}`;
      return new Promise((resolve, reject) => {
        const waiter = { resolve, reject };
        let open = true;
        bus.dispatch(taskFor(taskId, payload), {
          started: () => undefined,
          heartbeat: () => undefined,
          succeeded: (output) => {
            open = false;
            settle(waiter, { type: "succeeded", output });
          },
          failed: (error, cause) => {
            open = false;
            settle(waiter, { type: "failed", error, cause });
          },
          isOpen: () => open,
        });
      });
    },
    async close() {
      await bus.close();
    },
  };
}
