/**
 * Activities whose task queues every runtime node shares (distributed mode): GetActivityTask
 * on any node takes a task any node dispatched, and SendTask* on any node answers it. Built
 * inside createService around this node's own registry, which keeps the activities' entries.
 */
import type { Engine } from "../engine/engine.js";
import type { TaskBus } from "../ports/task-bus.js";
import type { ActivityQueues } from "./activity-queues.js";
import type { ActivityRegistry } from "./activity-registry.js";

/** An activity registry that takes the engine's activity tasks (it wraps the task bus). */
export interface RoutedActivities extends ActivityRegistry {
  /** A TaskBus that takes the tasks for activity ARNs and passes every other to `inner`. */
  route(inner: TaskBus): TaskBus;
  /** Stops handing out tasks and waits for dispatches in flight (the service's storage closes). */
  close?(): Promise<void>;
}

/** What shared activities need from the engine: a task's execution as stored, a worker's answer applied, token randomness. */
export type ActivityEngine = Pick<Engine, "loadExecution" | "applyAnswer" | "uuid">;

export interface SharedActivitiesHost {
  /** This node's registry: the activities' entries, and the tasks of its Express executions (which live only here). */
  readonly local: ActivityQueues;
  /** The engine, once built (the task bus is built before it). */
  readonly engine: () => ActivityEngine;
  /** Reads the registries again: another node may have created an activity this one has not read yet. */
  readonly refresh: () => Promise<void>;
  /** Where failures that reach no caller go (a dispatch that could not be published). */
  readonly onError: (error: unknown, what: string) => void;
  /** How long GetActivityTask waits for a task. */
  readonly pollMs: number;
}

/** Builds the shared activities of one node (serve.ts's `nodeOptions` gives JetStream's). */
export type SharedActivities = (host: SharedActivitiesHost) => RoutedActivities;
