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

export class InProcessTaskBus implements TaskBus {
  constructor(private readonly functions: TaskFunctions) {}

  dispatch(task: TaskRequest, reply: TaskReply): void {
    const invoke = LAMBDA_INVOKE.exec(task.resource);
    let fn: TaskFunction | undefined;
    let input: Json = task.payload;
    if (invoke) {
      const params = isObject(task.payload) ? task.payload : {};
      const name = typeof params["FunctionName"] === "string" ? params["FunctionName"] : "";
      fn = this.functions[name] ?? this.functions[lambdaFunctionName(name)];
      input = params["Payload"] ?? {};
    } else fn = findFunction(this.functions, task.resource);
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
