/**
 * The embedded TaskBus: runs tasks in this process with local functions.
 * - bare Lambda ARNs and other resources: the function registered for the resource;
 * - `arn:aws:states:::lambda:invoke[.waitForTaskToken]`: the function named by
 *   `FunctionName`, called with `Payload`, result shaped as Lambda's Invoke response.
 * https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html
 */
import { isObject, type Json } from "../../translators/json.js";
import type { TaskBus, TaskReply, TaskRequest } from "../ports/task-bus.js";
import { findFunction, lambdaFunctionName, type TaskFunction, type TaskFunctions } from "./task-functions.js";

const LAMBDA_INVOKE = /^arn:[^:]+:states:::lambda:invoke(\.waitForTaskToken)?$/;

/** The function that runs a task and what it is called with (`fn` undefined: none is registered for it). */
export function functionFor(functions: TaskFunctions, task: Pick<TaskRequest, "resource" | "payload">): { fn: TaskFunction | undefined; input: Json; invoke: boolean } {
  if (!LAMBDA_INVOKE.test(task.resource)) return { fn: findFunction(functions, task.resource), input: task.payload, invoke: false };
  const params = isObject(task.payload) ? task.payload : {};
  const name = typeof params["FunctionName"] === "string" ? params["FunctionName"] : "";
  return { fn: functions[name] ?? functions[lambdaFunctionName(name)], input: params["Payload"] ?? {}, invoke: true };
}

export class InProcessTaskBus implements TaskBus {
  constructor(private readonly functions: TaskFunctions) {}

  /** True when a function here runs the task. */
  runs(task: Pick<TaskRequest, "resource" | "payload">): boolean {
    return functionFor(this.functions, task).fn !== undefined;
  }

  dispatch(task: TaskRequest, reply: TaskReply): void {
    const { fn, input, invoke } = functionFor(this.functions, task);
    if (!fn) {
      reply.failed("States.TaskFailed", `No function is registered for resource '${task.resource}'${invoke ? ` (FunctionName '${String((task.payload as Record<string, Json>)["FunctionName"])}')` : ""}.`);
      return;
    }
    reply.started();
    const context = { resource: task.resource, stateName: task.stateName, executionArn: task.executionArn, ...(task.taskToken ? { taskToken: task.taskToken } : {}) };
    Promise.resolve()
      .then(() => fn(input, context))
      .then(
        (output) => {
          const result = output === undefined ? null : output;
          reply.succeeded(invoke ? { ExecutedVersion: "$LATEST", Payload: result, StatusCode: 200 } : result);
        },
        (e: unknown) => {
          const err = e instanceof Error ? e : new Error(String(e));
          reply.failed(err.name || "Error", err.message);
        },
      );
  }
}
