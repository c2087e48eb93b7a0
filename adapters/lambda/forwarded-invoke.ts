/**
 * `forward.lambda`: a Task's invocation sent to Lambda's Invoke API (a LambdaInvoker) instead of
 * the worker threads, and the answer shaped as Step Functions shapes it: a bare function ARN's
 * result is the function's payload, `lambda:invoke`'s is the Invoke response (invoke-output.ts).
 * A function error fails the Task with the error document's errorType.
 * https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html
 */
import { randomUUID } from "node:crypto";
import type { Account } from "../../runtime/engine/arns.js";
import { TaskError, type AdapterTask } from "../../runtime/ports/adapter.js";
import { isObject, type Json } from "../../translators/json.js";
import { reportedFunctionError } from "./errors.js";
import { parseFunctionName } from "./function-name.js";
import { invokeOutput, payloadOf } from "./invoke-output.js";
import { invokeParameters } from "./invoke-parameters.js";
import type { InvokeApiRequest, InvokeApiResponse, LambdaInvoker } from "./lambda-invoker.js";

/** Runs a Task's invocation on the invoker; resolves with the Task's result. */
export async function invokeForwarded(invoker: LambdaInvoker, task: AdapterTask, account: Account): Promise<Json> {
  if (task.resource.kind === "lambda-function") {
    const response = await call(invoker, functionRequest(task.resource.arn, task.payload, account), task.signal);
    return payloadOf(response.body);
  }
  const response = await call(invoker, invokeRequest(task.payload, account), task.signal);
  return invokeOutput({
    statusCode: response.statusCode,
    requestId: response.requestId,
    headers: response.headers,
    payload: payloadOf(response.body),
    ...(response.executedVersion !== undefined ? { executedVersion: response.executedVersion } : {}),
    ...(response.logResult !== undefined ? { logResult: response.logResult } : {}),
  });
}

/** A synchronous invocation of a function by name or ARN (SNS subscriptions): its result. */
export async function invokeFunctionForwarded(invoker: LambdaInvoker, functionName: string, event: Json, account: Account, clientContext?: Json, signal?: AbortSignal): Promise<Json> {
  const request = functionRequest(functionName, event, account);
  const withContext = clientContext === undefined ? request : { ...request, clientContext: Buffer.from(JSON.stringify(clientContext)).toString("base64") };
  return payloadOf((await call(invoker, withContext, signal)).body);
}

async function call(invoker: LambdaInvoker, request: InvokeApiRequest, signal?: AbortSignal): Promise<InvokeApiResponse> {
  const response = await invoker.invoke(request, signal);
  if (response.functionError !== undefined) throw reportedFunctionError(response.body);
  return response;
}

/** A bare function ARN: Step Functions invokes it synchronously with the ARN as FunctionName and the Task's input as the event. */
function functionRequest(name: string, event: Json, account: Account): InvokeApiRequest {
  const target = parseFunctionName(name, account);
  if (!target) throw new TaskError("States.Runtime", `'${name}' is not a Lambda function ARN`);
  return { functionName: name, invocationType: "RequestResponse", payload: JSON.stringify(event), region: target.region };
}

/**
 * `lambda:invoke`'s Parameters as the Invoke request, checked as Lambda checks them
 * (invokeParameters) and otherwise passed on as written: the FunctionName and Qualifier as
 * given, a string Payload as the body itself.
 */
function invokeRequest(payload: Json, account: Account): InvokeApiRequest {
  const parsed = invokeParameters(payload, account, randomUUID());
  const params = isObject(payload) ? payload : {};
  const { FunctionName: name, Qualifier: qualifier, ClientContext: clientContext, Payload: body } = params;
  return {
    functionName: name as string,
    invocationType: parsed.type,
    payload: typeof body === "string" ? body : JSON.stringify(parsed.event),
    region: parsed.target.region,
    ...(typeof qualifier === "string" ? { qualifier } : {}),
    ...(parsed.logType !== undefined ? { logType: parsed.logType } : {}),
    ...(typeof clientContext === "string" ? { clientContext } : {}),
  };
}
