/**
 * The `aslan` command. Bad input (a missing file, invalid JSON, an invalid definition, an
 * invalid config) gets a clear message and exit status 2, never a stack trace. The
 * executable is the composition root `cli.ts`, which hands in how adapters are built.
 */
import { readFileSync } from "node:fs";
import { pino } from "pino";
import { DefinitionError, type Diagnostic } from "../../translators/asl/diagnostics.js";
import type { Json } from "../../translators/json.js";
import { checkDefinition } from "../../translators/load.js";
import type { BuildAdapters } from "../config/adapter-host.js";
import { loadProjectConfig } from "../config/load-config.js";
import { projectEngine } from "../config/project-engine.js";
import { Engine, type ExecutionResult } from "../engine/engine.js";
import type { TaskFunctions } from "../bus/task-functions.js";
import { SystemClock } from "../clock/system-clock.js";
import { optionValue, parseArgs, UsageError, type ParsedArgs } from "./args.js";
import { openDataDir, type DataDir } from "./data-dir.js";
import { loadFunctions } from "./functions.js";
import { runDurableTimers, stuckMessage, stuckWatch, untilDoneOrStuck } from "./run-stuck.js";
import { describeWaits } from "./run-waits.js";
import { jsonResult, renderResult } from "./render.js";
import { serve } from "./serve.js";
import { worker } from "./worker.js";

export interface CliOptions {
  /** Adapters from the project config; without it, Tasks reach in-process functions only. */
  readonly buildAdapters?: BuildAdapters;
  /** Commands adapters bring (`aslan queue`), by name, with their usage text. */
  readonly commands?: Readonly<Record<string, { readonly run: (argv: readonly string[]) => Promise<number>; readonly usage: string }>>;
}

