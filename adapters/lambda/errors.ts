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

/** A failure of the Lambda service itself (not of the function). */
export function serviceException(code: string, status: number, message: string, requestId: string): TaskError {
  return new TaskError(`Lambda.${code}`, `${message} (Service: AWSLambda; Status Code: ${status}; Error Code: ${code}; Request ID: ${requestId}; Proxy: null)`);
}

export const notFound = (functionArn: string, requestId: string): TaskError =>
  serviceException("ResourceNotFoundException", 404, `Function not found: ${functionArn}`, requestId);

export const invalidParameter = (message: string, requestId: string): TaskError =>
  serviceException("InvalidParameterValueException", 400, message, requestId);
