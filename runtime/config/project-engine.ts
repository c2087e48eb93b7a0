/**
 * The engine `aslan run` (and `createEngine({ adapters })`) runs on: adapters first, then
 * in-process functions behind them, and definitions whose Task resources nothing here runs
 * refused when they are loaded.
 */
import type { Logger } from "pino";
import type { TaskFunctions } from "../bus/task-functions.js";
import type { Engine, EngineOptions } from "../engine/engine.js";
import { EngineExecutions, engineStarter } from "../engine/engine-executions.js";
import type { Adapter } from "../ports/adapter.js";
import type { BuildAdapters } from "./adapter-host.js";
import type { LoadedConfig } from "./load-config.js";
import { ResourceCheckedEngine } from "./resource-check.js";
import { AdapterRouting } from "./task-routing.js";

export interface ProjectEngine {
  readonly engine: Engine;
  /** Stops adapter work and closes the adapters (worker pools); the engine's own close() is separate. */
  closeAdapters(): Promise<void>;
}

export interface ProjectEngineOptions extends Omit<EngineOptions, "functions" | "taskBus"> {
  readonly functions?: TaskFunctions;
  /** Adapters from a project config (the `aslan` command) … */
  readonly project?: { readonly config?: LoadedConfig | undefined; readonly build: BuildAdapters; readonly cwd: string; readonly log: Logger; readonly dataDir?: string };
  /** … or built already (`createEngine({ adapters })`). */
  readonly adapters?: readonly Adapter[];
}

export function projectEngine(options: ProjectEngineOptions): ProjectEngine {
  const { functions = {}, project, adapters, ...engineOptions } = options;
  const routing = new AdapterRouting(functions);
  const engine = new ResourceCheckedEngine({ ...engineOptions, taskBus: routing }, routing);
  if (adapters) routing.attach(adapters);
  else if (project) {
    routing.attach(project.build(project.config?.config ?? {}, {
      configDir: project.config?.dir ?? project.cwd,
      engine,
      executions: new EngineExecutions(engine, engineStarter(engine)),
      functions,
      log: project.log,
      ...(project.dataDir !== undefined ? { dataDir: project.dataDir } : {}),
    }));
  }
  return { engine, closeAdapters: () => routing.close() };
}
