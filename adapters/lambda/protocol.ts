/** What the Lambda adapter and its worker threads say to each other (structured-clone data). */
import type { Json } from "../../translators/json.js";

/** One invocation for a worker. */
export interface InvokeRequest {
  /** Absolute path of the function's module. */
  readonly module: string;
  /** The export to call (`handler` unless the config says `module.mjs#name`). */
  readonly exportName: string;
  readonly event: Json;
  readonly context: ContextData;
  /** BroadcastChannel the worker posts the function's console output on. */
  readonly logChannel: string;
}

/** The plain fields of Lambda's context object; the worker adds its methods. */
export interface ContextData {
  readonly functionName: string;
  readonly functionVersion: string;
  readonly invokedFunctionArn: string;
  /** Lambda gives it as a string. */
  readonly memoryLimitInMB: string;
  readonly awsRequestId: string;
  readonly logGroupName: string;
  readonly logStreamName: string;
  /** Epoch milliseconds when the invocation times out (getRemainingTimeInMillis). */
  readonly deadlineMs: number;
  readonly clientContext?: Json;
}

/** Lambda's Node.js runtime error document: what Step Functions' Cause carries as JSON text. */
export interface LambdaErrorDocument {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly trace?: readonly string[];
}

export type InvokeResponse =
  | { readonly ok: true; /** The handler's result as JSON text (`null` for undefined). */ readonly payload: string }
  | { readonly ok: false; readonly error: LambdaErrorDocument };

/** One line of a function's console output. */
export interface LogLine {
  readonly requestId: string;
  /** INFO, WARN, ERROR, DEBUG, TRACE (as Lambda's Node.js runtime labels them). */
  readonly level: string;
  readonly message: string;
}
