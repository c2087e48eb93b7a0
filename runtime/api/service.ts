/**
 * Wires one API service: an engine whose task bus hands activity tasks to pollers, and the
 * registries of state machines, activities and tags beside it. With adapters, their
 * resources go to them (in-process functions behind them), and CreateStateMachine refuses
 * Task resources nothing here runs.
 *
 * With a store, the registries are loaded from it at start-up and write every change
 * through to it; the API reads executions that have left the engine's memory from it;
 * finished executions leave memory once the store holds them, and retention removes them
 * after the retention period. Without one, everything lives in memory (retention still
 * applies there).
 */
import type { Logger } from "pino";
import { InProcessTaskBus } from "../bus/in-process-task-bus.js";
import type { TaskFunctions } from "../bus/task-functions.js";
import { ResourceCheckedEngine } from "../config/resource-check.js";
import { AdapterRouting, type RemoteAdapters } from "../config/task-routing.js";
import { ACTIVITY_POLL_MS, ActivityQueues } from "../control/activity-queues.js";
import type { DocumentWrites } from "../control/document-writes.js";
import { MemoryStateMachineRegistry } from "../control/memory-state-machines.js";
import { MemoryTagRegistry } from "../control/memory-tags.js";
import type { RoutedActivities, SharedActivities } from "../control/shared-activities.js";
import { StoredRegistries, type LoadProblem } from "../control/stored-registries.js";
import { Engine, type EngineOptions } from "../engine/engine.js";
import type { Adapter, AdapterApi } from "../ports/adapter.js";
import type { ExecutionStore } from "../ports/execution-store.js";
import type { ApiContext } from "./context.js";
import { compileOrThrow } from "./definition-errors.js";
import { ExecutionDirectory } from "./execution-directory.js";
import { ExecutionRetention, type RetentionOptions } from "./execution-retention.js";

export interface ServiceOptions extends Omit<EngineOptions, "functions" | "taskBus"> {
  readonly functions?: TaskFunctions;
  readonly log: Logger;
  /** How long GetActivityTask waits for a task (AWS: 60 s; tests use less). */
  readonly activityPollMs?: number;
  /**
   * Builds the adapters once the service exists (they may use its engine and registries).
   * The service closes them when it closes.
   */
  readonly adapters?: (context: ApiContext) => readonly Adapter[];
  /** Where registries and executions are kept; memory only when absent. Its opener closes it. */
  readonly store?: ExecutionStore;
  /** How long finished executions are kept (AWS's 90 days unless given), and how often retention runs. */
  readonly retention?: RetentionOptions;
  /** Distributed mode: the adapters whose tasks go to workers, and the bus that takes them there. */
  readonly remoteAdapters?: RemoteAdapters;
  /** Distributed mode: activity task queues every node shares, around this node's registry (serve.ts's `nodeOptions`). */
  readonly sharedActivities?: SharedActivities;
}

/** The API context, and how to stop its adapters' work. */
export interface Service extends ApiContext {
  /** The APIs adapters serve on the server's port (SQS's, for queues). */
  readonly adapterApis: readonly AdapterApi[];
  /** With a store: the registries' writes (an API call waits for those it caused). */
  readonly writes?: DocumentWrites;
  /** Retention of finished executions (`sweep(time)` runs it now). */
  readonly retention: ExecutionRetention;
  /** Stored documents left out at start-up (definitions that no longer compile), each named. */
  readonly problems: readonly LoadProblem[];
  closeAdapters(): Promise<void>;
  /** Stops retention and waits for the registries' writes in flight (the engine and adapters close apart). */
  closeStorage(): Promise<void>;
  /** A shared store: reads the registries again (what other nodes created since). */
  readonly refreshRegistries?: () => Promise<void>;
  /** Where tasks go, when adapters are configured (distributed mode asks it for a resource's adapter). */
  readonly routing?: AdapterRouting;
}

/** A shared store: how often a node reads the registries again (another node's changes reach it by then, or at its first miss). */
const REGISTRY_REFRESH_MS = 2_000;

