/**
 * Wires one API service: an engine whose task bus hands activity tasks to pollers, and the
 * registries of state machines, activities and tags beside it.
 */
import type { Logger } from "pino";
import { InProcessTaskBus } from "../bus/in-process-task-bus.js";
import type { TaskFunctions } from "../bus/task-functions.js";
import { ActivityQueues } from "../control/activity-queues.js";
import { MemoryStateMachineRegistry } from "../control/memory-state-machines.js";
import { MemoryTagRegistry } from "../control/memory-tags.js";
import { Engine, type EngineOptions } from "../engine/engine.js";
import type { ApiContext } from "./context.js";

export interface ServiceOptions extends Omit<EngineOptions, "functions" | "taskBus"> {
  readonly functions?: TaskFunctions;
  readonly log: Logger;
  /** How long GetActivityTask waits for a task (AWS: 60 s; tests use less). */
  readonly activityPollMs?: number;
}

export function createService(options: ServiceOptions): ApiContext {
  const activities = new ActivityQueues(options.activityPollMs !== undefined ? { pollMs: options.activityPollMs } : {});
  const engine = new Engine({ ...options, taskBus: activities.route(new InProcessTaskBus(options.functions ?? {})) });
  return {
    engine,
    account: engine.account,
    stateMachines: new MemoryStateMachineRegistry(() => engine.random()),
    activities,
    tags: new MemoryTagRegistry(),
    log: options.log,
  };
}
