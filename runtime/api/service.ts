/**
 * Wires one API service: an engine whose task bus hands activity tasks to pollers, and the
 * registries of state machines, activities and tags beside it. With adapters, their
 * resources go to them (in-process functions behind them), and CreateStateMachine refuses
 * Task resources nothing here runs.
 */
import type { Logger } from "pino";
import { InProcessTaskBus } from "../bus/in-process-task-bus.js";
import type { TaskFunctions } from "../bus/task-functions.js";
import { ResourceCheckedEngine } from "../config/resource-check.js";
import { AdapterRouting } from "../config/task-routing.js";
import { ActivityQueues } from "../control/activity-queues.js";
import { MemoryStateMachineRegistry } from "../control/memory-state-machines.js";
import { MemoryTagRegistry } from "../control/memory-tags.js";
import { Engine, type EngineOptions } from "../engine/engine.js";
import type { Adapter, AdapterApi } from "../ports/adapter.js";
import type { ApiContext } from "./context.js";

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
}

/** The API context, and how to stop its adapters' work. */
export interface Service extends ApiContext {
  /** The APIs adapters serve on the server's port (SQS's, for queues). */
  readonly adapterApis: readonly AdapterApi[];
  closeAdapters(): Promise<void>;
}

export function createService(options: ServiceOptions): Service {
  const activities = new ActivityQueues(options.activityPollMs !== undefined ? { pollMs: options.activityPollMs } : {});
  const { adapters, ...engineOptions } = options;
  const routing = adapters ? new AdapterRouting(options.functions ?? {}) : undefined;
  const engine = routing
    ? new ResourceCheckedEngine({ ...engineOptions, taskBus: activities.route(routing) }, routing)
    : new Engine({ ...engineOptions, taskBus: activities.route(new InProcessTaskBus(options.functions ?? {})) });
  const context: ApiContext = {
    engine,
    account: engine.account,
    stateMachines: new MemoryStateMachineRegistry(() => engine.random()),
    activities,
    tags: new MemoryTagRegistry(),
    log: options.log,
  };
  const built = routing && adapters ? adapters(context) : [];
  routing?.attach(built);
  const adapterApis = built.flatMap((a) => (a.api ? [a.api] : []));
  return { ...context, adapterApis, closeAdapters: async () => routing?.close() };
}