export async function createService(options: ServiceOptions): Promise<Service> {
  const { adapters, store, retention, remoteAdapters, sharedActivities, ...engineOptions } = options;
  // The registries and the engine need each other: the engine routes activity tasks to the
  // registry's queues, the registries compile stored definitions with the engine (at load()).
  const late: { engine?: Engine; refresh?: () => Promise<void> } = {};
  const engineOf = (): Engine => late.engine as Engine;
  const stored = store
    ? new StoredRegistries({
      store,
      compile: (definition, type) => compileOrThrow(engineOf(), definition, type),
      random: () => engineOf().random(),
      ...(options.activityPollMs !== undefined ? { pollMs: options.activityPollMs } : {}),
      onWriteError: (err, document) => options.log.error({ err, document }, "a registry document could not be written to the store"),
    })
    : undefined;
  const local = stored?.activities ?? new ActivityQueues(options.activityPollMs !== undefined ? { pollMs: options.activityPollMs } : {});
  const activities: RoutedActivities = sharedActivities?.({
    local,
    engine: engineOf,
    refresh: () => late.refresh?.() ?? Promise.resolve(),
    onError: (err, what) => options.log.error({ err }, what),
    pollMs: options.activityPollMs ?? ACTIVITY_POLL_MS,
  }) ?? local;
  const routing = adapters ? new AdapterRouting(options.functions ?? {}, remoteAdapters) : undefined;
  const taskBus = activities.route(routing ?? new InProcessTaskBus(options.functions ?? {}));
  // With a store the engine persists Standard executions, and lets go of each once its end is stored.
  const full = { ...engineOptions, ...(store ? { store, log: options.log } : {}), taskBus };
  const engine = (late.engine = routing ? new ResourceCheckedEngine(full, routing) : new Engine(full));
  const executionRetention = new ExecutionRetention(engine, store, retention, options.log);
  const context: ApiContext = {
    engine,
    account: engine.account,
    stateMachines: stored?.stateMachines ?? new MemoryStateMachineRegistry(() => engine.random()),
    activities,
    tags: stored?.tags ?? new MemoryTagRegistry(),
    executions: new ExecutionDirectory(engine, store),
    log: options.log,
  };
  const built = routing && adapters ? adapters(context) : [];
  routing?.attach(built);
  // Stored definitions compile once the adapters are attached (they decide which Task resources run).
  const problems = await loadAndRecover(stored, engine, options.log).catch(async (e: unknown) => {
    // Stored data it cannot trust: nothing may keep the process alive (adapters' worker pools).
    await engine.close();
    await routing?.close();
    throw e;
  });
  executionRetention.start();
  const refreshRegistries = stored && options.shared ? sharedRefresh(stored, options.log) : undefined;
  if (refreshRegistries) late.refresh = refreshRegistries.now;
  const adapterApis = built.flatMap((a) => (a.api ? [a.api] : []));
  const writes = stored?.writes;
  return {
    ...context,
    adapterApis,
    ...(writes ? { writes } : {}),
    retention: executionRetention,
    problems,
    closeAdapters: async () => routing?.close(),
    ...(routing ? { routing } : {}),
    ...(refreshRegistries ? { refreshRegistries: refreshRegistries.now } : {}),
    closeStorage: async () => {
      refreshRegistries?.stop();
      await activities.close?.();
      await executionRetention.close();
      await writes?.idle();
    },
  };
}

/**
 * Fills the registries from the store, then recovers the executions a previous process left
 * running (they compile their own stored definitions). Returns the documents left out.
 */
async function loadAndRecover(stored: StoredRegistries | undefined, engine: Engine, log: Logger): Promise<readonly LoadProblem[]> {
  const problems = stored ? await stored.load() : [];
  const recovery = await engine.start();
  if (recovery.recovered > 0) log.info({ recovered: recovery.recovered }, "recovered running executions from the store");
  for (const { executionArn, error } of recovery.skipped) log.error({ executionArn, error }, `stored execution ${executionArn} was not recovered: ${error}`);
  return problems;
}

/** Reads the registries again every REGISTRY_REFRESH_MS, and on demand (one read at a time). */
function sharedRefresh(stored: StoredRegistries, log: Logger): { now: () => Promise<void>; stop: () => void } {
  let reading: Promise<void> | undefined;
  const now = (): Promise<void> => {
    reading ??= stored.load().then(
      () => undefined,
      (err: unknown) => log.error({ err }, "reading the shared store's registries failed"),
    ).finally(() => (reading = undefined));
    return reading;
  };
  const timer = setInterval(() => void now(), REGISTRY_REFRESH_MS);
  timer.unref();
  return { now, stop: () => clearInterval(timer) };
}
