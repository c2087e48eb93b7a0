/**
 * `aslan serve`: the Step Functions API server until SIGINT or SIGTERM, then a clean stop
 * (engine closed, connections closed, store closed) and exit status 0. State machines,
 * versions, aliases, activities, tags and executions live in a durable store in the data
 * directory (`--data-dir`, `./.aslan` unless given), or only in memory with `--in-memory`.
 */
import { hostname } from "node:os";
import { pino, type Logger } from "pino";
import { apiExecutions } from "../api/api-executions.js";
import type { ApiContext } from "../api/context.js";
import { startServer, type ApiServer, type Credentials, type ServerOptions } from "../api/server.js";
import { functionsAdapter } from "../bus/functions-adapter.js";
import type { TaskFunctions } from "../bus/task-functions.js";
import type { AdapterHost, BuildAdapters } from "../config/adapter-host.js";
import { loadProjectConfig, type LoadedConfig } from "../config/load-config.js";
import type { Adapter } from "../ports/adapter.js";
import { optionValue, parseArgs, rejectUnknownOptions, UsageError, type ParsedArgs } from "./args.js";
import { logLevel, untilStopSignal } from "./process-options.js";
import { loadFunctions } from "./functions.js";
import { DEFAULT_ACCOUNT, type Account } from "../engine/arns.js";
import { StoreCorruptionError } from "../ports/execution-store.js";
import { corruptStore, openDataDir, type DataDir } from "./data-dir.js";
import { JetStreamNode } from "../nats/jetstream-node.js";
import { JetStreamActivities } from "../nats/jetstream-activities.js";
import { JetStreamWorker } from "../nats/jetstream-worker.js";
import { SystemClock } from "../clock/system-clock.js";
import { checkTriggerSource, startTriggers } from "../triggers/serve-triggers.js";

const VALUED = new Set(["port", "host", "functions", "config", "log-level", "access-key-id", "secret-access-key", "region", "account-id", "data-dir", "retention-days", "nats", "sweep-seconds"]);
const KNOWN = new Set([...VALUED, "virtual-time", "allow-unauthenticated", "in-memory"]);
/** Where `aslan serve` keeps its store unless told otherwise. */
export const DEFAULT_DATA_DIR = "./.aslan";
const DAY_MS = 24 * 3600 * 1000;
/** After a clean stop, how long something a task function left running may keep the process alive. */
const EXIT_GRACE_MS = 2_000;

export async function serve(argv: readonly string[], build?: BuildAdapters): Promise<number> {
  const args = parseArgs(argv, VALUED);
  rejectUnknownOptions(args, KNOWN);
  if (args.positionals.length > 0) throw new UsageError(`aslan serve takes no arguments, got '${args.positionals.join(" ")}'`);
  const log = pino({ level: logLevel(optionValue(args, "log-level")), timestamp: pino.stdTimeFunctions.isoTime });
  const credentials = readCredentials(args, process.env);
  const functions = await loadFunctions(args.options.get("functions"));
  const configPath = optionValue(args, "config");
  if (!build && configPath !== undefined) throw new UsageError("--config needs the aslan executable (cli.js), which builds adapters");
  const project = build ? await loadProjectConfig({ ...(configPath !== undefined ? { path: configPath } : {}), cwd: process.cwd() }) : undefined;
  if (project) log.info({ config: project.path }, "project config loaded");
  const retentionMs = retentionDays(optionValue(args, "retention-days")) * DAY_MS;
  checkTriggerSource(project?.config, args.options.has("nats"));
  const node = await openNode(args, log);
  const dataDir = node ? undefined : await openStorage(args, log);
  const server = await listen(log, dataDir, {
    port: port(optionValue(args, "port")),
    host: optionValue(args, "host") ?? "127.0.0.1",
    functions,
    ...(build ? { adapters: adaptersFor(build, project, functions, log, dataDir ? { dataDir: dataDir.adapterData } : node ? { natsServers: optionValue(args, "nats") as string } : {}) } : {}),
    virtualTime: args.options.has("virtual-time"),
    allowUnauthenticated: args.options.has("allow-unauthenticated"),
    account: account(optionValue(args, "region"), optionValue(args, "account-id")),
    ...(credentials ? { credentials } : {}),
    ...(dataDir ? { store: dataDir.store } : {}),
    ...(node ? nodeOptions(node, sweepMs(optionValue(args, "sweep-seconds"))) : {}),
    retention: { retentionMs },
  }).catch(async (e: unknown) => {
    await node?.close();
    throw e;
  });
  if (node) {
    const { engine } = server.context;
    await node.consumeAnswers((arn, taskId, answer) => engine.applyAnswer(arn, taskId, answer));
    node.onReconnect(() => {
      log.warn("reconnected to NATS: putting every running execution back to work (the server may have lost its last messages)");
      void resyncAfterReconnect(engine, log);
    });
    log.info({ nats: optionValue(args, "nats"), nodeId: node.nodeId }, "runtime node on NATS JetStream: taking task answers and timers");
  }
  const functionsWorker = node && Object.keys(functions).length > 0 ? await startFunctionsWorker(node, functions, log) : undefined;
  const triggers = await startTriggers(project?.config, server.context, node?.link, log).catch(async (e: unknown) => {
    await server.close();
    await dataDir?.close();
    await node?.close();
    throw e;
  });
  const signal = await untilStopSignal();
  log.info({ signal }, "stopping");
  // A second signal while stopping does not wait.
  const force = (): never => process.exit(1);
  process.once("SIGINT", force).once("SIGTERM", force);
  await triggers?.close(); // no new executions while the engine stops
  await server.close();
  await functionsWorker?.drain();
  await dataDir?.close();
  await node?.close();
  log.info("stopped");
  setTimeout(() => process.exit(0), EXIT_GRACE_MS).unref();
  return 0;
}

