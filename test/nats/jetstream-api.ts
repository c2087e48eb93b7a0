/**
 * `aslan serve --nats` and `aslan worker` in one process, for tests: the API server wired as a
 * runtime node (JetStreamNode and the engine options serve.ts's `nodeOptions` gives a node),
 * with an SDK client, and an adapter worker on its own connection that runs every adapter the
 * node sends to workers. Tasks really go through JetStream and their answers come back through
 * it, as between processes. Adapters are built from one project config for both, as the two
 * commands build them.
 */
import { SFNClient } from "@aws-sdk/client-sfn";
import { pino } from "pino";
import { apiExecutions } from "../../runtime/api/api-executions.js";
import type { ApiContext } from "../../runtime/api/context.js";
import { startServer } from "../../runtime/api/server.js";
import { nodeOptions } from "../../runtime/cli/serve.js";
import { SystemClock } from "../../runtime/clock/system-clock.js";
import type { BuildAdapters } from "../../runtime/config/adapter-host.js";
import type { ProjectConfig } from "../../runtime/config/project-config.js";
import { Engine } from "../../runtime/engine/engine.js";
import { EngineExecutions, engineStarter } from "../../runtime/engine/engine-executions.js";
import { connectJetStream } from "../../runtime/nats/jetstream-connection.js";
import { JetStreamNode } from "../../runtime/nats/jetstream-node.js";
import { JetStreamWorker } from "../../runtime/nats/jetstream-worker.js";
import type { Adapter } from "../../runtime/ports/adapter.js";
import type { TestApi } from "../api/helpers.js";

export interface JetStreamApiOptions {
  /** The nats-server's URL. */
  readonly servers: string;
  readonly build: BuildAdapters;
  readonly config: ProjectConfig;
  /** Tasks the worker runs at once (`aslan worker --concurrency`). */
  readonly concurrency?: number;
  /** `aslan serve --sweep-seconds`, in ms. */
  readonly sweepIntervalMs?: number;
}

export interface JetStreamApi extends TestApi {
  readonly node: JetStreamNode;
  readonly worker: JetStreamWorker;
  /** What the node and the worker reported failing (nothing reaches a caller from them). */
  readonly errors: readonly string[];
  /** Tasks the worker finished: which adapter ran them, for which execution, how they ended. */
  readonly tasks: readonly WorkerTask[];
}

export interface WorkerTask {
  readonly adapter: string;
  readonly executionArn: string;
  readonly outcome: string;
}

const log = pino({ level: "silent" });

export async function startJetStreamApi(options: JetStreamApiOptions): Promise<JetStreamApi> {
  const errors: string[] = [];
  const tasks: WorkerTask[] = [];
  const onError = (error: unknown, what: string): void => void errors.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
  const node = await JetStreamNode.open({ servers: options.servers, clock: new SystemClock(), onError });
  // Undone in reverse order by close(), or at once when a later step fails.
  const closers: (() => Promise<void>)[] = [() => node.close()];
  const close = async (): Promise<void> => {
    for (const closer of closers.splice(0).reverse()) await closer();
  };
  try {
    const wiring = nodeOptions(node, options.sweepIntervalMs);
    const server = await startServer({ port: 0, host: "127.0.0.1", log, ...wiring, adapters: (context) => nodeAdapters(options, context) });
    closers.push(() => server.close());
    const { engine } = server.context;
    await node.consumeAnswers((arn, taskId, answer) => engine.applyAnswer(arn, taskId, answer));
    const isRemote = (name: string): boolean => wiring.remoteAdapters?.isRemote(name) ?? false;
    const worker = await startWorker(options, { isRemote, onError, tasks });
    // Closed after the server: its engine stops dispatching first; then the worker drains.
    closers.splice(1, 0, worker.close);
    const sfn = new SFNClient({
      endpoint: server.url, region: "us-east-1", disableHostPrefix: true, maxAttempts: 1,
      credentials: { accessKeyId: "AKIDLOCAL", secretAccessKey: "local" },
    });
    closers.push(async () => sfn.destroy());
    return { server, sfn, node, worker: worker.worker, errors, tasks, close };
  } catch (e) {
    await close();
    throw e;
  }
}

/** As serve.ts's adaptersFor: the node builds every adapter (to know whose a resource is) and runs those not remote. */
function nodeAdapters(options: JetStreamApiOptions, context: ApiContext): Adapter[] {
  return options.build(options.config, {
    configDir: process.cwd(), engine: context.engine, api: context, executions: apiExecutions(context), functions: {}, log,
  });
}

interface WorkerWiring {
  /** The adapters the node sends to workers (serve.ts's nodeOptions). */
  readonly isRemote: (name: string) => boolean;
  readonly onError: (error: unknown, what: string) => void;
  /** Where the worker's finished tasks are recorded. */
  readonly tasks: WorkerTask[];
}

/** As worker.ts: adapters built on a throwaway engine (account, region, clock; tasks never run in it), the remote ones served. */
async function startWorker(options: JetStreamApiOptions, wiring: WorkerWiring): Promise<{ worker: JetStreamWorker; close: () => Promise<void> }> {
  const { isRemote, onError, tasks } = wiring;
  const engine = new Engine({});
  const built = options.build(options.config, {
    configDir: process.cwd(), engine, executions: new EngineExecutions(engine, engineStarter(engine)), functions: {}, log,
  });
  const link = await connectJetStream({ servers: options.servers, name: "aslan-worker-test" });
  const worker = new JetStreamWorker({
    js: link.js, jsm: link.jsm, adapters: built.filter((a) => isRemote(a.name)), onError,
    onTask: ({ task, adapter, outcome }) => void (outcome !== "started" && tasks.push({ adapter, executionArn: task.executionArn, outcome })),
    ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
  });
  const close = async (): Promise<void> => {
    await worker.drain(2_000);
    await link.nc.drain().catch(() => undefined); // flushes the last acks
    await Promise.all(built.map((a) => a.close?.()));
    await engine.close();
  };
  try {
    await worker.start();
  } catch (e) {
    await close();
    throw e;
  }
  return { worker, close };
}
