/**
 * The Parameters of `arn:aws:states:::lambda:invoke`: FunctionName, Payload, InvocationType,
 * Qualifier, ClientContext, LogType (Lambda Invoke's request fields). A string Payload is the
 * request body as is (Lambda parses it as JSON); an absent or null one sends `{}`.
 * https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html
 */
import { isObject, type Json } from "../../translators/json.js";
import type { Account } from "../../runtime/engine/arns.js";
import type { TaskError } from "../../runtime/ports/adapter.js";
import { invalidParameter, serviceException } from "./errors.js";
import { parseFunctionName, type FunctionRef } from "./function-name.js";
import type { InvocationType, LogType } from "./invoke-output.js";

export interface InvokeParameters {
  readonly target: FunctionRef;
  readonly event: Json;
  readonly type: InvocationType;
  readonly clientContext?: Json;
  /** Tail asks for the end of the log in the response (only a real Lambda has one). */
  readonly logType?: LogType;
}

const TYPES: readonly InvocationType[] = ["RequestResponse", "Event", "DryRun"];
const LOG_TYPES: readonly LogType[] = ["None", "Tail"];

/** The invocation the parameters ask for; throws the TaskError Lambda's validation would give. */
export function invokeParameters(payload: Json, account: Account, requestId: string): InvokeParameters {
  const params = isObject(payload) ? payload : {};
  const reject = (message: string): TaskError => invalidParameter(message, requestId);
  const name = params["FunctionName"];
  if (typeof name !== "string" || name === "") throw reject("1 validation error detected: Value null at 'functionName' failed to satisfy constraint: Member must not be null");
  const target = parseFunctionName(name, account);
  if (!target) throw reject(`1 validation error detected: Value '${name}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?`);
  const type = params["InvocationType"] ?? "RequestResponse";
  if (typeof type !== "string" || !(TYPES as readonly string[]).includes(type)) {
    throw reject(`1 validation error detected: Value '${String(type)}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]`);
  }
  const qualifier = params["Qualifier"];
  if (qualifier !== undefined && (typeof qualifier !== "string" || (target.qualifier !== undefined && target.qualifier !== qualifier))) {
    throw reject("The derived qualifier from the function name does not match the specified qualifier.");
  }
  const logType = params["LogType"];
  if (logType !== undefined && (typeof logType !== "string" || !(LOG_TYPES as readonly string[]).includes(logType))) {
    throw reject(`1 validation error detected: Value '${String(logType)}' at 'logType' failed to satisfy constraint: Member must satisfy enum value set: [Tail, None]`);
  }
  const clientContext = params["ClientContext"];
  return {
    target: typeof qualifier === "string" ? { ...target, qualifier } : target,
    event: eventOf(params["Payload"], requestId),
    type: type as InvocationType,
    ...(typeof clientContext === "string" ? { clientContext: decodeClientContext(clientContext, requestId) } : {}),
    ...(logType !== undefined ? { logType: logType as LogType } : {}),
  };
}

function eventOf(payload: Json | undefined, requestId: string): Json {
  if (payload === undefined || payload === null) return {};
  if (typeof payload !== "string") return payload;
  try {
    return JSON.parse(payload) as Json;
  } catch (e) {
    throw serviceException("InvalidRequestContentException", 400, `Could not parse request body into json: ${(e as Error).message}`, requestId);
  }
}

/** ClientContext is base64-encoded JSON (the function sees it as `context.clientContext`). */
function decodeClientContext(text: string, requestId: string): Json {
  try {
    return JSON.parse(Buffer.from(text, "base64").toString("utf8")) as Json;
  } catch {
    throw serviceException("InvalidRequestContentException", 400, "Client context must be a valid Base64-encoded JSON object.", requestId);
  }
}
