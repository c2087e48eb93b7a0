/**
 * The `Executions` port on an Engine: what the nested-execution adapter
 * (`arn:aws:states:::states:startExecution[.sync|.sync:2|.waitForTaskToken]`) starts, waits
 * for and stops. How a request becomes a run (StartExecution's rules) is an `ExecutionStarter`:
 * the engine's own state machines here (`aslan run`, `createEngine`), the API's registry with
 * versions and aliases under `aslan serve` (runtime/api/api-executions.ts).
 * https://docs.aws.amazon.com/step-functions/latest/dg/connect-stepfunctions.html
 */
import { randomUUID } from "node:crypto";
import type { Json } from "../../translators/json.js";
import { TaskError } from "../ports/adapter.js";
import type { ExecutionOutcome, Executions } from "../ports/executions.js";
import { executionArn } from "./arns.js";
import type { Engine } from "./engine.js";
import type { ExecutionRun } from "./execution-run.js";

export type StartExecutionRequest = Parameters<Executions["start"]>[0];

/** Starts (or, for StartExecution's idempotent repeat, finds) the run a request names; throws a TaskError. */
export type ExecutionStarter = (request: StartExecutionRequest) => ExecutionRun;

/** How many started runs are remembered here (Express runs leave the engine once they end). */
const REMEMBERED_RUNS = 10_000;

/**
 * A Step Functions API error as an optimized integration reports it: the SDK exception's
 * name under `StepFunctions.` (e.g. `StepFunctions.StateMachineDoesNotExistException`) and
 * the SDK's message with its request details as the cause.
 */
export function serviceError(code: string, message: string, status = 400): TaskError {
  const name = code.endsWith("Exception") ? code : `${code}Exception`;
  const details = `Service: AWSStepFunctions; Status Code: ${status}; Error Code: ${code}; Request ID: ${randomUUID()}; Proxy: null`;
  return new TaskError(`StepFunctions.${name}`, `${message} (${details})`);
}

export class EngineExecutions implements Executions {
  private readonly started = new Map<string, ExecutionRun>();

  constructor(
    private readonly engine: Engine,
    private readonly starter: ExecutionStarter = engineStarter(engine),
  ) {}

  start(request: StartExecutionRequest): Promise<{ executionArn: string; startDate: number }> {
    try {
      const run = this.starter(request);
      this.remember(run);
      return Promise.resolve({ executionArn: run.info.arn, startDate: run.info.startDate });
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
  }

  async outcome(arn: string, signal?: AbortSignal): Promise<ExecutionOutcome> {
    const run = this.find(arn);
    if (!run) throw serviceError("ExecutionDoesNotExist", `Execution Does Not Exist: '${arn}'`);
    if (run.status === "RUNNING") await untilAborted(this.engine.result(run), signal);
    return outcomeOf(run);
  }

  /** StopExecution: an execution that has already ended stays as it is. */
  stop(arn: string, error?: string, cause?: string): Promise<void> {
    const run = this.find(arn);
    if (run?.status === "RUNNING") this.engine.stopExecution(run, error, cause);
    return Promise.resolve();
  }

  private find(arn: string): ExecutionRun | undefined {
    return this.started.get(arn) ?? this.engine.getExecution(arn);
  }

  private remember(run: ExecutionRun): void {
    this.started.delete(run.info.arn);
    this.started.set(run.info.arn, run);
    if (this.started.size > REMEMBERED_RUNS) this.started.delete(this.started.keys().next().value as string);
  }
}

/**
 * StartExecution against the engine's own state machines (no versions or aliases): the state
 * machine must exist, the input must be JSON, and a Standard execution's name is unique (the
 * same name and input while it runs is the same request again, as the API answers).
 */
export function engineStarter(engine: Engine): ExecutionStarter {
  return (request) => {
    const record = engine.getStateMachine(request.stateMachineArn);
    if (!record) throw serviceError("StateMachineDoesNotExist", `State Machine Does Not Exist: '${request.stateMachineArn}'`);
    const text = request.input ?? "{}";
    let input: Json;
    try {
      input = JSON.parse(text) as Json;
    } catch (e) {
      throw serviceError("InvalidExecutionInput", `Invalid State Machine Execution Input: '${(e as Error).message}'`);
    }
    if (request.name !== undefined && (record.type ?? "STANDARD") === "STANDARD") {
      const arn = executionArn(engine.account, record.name, request.name);
      const existing = engine.getExecution(arn);
      if (existing?.status === "RUNNING" && inputText(existing) === text) return existing;
      if (existing) throw serviceError("ExecutionAlreadyExists", `Execution Already Exists: '${arn}'`);
    }
    return engine.startExecution(record, input, { inputText: text, ...(request.name !== undefined ? { name: request.name } : {}) });
  };
}

const inputText = (run: ExecutionRun): string => run.info.inputText ?? JSON.stringify(run.info.input);

/** What DescribeExecution says of an execution (the state machine's ARN, not a version's). */
export function outcomeOf(run: ExecutionRun): ExecutionOutcome {
  const version = run.info.stateMachineVersionArn;
  return {
    executionArn: run.info.arn,
    stateMachineArn: version ? version.slice(0, version.lastIndexOf(":")) : run.info.stateMachineArn,
    name: run.info.name,
    status: run.status,
    startDate: run.info.startDate,
    ...(run.stopDate !== undefined ? { stopDate: run.stopDate } : {}),
    input: inputText(run),
    ...(run.status === "SUCCEEDED" ? { output: JSON.stringify(run.output ?? null) } : {}),
    ...(run.error !== undefined ? { error: run.error } : {}),
    ...(run.cause !== undefined ? { cause: run.cause } : {}),
  };
}

/** `p`, unless `signal` aborts first (then its reason). */
function untilAborted<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(abortReason(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortReason(signal));
    signal.addEventListener("abort", onAbort, { once: true });
    p.then(
      (v) => (signal.removeEventListener("abort", onAbort), resolve(v)),
      (e: unknown) => (signal.removeEventListener("abort", onAbort), reject(e instanceof Error ? e : new Error(String(e)))),
    );
  });
}

const abortReason = (signal: AbortSignal): Error => (signal.reason instanceof Error ? signal.reason : new Error("aborted"));
