/**
 * A `states:startExecution` Task's Parameters (JSONPath) or Arguments (JSONata) as a
 * StartExecution request: `StateMachineArn`, `Input` (JSON text, or any JSON value which is
 * sent as its JSON text; absent or null is `{}`), `Name`.
 * https://docs.aws.amazon.com/step-functions/latest/dg/connect-stepfunctions.html
 */
import { isObject, type Json } from "../../translators/json.js";
import { TaskError } from "../../runtime/ports/adapter.js";
import type { Executions } from "../../runtime/ports/executions.js";

export type StartRequest = Parameters<Executions["start"]>[0];

/** The parameter that links a nested execution to the execution that started it (the console's "Started by"). */
export const STARTED_BY = "AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID";

const SUPPORTED = new Set(["StateMachineArn", "Input", "Name"]);

const runtimeError = (message: string): TaskError => new TaskError("States.Runtime", message);

export function readStartRequest(payload: Json): StartRequest {
  if (!isObject(payload)) throw runtimeError(`The Parameters of states:startExecution must be an object, but were: ${JSON.stringify(payload)}`);
  for (const field of Object.keys(payload)) {
    if (!SUPPORTED.has(field)) throw runtimeError(`The field '${field}' is not supported by Step Functions for states:startExecution (supported: StateMachineArn, Input, Name)`);
  }
  const arn = payload["StateMachineArn"];
  if (typeof arn !== "string") throw runtimeError(`The field 'StateMachineArn' must be a string, but was: ${JSON.stringify(arn ?? null)}`);
  const name = payload["Name"];
  if (name !== undefined && typeof name !== "string") throw runtimeError(`The field 'Name' must be a string, but was: ${JSON.stringify(name)}`);
  const input = payload["Input"];
  const text = input === undefined || input === null ? undefined : typeof input === "string" ? input : JSON.stringify(input);
  const parent = startedBy(typeof input === "string" ? parseOrUndefined(input) : input);
  return {
    stateMachineArn: arn,
    ...(text !== undefined ? { input: text } : {}),
    ...(name !== undefined ? { name } : {}),
    ...(parent !== undefined ? { parentExecutionArn: parent } : {}),
  };
}

/** The parent execution's ARN the input names, if it names one. */
function startedBy(input: Json | undefined): string | undefined {
  const id = isObject(input) ? input[STARTED_BY] : undefined;
  return typeof id === "string" ? id : undefined;
}

function parseOrUndefined(text: string): Json | undefined {
  try {
    return JSON.parse(text) as Json;
  } catch {
    // Not JSON: StartExecution refuses it (InvalidExecutionInput).
    return undefined;
  }
}
