/**
 * `aslan worker`: runs some of the project config's adapters for the runtime nodes of a
 * distributed installation, taking their tasks from NATS JetStream, until SIGINT or
 * SIGTERM; then it stops taking tasks, lets the running ones finish and answer (drain),
 * and exits 0. Logs JSON lines to stdout.
 */
import { hostname } from "node:os";
import { pino, type Logger } from "pino";
import { Engine } from "../engine/engine.js";
import { EngineExecutions, engineStarter } from "../engine/engine-executions.js";
import type { BuildAdapters } from "../config/adapter-host.js";
import { loadProjectConfig } from "../config/load-config.js";
import { connectJetStream } from "../nats/jetstream-connection.js";
import { JetStreamWorker } from "../nats/jetstream-worker.js";
import type { Adapter } from "../ports/adapter.js";
import { optionValue, parseArgs, rejectUnknownOptions, UsageError, type ParsedArgs } from "./args.js";
import { logLevel, untilStopSignal } from "./process-options.js";

const VALUED = new Set(["nats", "adapters", "config", "concurrency", "log-level", "ack-wait", "drain-seconds"]);
/** After a stop, how long something still pending may keep the process alive. */
const EXIT_GRACE_MS = 2_000;

export async function worker(argv: readonly string[], build?: BuildAdapters): Promise<number> {
  const args = parseArgs(argv, VALUED);
  rejectUnknownOptions(args, VALUED);
  if (args.positionals.length > 0) throw new UsageError(`aslan worker takes no arguments, got '${args.positionals.join(" ")}'`);
  if (!build) throw new UsageError("aslan worker needs the aslan executable (cli.js), which builds adapters");
  const wanted = adapterNames(optionValue(args, "adapters"));
  const settings = {
    servers: optionValue(args, "nats") ?? "nats://127.0.0.1:4222",
    concurrency: positiveInteger(args, "concurrency", 16),
    ackWaitMs: positiveInteger(args, "ack-wait", 30) * 1000,
    drainGraceMs: positiveInteger(args, "drain-seconds", 30) * 1000,
  };
  const log = pino({ level: logLevel(optionValue(args, "log-level")), timestamp: pino.stdTimeFunctions.isoTime });
  const configPath = optionValue(args, "config");
  const project = await loadProjectConfig({ ...(configPath !== undefined ? { path: configPath } : {}), cwd: process.cwd() });
  if (project) log.info({ config: project.path }, "project config loaded");
  // Adapters take the account, region and clock from an engine; tasks never run in it.
  const engine = new Engine({});
  const built = build(project?.config ?? {}, {
    configDir: project?.dir ?? process.cwd(), engine, executions: new EngineExecutions(engine, engineStarter(engine)), functions: {}, log,
    natsServers: settings.servers,
  });
  try {
    return await runWorker(chosen(built, wanted), settings, log);
  } finally {
    // All of them: a chosen one may use another at run time (SNS delivering to a function).
    await Promise.all(built.map((a) => a.close?.()));
    await engine.close();
  }
}

interface WorkerSettings {
  readonly servers: string;
  readonly concurrency: number;
  readonly ackWaitMs: number;
  readonly drainGraceMs: number;
}

async function runWorker(adapters: readonly Adapter[], settings: WorkerSettings, log: Logger): Promise<number> {
  const { servers, ...limits } = settings;
  const stopSignal = untilStopSignal();
  log.info({ nats: servers }, "connecting");
  // The connection waits for a server that is not up yet; a stop signal meanwhile ends the wait.
  const link = await Promise.race([connectJetStream({ servers, name: "aslan-worker" }), stopSignal]);
  if (typeof link === "string") return stopped(log, link);
  const worker = new JetStreamWorker({
    js: link.js, jsm: link.jsm, adapters, ...limits,
    workerName: `${hostname()}:${process.pid}`,
    onTask: ({ task, adapter, outcome }) => log.debug({ adapter, executionArn: task.executionArn, taskId: task.taskId, state: task.stateName, outcome }, `task ${outcome}`),
    onError: (err, what) => log.error({ err }, what),
  });
  await worker.start();
  log.info({ adapters: adapters.map((a) => a.name), nats: servers, concurrency: limits.concurrency }, "worker ready");
  const signal = await stopSignal;
  log.info({ signal, running: worker.running }, "draining");
  // A second signal while draining does not wait.
  const force = (): never => process.exit(1);
  process.once("SIGINT", force).once("SIGTERM", force);
  await worker.drain();
  await link.nc.drain(); // flushes the last acks before the connection closes
  return stopped(log, signal);
}

function stopped(log: Logger, signal: NodeJS.Signals): number {
  log.info({ signal }, "stopped");
  // Whatever is still pending (a connection attempt, a task an adapter did not abort) does not keep the process.
  setTimeout(() => process.exit(0), EXIT_GRACE_MS).unref();
  return 0;
}

/** The built adapters named on the command line. */
function chosen(built: readonly Adapter[], wanted: readonly string[]): Adapter[] {
  const unknown = wanted.filter((name) => !built.some((a) => a.name === name));
  if (unknown.length > 0) {
    const available = built.map((a) => a.name).join(", ") || "none";
    throw new UsageError(`no adapter ${unknown.map((n) => `'${n}'`).join(", ")} in this project (its config gives: ${available})`);
  }
  return built.filter((a) => wanted.includes(a.name));
}

function adapterNames(value: string | undefined): string[] {
  if (value === undefined) throw new UsageError("aslan worker needs --adapters, e.g. --adapters lambda,sns");
  const names = [...new Set(value.split(",").map((n) => n.trim()).filter((n) => n !== ""))];
  if (names.length === 0) throw new UsageError("--adapters needs at least one adapter name");
  return names;
}

function positiveInteger(args: ParsedArgs, key: string, fallback: number): number {
  const value = optionValue(args, key);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1) throw new UsageError(`--${key} must be a positive whole number, got '${value}'`);
  return n;
}

