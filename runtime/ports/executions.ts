/** What the nested-execution adapter (`states:startExecution`) needs from the engine. */
import type { ExecutionStatus } from "../engine/execution-status.js";

export interface ExecutionOutcome {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  readonly status: ExecutionStatus;
  readonly startDate: number;
  readonly stopDate?: number;
  /** JSON text, as DescribeExecution returns them. */
  readonly input: string;
  readonly output?: string;
  readonly error?: string;
  readonly cause?: string;
}

export interface Executions {
  /** Starts an execution (StartExecution's rules: name, input text, idempotency); throws a TaskError-compatible error. */
  start(request: { readonly stateMachineArn: string; readonly input?: string; readonly name?: string; readonly parentExecutionArn?: string }): Promise<{ executionArn: string; startDate: number }>;
  /** Resolves when the execution ends; rejects if `signal` aborts first. */
  outcome(executionArn: string, signal?: AbortSignal): Promise<ExecutionOutcome>;
  /** StopExecution (used when a `.sync` parent task is cancelled). */
  stop(executionArn: string, error?: string, cause?: string): Promise<void>;
}
