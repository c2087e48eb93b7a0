/** The `aslan` package API. */
import { projectEngine } from "./runtime/config/project-engine.js";
import { Engine, type EngineOptions } from "./runtime/index.js";
import type { Adapter } from "./runtime/ports/adapter.js";

export * from "./runtime/index.js";
export * from "./translators/index.js";
export { TaskError, type Adapter, type AdapterTask } from "./runtime/ports/adapter.js";
export type { ProjectConfig, FunctionConfig } from "./runtime/config/project-config.js";
export { loadProjectConfig, ConfigError, type LoadedConfig } from "./runtime/config/load-config.js";
export { buildAdapters } from "./adapters/index.js";
export { LambdaAdapter, type LambdaAdapterOptions, type FunctionLog } from "./adapters/lambda/index.js";

export interface CreateEngineOptions extends EngineOptions {
  /**
   * Adapters that run Task resources (e.g. `new LambdaAdapter({ functions })`), tried before
   * `functions`. With them, definitions whose Task resources nothing here runs are refused
   * when loaded. Close them (`adapter.close()`) when done with the engine.
   */
  readonly adapters?: readonly Adapter[];
}

/** A long-lived embedded engine (state machines, executions, callbacks). */
export function createEngine(options: CreateEngineOptions = {}): Engine {
  const { adapters, ...engineOptions } = options;
  if (!adapters) return new Engine(engineOptions);
  if (engineOptions.taskBus) throw new TypeError("createEngine: give adapters or a taskBus, not both");
  return projectEngine({ ...engineOptions, adapters }).engine;
}
