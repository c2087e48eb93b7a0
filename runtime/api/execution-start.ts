/**
 * What StartExecution and StartSyncExecution share: reading the request (with AWS's checks,
 * in AWS's order: field constraints, ARN, name, state machine, input) and starting the run.
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html
 */
import type { StartTarget } from "../control/state-machine-registry.js";
import type { ExecutionRun } from "../engine/execution-run.js";
import type { ApiContext } from "./context.js";
import { ApiError, validationError } from "./errors.js";
import { readExecutionInput, type JsonText } from "./execution-input.js";
import { checkName, optionalString, requiredString, type Body } from "./fields.js";
import { parseStateMachineArn, stateMachineDoesNotExist } from "./state-machine-arns.js";

export interface StartRequest {
  readonly target: StartTarget;
  /** Absent: the engine names the execution with a UUID. */
  readonly name?: string;
  readonly input: JsonText;
  readonly traceHeader?: string;
}

export function readStartRequest(body: Body, ctx: ApiContext): StartRequest {
  const arn = requiredString(body, "stateMachineArn", 256);
  const name = optionalString(body, "name", 80);
  if (name === "") throw validationError("name", name, "Member must have length greater than or equal to 1");
  const traceHeader = optionalString(body, "traceHeader", 256);
  // X-Ray trace headers are ASCII (the model's pattern \p{ASCII}*).
  if (traceHeader !== undefined && !/^[\x00-\x7f]*$/.test(traceHeader)) {
    throw validationError("traceHeader", traceHeader, "Member must satisfy regular expression pattern: \\p{ASCII}*");
  }
  parseStateMachineArn(arn);
  if (name !== undefined) checkName(name, "execution");
  const target = ctx.stateMachines.resolveForStart(arn);
  if (!target) throw stateMachineDoesNotExist(arn);
  const input = readExecutionInput(body);
  return { target, input, ...(name !== undefined ? { name } : {}), ...(traceHeader !== undefined ? { traceHeader } : {}) };
}

export function startRun(ctx: ApiContext, request: StartRequest): ExecutionRun {
  const { target, input } = request;
  return ctx.engine.startExecution(target.entry.record, input.value, {
    inputText: input.text,
    ...(request.name !== undefined ? { name: request.name } : {}),
    ...(request.traceHeader !== undefined ? { traceHeader: request.traceHeader } : {}),
    ...(target.stateMachineVersionArn ? { stateMachineVersionArn: target.stateMachineVersionArn } : {}),
    ...(target.stateMachineAliasArn ? { stateMachineAliasArn: target.stateMachineAliasArn } : {}),
  });
}

/** AWS's answer when an action does not apply to a state machine's type (Standard vs Express). */
export const typeNotSupported = (): ApiError =>
  new ApiError("StateMachineTypeNotSupported", "This operation is not supported by this type of state machine");