/** `--nats <url>`: this process is one stateless runtime node of distributed mode. */
async function openNode(args: ParsedArgs, log: Logger): Promise<JetStreamNode | undefined> {
  const servers = optionValue(args, "nats");
  if (servers === undefined) return undefined;
  if (args.options.has("data-dir") || args.options.has("in-memory")) throw new UsageError("--nats keeps executions in NATS JetStream: it excludes --data-dir and --in-memory");
  if (args.options.has("virtual-time")) throw new UsageError("--virtual-time is for one process: it does not go with --nats");
  log.info({ nats: servers }, "connecting to NATS JetStream");
  return JetStreamNode.open({ servers, clock: new SystemClock(), onError: (err, what) => log.error({ err }, what) });
}

/**
 * `--functions` on a node: their tasks go over the JetStream task queue, and this node takes
 * them from there as a worker does (runtime/bus/functions-adapter.ts).
 */
async function startFunctionsWorker(node: JetStreamNode, functions: TaskFunctions, log: Logger): Promise<JetStreamWorker> {
  const worker = new JetStreamWorker({
    js: node.link.js, jsm: node.link.jsm, adapters: [functionsAdapter(functions)], workerName: `${hostname()}:${process.pid}`,
    // As for timers and answers: a dead node's tasks go to another node after 10 s (a running one says it is alive).
    ackWaitMs: FUNCTIONS_ACK_WAIT_MS,
    onError: (err, what) => log.error({ err }, what),
  });
  await worker.start();
  log.info({ functions: Object.keys(functions) }, "running the --functions tasks of every node from the JetStream task queue");
  return worker;
}

/** `--sweep-seconds`: how often a node looks for executions a dead node left between a stored step and its effects. */
function sweepMs(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !(seconds > 0)) throw new UsageError(`--sweep-seconds must be a positive number of seconds, got '${value}'`);
  return seconds * 1000;
}

/**
 * A node's engine: executions in the shared store, timers and answers through JetStream,
 * tasks to adapter workers (`aslan worker`), except nested executions, which need an engine,
 * and activity tasks on JetStream queues that GetActivityTask on any node takes from.
 */
export function nodeOptions(node: JetStreamNode, sweepIntervalMs: number | undefined): Partial<ServerOptions> {
  return {
    store: node.store,
    durableTimers: node.timers,
    shared: sweepIntervalMs !== undefined ? { sweepIntervalMs } : {},
    remoteAdapters: { isRemote: (name) => !RUN_ON_NODES.has(name), dispatchTo: (name, task) => node.bus.dispatchTo(name, task) },
    sharedActivities: (host) => new JetStreamActivities(node.link, host),
  };
}

