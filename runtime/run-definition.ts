/**
 * `runDefinition`: one execution of a definition on the embedded engine, resolved to the
 * same object `aslan run --json` prints.
 */
import type { Json } from "../translators/json.js";
import type { HistoryEvent } from "../translators/xstate/actor-data.js";
import type { TaskFunctions } from "./bus/task-functions.js";
import { Engine, type EngineOptions } from "./engine/engine.js";
import type { ExecutionStatus } from "./engine/execution-status.js";

export interface RunOptions extends Omit<EngineOptions, "functions"> {
  readonly functions?: TaskFunctions;
  /** State machine and execution names (ARNs are built from them). */
  readonly stateMachineName?: string;
  readonly executionName?: string;
}

export interface RunResult {
  readonly status: Exclude<ExecutionStatus, "RUNNING">;
  readonly output?: Json;
  readonly error?: string;
  readonly cause?: string;
  readonly executionArn: string;
  readonly history: readonly HistoryEvent[];
}

/** Runs `definition` (object or JSON text) once; throws DefinitionError for an invalid definition. */
export async function runDefinition(definition: unknown, input: Json = {}, options: RunOptions = {}): Promise<RunResult> {
  const engine = new Engine(options);
  try {
    const sm = engine.createStateMachine(options.stateMachineName ?? "aslan-run", definition);
    const run = engine.startExecution(sm, input, options.executionName);
    const r = await engine.result(run);
    return {
      status: r.status as RunResult["status"],
      ...(r.output !== undefined ? { output: r.output } : {}),
      ...(r.error !== undefined ? { error: r.error } : {}),
      ...(r.cause !== undefined ? { cause: r.cause } : {}),
      executionArn: r.executionArn,
      history: r.history,
    };
  } finally {
    engine.close();
  }
}
