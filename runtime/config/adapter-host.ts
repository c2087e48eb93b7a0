/**
 * What the composition root (`cli.ts`) hands the `aslan` command so that runtime/ can build
 * adapters without importing adapters/: a function from the project config to adapters.
 */
import type { Logger } from "pino";
import type { ApiContext } from "../api/context.js";
import type { TaskFunctions } from "../bus/task-functions.js";
import type { Engine } from "../engine/engine.js";
import type { Adapter } from "../ports/adapter.js";
import type { Executions } from "../ports/executions.js";
import type { ProjectConfig } from "./project-config.js";

/** What adapters may use of the process they run in. */
export interface AdapterHost {
  /** The config file's directory (module paths are already absolute); the working directory without one. */
  readonly configDir: string;
  /** The engine the adapters serve (account and region, clock, callbacks). */
  readonly engine: Engine;
  /** The API service under `aslan serve` (state machine registry, activities); absent for `aslan run`. */
  readonly api?: ApiContext;
  /** Nested executions (`states:startExecution`): the API's StartExecution under `aslan serve`, the engine's own state machines otherwise. */
  readonly executions: Executions;
  /** In-process task functions (`--functions`). */
  readonly functions: TaskFunctions;
  /** Where adapters log (under `aslan serve`, the server's JSON log). */
  readonly log: Logger;
  /**
   * A directory where adapters keep their data (tables, queues, buckets, secrets) durably:
   * `<data dir>/adapters` under `aslan serve` and `aslan run --data-dir`. Absent: in memory.
   * Each adapter owns a subdirectory named after itself and closes what it opened in close().
   */
  readonly dataDir?: string;
  /**
   * Distributed mode (`aslan serve --nats`, `aslan worker --nats`): the NATS servers whose
   * JetStream KV holds adapter data, so every node and worker sees the same tables, buckets
   * and secrets. Takes precedence over `dataDir` (which is then absent).
   */
  readonly natsServers?: string;
}

export type BuildAdapters = (config: ProjectConfig, host: AdapterHost) => Adapter[];
