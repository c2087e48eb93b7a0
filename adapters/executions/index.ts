/**
 * Nested executions: `arn:aws:states:::states:startExecution` with each integration pattern.
 * - request-response: the child is started; the Task ends with StartExecution's answer.
 * - `.sync` / `.sync:2`: the Task waits for the child and ends with its DescribeExecution;
 *   when the Task stops waiting (its TimeoutSeconds, the parent stopped), the child is stopped.
 * - `.waitForTaskToken`: the child is started with the token wherever the Parameters put it
 *   (`"token.$": "$$.Task.Token"`); the Task ends with SendTaskSuccess/SendTaskFailure.
 * https://docs.aws.amazon.com/step-functions/latest/dg/connect-stepfunctions.html
 */
import { randomUUID } from "node:crypto";
import type { Json } from "../../translators/json.js";
import type { ResourceInfo } from "../../translators/dataflow/resource.js";
import type { ProjectConfig } from "../../runtime/config/project-config.js";
import { TaskError, type Adapter, type AdapterTask } from "../../runtime/ports/adapter.js";
import type { ExecutionOutcome, Executions } from "../../runtime/ports/executions.js";
import { readStartRequest } from "./request.js";
import { describeExecutionOutput, startExecutionOutput, type DataForm } from "./responses.js";

export interface ExecutionsAdapterDeps {
  readonly executions: Executions;
}

type Pattern = "request-response" | "sync" | "sync:2" | "waitForTaskToken";

// The resource is read from its ARN: `.sync:2`'s suffix holds a colon.
const RESOURCE = /^arn:[^:]+:states:::states:startExecution(?:\.(sync(?::2)?|waitForTaskToken))?$/;

const patternOf = (arn: string): Pattern | undefined => {
  const m = RESOURCE.exec(arn);
  return m ? ((m[1] as Pattern | undefined) ?? "request-response") : undefined;
};

export class ExecutionsAdapter implements Adapter {
  readonly name = "executions";
  readonly resources = [
    "arn:aws:states:::states:startExecution",
    "arn:aws:states:::states:startExecution.sync",
    "arn:aws:states:::states:startExecution.sync:2",
    "arn:aws:states:::states:startExecution.waitForTaskToken",
  ];

  constructor(private readonly executions: Executions) {}

  handles(resource: ResourceInfo): boolean {
    return patternOf(resource.arn) !== undefined;
  }

  async run(task: AdapterTask): Promise<Json> {
    const pattern = patternOf(task.resource.arn);
    const request = readStartRequest(task.payload);
    if (task.signal.aborted) throw new TaskError("States.TaskFailed", "The task stopped before the execution started");
    const started = await this.executions.start(request);
    if (pattern !== "sync" && pattern !== "sync:2") return startExecutionOutput(started, randomUUID());
    task.submitted?.(startExecutionOutput(started, randomUUID()));
    const outcome = await this.waitFor(started.executionArn, task.signal);
    const form: DataForm = pattern === "sync:2" ? "json" : "text";
    const described = describeExecutionOutput(outcome, form);
    if (outcome.status === "SUCCEEDED") return described;
    throw new TaskError("States.TaskFailed", JSON.stringify(described));
  }

  /** The child's end; if the Task stops waiting first, the child is stopped (as AWS does for `.sync`). */
  private async waitFor(executionArn: string, signal: AbortSignal): Promise<ExecutionOutcome> {
    try {
      return await this.executions.outcome(executionArn, signal);
    } catch (e) {
      if (!signal.aborted) throw e;
      await this.executions.stop(executionArn);
      throw new TaskError("States.TaskFailed", `The task stopped waiting; execution '${executionArn}' was stopped`);
    }
  }
}

/** The `states:startExecution` adapter (it needs no configuration: every state machine of the engine can be nested). */
export function createExecutionsAdapter(_config: ProjectConfig, deps: ExecutionsAdapterDeps): Adapter {
  return new ExecutionsAdapter(deps.executions);
}
