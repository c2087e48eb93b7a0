/**
 * How Lambda failures reach Step Functions. A function error's name is the document's
 * `errorType` and its Cause the document as JSON text, so Retry/Catch can match it; what
 * Lambda itself reports (timeouts, a runtime that exited or ran out of memory) comes as its
 * own error type; failures of the Lambda service are `Lambda.<Exception>` with the Java SDK
 * message Step Functions quotes.
 * https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html
 * https://docs.aws.amazon.com/lambda/latest/dg/troubleshooting-invocation.html
 */
import { TaskError } from "../../runtime/ports/adapter.js";
import type { LambdaErrorDocument } from "./protocol.js";

/** The function failed (threw, rejected, called back with an error): its error document. */
export const functionError = (doc: LambdaErrorDocument): TaskError => new TaskError(doc.errorType, JSON.stringify(doc));

/** The invocation ran longer than the function's timeout. */
export const timedOut = (requestId: string, seconds: number): TaskError =>
  functionError({ errorType: "Sandbox.Timedout", errorMessage: `RequestId: ${requestId} Error: Task timed out after ${seconds.toFixed(2)} seconds` });

/** The function's runtime exited during the invocation (`process.exit`). */
export const exited = (requestId: string, code: number): TaskError =>
  functionError({ errorType: "Runtime.ExitError", errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: exit status ${code}` });

/** The function went over its memory. */
export const outOfMemory = (requestId: string): TaskError =>
  functionError({ errorType: "Runtime.OutOfMemory", errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: signal: killed` });

/**
 * A function error a Lambda service reported (`X-Amz-Function-Error`): the error is the
 * document's `errorType` and the Cause the payload as it came; a payload without one (a
 * timeout on older runtimes, a custom runtime) is `Lambda.Unknown`, worded as AWS words it.
 */
export function reportedFunctionError(payload: string): TaskError {
  const type = errorTypeOf(payload);
  if (type !== undefined) return new TaskError(type, payload);
  return new TaskError("Lambda.Unknown", `The cause could not be determined because Lambda did not return an error type. Returned payload: ${payload}`);
}

function errorTypeOf(payload: string): string | undefined {
  try {
    const doc = JSON.parse(payload) as unknown;
    const type = typeof doc === "object" && doc !== null ? (doc as { errorType?: unknown }).errorType : undefined;
    return typeof type === "string" && type !== "" ? type : undefined;
  } catch {
    return undefined;
  }
}

/** A failure of the Lambda service itself (not of the function), by its error code. */
export function serviceException(code: string, status: number, message: string, requestId: string): TaskError {
  return new TaskError(`Lambda.${code}`, serviceCause(code, status, message, requestId));
}

/**
 * An error answer the Lambda API does not model (an unknown code, a body that is not an error
 * document): the Java SDK Step Functions uses raises its base class, `AWSLambdaException`.
 */
export const unmodeledServiceException = (code: string, status: number, message: string, requestId: string): TaskError =>
  new TaskError("Lambda.AWSLambdaException", serviceCause(code, status, message, requestId));

/** The Java SDK's message for a service error, which Step Functions quotes as the Cause. */
const serviceCause = (code: string, status: number, message: string, requestId: string): string =>
  `${message} (Service: AWSLambda; Status Code: ${status}; Error Code: ${code}; Request ID: ${requestId}; Proxy: null)`;

/** The request never got an answer (connection refused, DNS, TLS, no credentials). */
export const sdkClientException = (message: string): TaskError =>
  new TaskError("Lambda.SdkClientException", `Unable to execute HTTP request: ${message}`);

/** The Task stopped waiting (timed out, execution stopped), so the invocation was abandoned. */
export const cancelled = (): TaskError => new TaskError("States.TaskFailed", "The invocation was cancelled: the Task no longer waits for it");

export const notFound = (functionArn: string, requestId: string): TaskError =>
  serviceException("ResourceNotFoundException", 404, `Function not found: ${functionArn}`, requestId);

export const invalidParameter = (message: string, requestId: string): TaskError =>
  serviceException("InvalidParameterValueException", 400, message, requestId);