/** A server that just came back may not answer JetStream requests yet: tried again a few times. */
async function resyncAfterReconnect(engine: { resync(): Promise<number> }, log: Logger): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      const reread = await engine.resync();
      return log.info({ reread }, "running executions put back to work after the reconnect");
    } catch (err) {
      if (attempt >= RESYNC_ATTEMPTS) return log.error({ err }, "putting running executions back to work after the reconnect failed; the periodic sweep goes on");
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}

const RESYNC_ATTEMPTS = 10;

const FUNCTIONS_ACK_WAIT_MS = 10_000;

/** Adapters every runtime node runs itself rather than sending to workers. */
const RUN_ON_NODES = new Set(["executions"]);

/** The data directory's store, or none with --in-memory. */
async function openStorage(args: ParsedArgs, log: Logger): Promise<DataDir | undefined> {
  const path = optionValue(args, "data-dir");
  if (args.options.has("in-memory")) {
    if (path !== undefined) throw new UsageError("--in-memory and --data-dir exclude each other");
    log.info({ store: "memory" }, "keeping everything in memory (--in-memory): nothing survives a restart");
    return undefined;
  }
  const dataDir = await openDataDir(path ?? DEFAULT_DATA_DIR);
  log.info({ dataDir: dataDir.path }, `store opened in ${dataDir.path}`);
  return dataDir;
}

async function listen(log: Logger, dataDir: DataDir | undefined, options: ServerOptions & { readonly host: string; readonly port: number }): Promise<ApiServer> {
  try {
    return await startServer({ ...options, log });
  } catch (e) {
    await dataDir?.close();
    if (e instanceof StoreCorruptionError && dataDir) throw corruptStore(dataDir.path, e);
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE") throw new Error(`cannot listen on ${options.host}:${options.port}: the address is in use`);
    if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND") throw new Error(`cannot listen on ${options.host}: no such local address`);
    if (code === "EACCES") throw new Error(`cannot listen on ${options.host}:${options.port}: permission denied`);
    throw e;
  }
}

/** Builds the config's adapters once the service exists (nested executions go through its StartExecution). */
function adaptersFor(build: BuildAdapters, project: LoadedConfig | undefined, functions: TaskFunctions, log: Logger, storage: Pick<AdapterHost, "dataDir" | "natsServers">): (context: ApiContext) => readonly Adapter[] {
  return (context) => build(project?.config ?? {}, {
    configDir: project?.dir ?? process.cwd(),
    engine: context.engine,
    api: context,
    executions: apiExecutions(context),
    functions,
    log,
    ...storage,
  });
}

function port(value: string | undefined): number {
  if (value === undefined) return 8083;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new UsageError(`--port must be a port number (0-65535; 0 picks a free one), got '${value}'`);
  return n;
}

/** The region and account id written into every ARN (AWS's defaults for local endpoints otherwise). */
function account(region: string | undefined, accountId: string | undefined): Account {
  if (region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) throw new UsageError(`--region must be a region name like eu-west-1, got '${region}'`);
  if (accountId !== undefined && !/^\d{12}$/.test(accountId)) throw new UsageError(`--account-id must be 12 digits, got '${accountId}'`);
  return { ...DEFAULT_ACCOUNT, ...(region ? { region } : {}), ...(accountId ? { accountId } : {}) };
}

/** `--retention-days`: how long finished executions are kept (AWS: 90 days); fractions allowed. */
function retentionDays(value: string | undefined): number {
  if (value === undefined) return 90;
  const days = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !(days > 0)) throw new UsageError(`--retention-days must be a positive number of days, got '${value}'`);
  return days;
}

/** From the flags, else ASLAN_ACCESS_KEY_ID / ASLAN_SECRET_ACCESS_KEY; both or neither. */
function readCredentials(args: ParsedArgs, env: NodeJS.ProcessEnv): Credentials | undefined {
  const accessKeyId = optionValue(args, "access-key-id") ?? (env["ASLAN_ACCESS_KEY_ID"] || undefined);
  const secretAccessKey = optionValue(args, "secret-access-key") ?? (env["ASLAN_SECRET_ACCESS_KEY"] || undefined);
  if (accessKeyId === undefined && secretAccessKey === undefined) return undefined;
  if (!accessKeyId || !secretAccessKey) {
    throw new UsageError("an access key id and a secret access key go together: --access-key-id with --secret-access-key " +
      "(or ASLAN_ACCESS_KEY_ID with ASLAN_SECRET_ACCESS_KEY)");
  }
  return { accessKeyId, secretAccessKey };
}
