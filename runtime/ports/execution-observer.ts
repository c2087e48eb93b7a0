import type { ExecutionStatus } from "../engine/execution-status.js";

/** What the engine tells metrics (and anything else that watches) as executions move. */
export interface ExecutionObserver {
  executionStarted?(info: { readonly executionArn: string; readonly stateMachineArn: string }): void;
  executionFinished?(info: { readonly executionArn: string; readonly status: Exclude<ExecutionStatus, "RUNNING">; readonly durationMs: number }): void;
  /** A dispatched task settled (succeeded or failed) after `latencyMs`. */
  taskSettled?(info: { readonly resource: string; readonly outcome: "succeeded" | "failed"; readonly latencyMs: number }): void;
}