const USAGE = `usage:
  aslan run <definition.asl.json> [--input '<json>' | --input @file.json] [--json] [--virtual-time]
            [--config aslan.config.mjs] [--functions module.mjs] [--data-dir <dir>]
  aslan validate <definition.asl.json>
  aslan serve [--port 8083] [--host 127.0.0.1] [--config aslan.config.mjs] [--functions module.mjs]
              [--virtual-time] [--log-level info]
              [--access-key-id <id> --secret-access-key <secret>] [--allow-unauthenticated]
              [--region us-east-1] [--account-id 123456789012]
              [--data-dir ./.aslan | --in-memory | --nats nats://127.0.0.1:4222 [--sweep-seconds 15]]
              [--retention-days 90]
  aslan worker --adapters lambda,sns,... [--nats nats://127.0.0.1:4222] [--config aslan.config.mjs]
               [--concurrency 16] [--ack-wait 30] [--drain-seconds 30] [--log-level info]

  run        runs one execution on the embedded engine and prints its result and history
             (exit 0 when it SUCCEEDED, 1 when not, 2 for bad input); then waits (at most 30 s)
             for work it left running, such as SNS deliveries; functions' console output goes to stderr.
             In memory, unless --data-dir names a store to record the execution in (aslan serve
             --data-dir on that directory shows it; a store with running executions is refused).
             Timers (Wait, Retry intervals, TimeoutSeconds) take real time; --virtual-time skips them.
             When nothing left in the process can move the execution on (a task function that never
             settles, a .waitForTaskToken task nothing answers, and with --data-dir a timer due more
             than 60 s later) it prints the execution as RUNNING, says which states wait for what,
             and exits 1; with --data-dir it stays RUNNING there and aslan serve --data-dir continues it
             (with the same --functions and --config)
  --config   the project config (functions, topics, queues, tables, connections); without it,
             aslan.config.mjs, .js or .json in the working directory if there is one. Task
             resources that nothing configured can run are refused when a definition is loaded.
  validate   prints every problem in a definition with its location (exit 1 when any)
  serve      serves the AWS Step Functions API (JSON 1.0) for the AWS SDKs and CLI (--endpoint-url),
             with GET /healthz and GET /metrics (Prometheus); logs JSON lines to stdout
             (--log-level fatal|error|warn|info|debug|trace|silent); stops on SIGINT/SIGTERM, exit 0.
             With credentials (the flags, or ASLAN_ACCESS_KEY_ID and ASLAN_SECRET_ACCESS_KEY, which
             keep the secret out of the process list) every request must be SigV4-signed with them.
             Without, requests are not authenticated and only loopback hosts are allowed, unless
             --allow-unauthenticated. --region and --account-id go into every ARN it makes.
             State machines, versions, aliases, activities, tags and executions are kept in a durable
             store in --data-dir (./.aslan unless given; one serve process per directory) and are
             there again after a restart; --in-memory keeps nothing. Finished executions are removed
             after --retention-days (90 unless given, as AWS). With --nats, this process is one stateless
             runtime node of distributed mode: executions, timers and task answers live in NATS JetStream,
             any number of nodes serve side by side, and tasks go to \`aslan worker\` processes. Every
             --sweep-seconds a node puts back to work executions a node that died left half-done.
  worker     runs the named adapters of the project config for the runtime nodes of a distributed
             installation: takes their tasks from NATS JetStream (--nats, comma-separated servers),
             runs up to --concurrency of them at once and sends the results back. Workers of one
             adapter share its tasks; a task whose worker dies goes to another one after --ack-wait
             seconds without a sign of life. Logs JSON lines to stdout; on SIGINT/SIGTERM it stops
             taking tasks and lets the running ones finish (for --drain-seconds at most; then they
             go back to the queue), exit 0.`;

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    throw new UsageError(`cannot read ${what} '${path}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

function parseInput(value: string | true | undefined): Json {
  if (value === undefined) return {};
  if (value === true) throw new UsageError("--input needs a value");
  const text = value.startsWith("@") ? readText(value.slice(1), "input file") : value;
  try {
    return JSON.parse(text) as Json;
  } catch (e) {
    throw new UsageError(`--input is not valid JSON: ${(e as Error).message}`);
  }
}

const formatDiagnostic = (d: Diagnostic): string => `${d.severity} ${d.location || "/"}: ${d.message} [${d.code}]`;

async function run(argv: readonly string[], options: CliOptions): Promise<number> {
  const args = parseArgs(argv, new Set(["input", "functions", "config", "data-dir"]));
  const file = args.positionals[0];
  if (!file) throw new UsageError("aslan run needs a definition file");
  const definition = readText(file, "definition file");
  const input = parseInput(args.options.get("input"));
  const functions = await loadFunctions(args.options.get("functions"));
  const virtualTime = args.options.has("virtual-time");
  const configPath = optionValue(args, "config");
  if (!options.buildAdapters && configPath !== undefined) throw new UsageError("--config needs the aslan executable (cli.js), which builds adapters");
  const dataDirPath = optionValue(args, "data-dir");
  const dataDir = dataDirPath === undefined ? undefined : await openDataDir(dataDirPath);
  try {
    return await runOnce(args, definition, input, options, { virtualTime, functions, configPath, dataDir });
  } finally {
    await dataDir?.close();
  }
}

interface RunSetup {
  readonly virtualTime: boolean;
  readonly functions: TaskFunctions;
  readonly configPath: string | undefined;
  /** With --data-dir: the store the execution is recorded in (recovery is serve's job). */
  readonly dataDir: DataDir | undefined;
}

async function runOnce(args: ParsedArgs, definition: string, input: Json, options: CliOptions, setup: RunSetup): Promise<number> {
  const { virtualTime, functions, configPath } = setup;
  const build = options.buildAdapters;
  const store = await recordingStore(setup.dataDir);
  const clock = new SystemClock();
  const timers = runDurableTimers(setup.virtualTime ? undefined : setup.dataDir?.store, clock);
  const { engine, closeAdapters } = build
    ? projectEngine({
      virtualTime, functions, ...store, clock, ...timers,
      // A function's console output goes to stderr, so stdout keeps only the result.
      project: { build, config: await loadProjectConfig({ ...(configPath !== undefined ? { path: configPath } : {}), cwd: process.cwd() }), cwd: process.cwd(), log: pino({ level: "info", base: null }, pino.destination(2)), ...(setup.dataDir ? { dataDir: setup.dataDir.adapterData } : {}) },
    })
    : { engine: new Engine({ virtualTime, functions, ...store, clock, ...timers }), closeAdapters: () => Promise.resolve() };
  try {
    await engine.start();
    const exec = engine.startExecution(engine.createStateMachine("aslan-run", definition), input);
    const result = await untilDoneOrStuck(engine.result(exec), stuckWatch(engine.clock, setup.dataDir?.store, setup.virtualTime));
    if ("stuck" in result) {
      process.stderr.write(stuckMessage(describeWaits(exec, result.timers), { timers: result.timers.length > 0, virtualTime: setup.virtualTime, dataDir: setup.dataDir?.path }));
      const running: ExecutionResult = { executionArn: exec.info.arn, status: "RUNNING", history: exec.history };
      process.stdout.write((args.options.has("json") ? jsonResult(running) : renderResult(running)) + "\n");
      return 1;
    }
    process.stdout.write((args.options.has("json") ? jsonResult(result) : renderResult(result)) + "\n");
    // Work the execution left running (SNS deliveries, Event invocations) finishes before the adapters close.
    await engine.close();
    await idleOrAfter(DRAIN_MS);
    return result.status === "SUCCEEDED" ? 0 : 1;
  } finally {
    await engine.close();
    await closeAdapters();
  }
}

/**
 * With --data-dir, the engine records the execution in the store; it does not recover the
 * ones a previous process left running there (that is `aslan serve`'s job), so a store that
 * has some is refused rather than having them run here.
 */
async function recordingStore(dataDir: DataDir | undefined): Promise<{ store?: DataDir["store"] }> {
  if (!dataDir) return {};
  const running = await dataDir.store.listRunning({ limit: 1 });
  if (running.items.length > 0) {
    throw new Error(`the data directory ${dataDir.path} holds running executions (${running.items[0] ?? ""}…): ` +
      "aslan serve --data-dir recovers them; aslan run only records new ones");
  }
  return { store: dataDir.store };
}

/** How long `aslan run` waits, after printing the result, for adapter work still running. */
const DRAIN_MS = 30_000;

/** Resolves when nothing is left for the event loop (or after `ms`, if something keeps it busy). */
function idleOrAfter(ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      process.off("beforeExit", done);
      resolve();
    };
    const timer = setTimeout(done, ms).unref();
    process.once("beforeExit", done);
  });
}

function validate(argv: readonly string[]): number {
  const file = parseArgs(argv, new Set()).positionals[0];
  if (!file) throw new UsageError("aslan validate needs a definition file");
  const diagnostics = checkDefinition(readText(file, "definition file"), { randomness: { random: () => 0, uuid: () => "" } });
  for (const d of diagnostics) process.stdout.write(formatDiagnostic(d) + "\n");
  const errors = diagnostics.filter((d) => d.severity === "ERROR").length;
  process.stdout.write(errors === 0 ? `${file}: valid\n` : `${file}: ${errors} error(s)\n`);
  return errors === 0 ? 0 : 1;
}

const usage = (options: CliOptions): string =>
  [USAGE, ...Object.values(options.commands ?? {}).map((c) => c.usage)].join("\n\n");

export async function main(argv: readonly string[], options: CliOptions = {}): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "run":
        return await run(rest, options);
      case "validate":
        return validate(rest);
      case "serve":
        return await serve(rest, options.buildAdapters);
      case "worker":
        return await worker(rest, options.buildAdapters);
      case undefined:
      case "help":
      case "--help":
      case "-h":
        process.stdout.write(usage(options) + "\n");
        return command === undefined ? 2 : 0;
      default: {
        const extra = options.commands?.[command];
        if (!extra) throw new UsageError(`unknown command '${command}'`);
        return await extra.run(rest);
      }
    }
  } catch (e) {
    if (e instanceof UsageError) process.stderr.write(`aslan: ${e.message}\n${command === undefined ? "" : "\n" + usage(options) + "\n"}`);
    else if (e instanceof DefinitionError) process.stderr.write(`aslan: invalid definition\n${e.diagnostics.map((d) => "  " + formatDiagnostic(d)).join("\n")}\n`);
    else process.stderr.write(`aslan: ${(e as Error).message}\n`);
    return 2;
  }
}
