/**
 * State machine ARNs and their qualified forms: `arn:<partition>:states:<region>:<account>:stateMachine:<name>`,
 * a version `…:<name>:<number>`, an alias `…:<name>:<alias name>` (an alias name always has a
 * character that is not a digit, so the two never clash).
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-state-machine-version.html
 */
import { ApiError, invalidArn } from "./errors.js";

const STATE_MACHINE_ARN = /^(arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[^:\s]+)(?::([^:\s]+))?$/;

export type StateMachineRef =
  | { readonly kind: "stateMachine"; readonly stateMachineArn: string }
  | { readonly kind: "version"; readonly stateMachineArn: string; readonly version: number }
  | { readonly kind: "alias"; readonly stateMachineArn: string; readonly aliasName: string };

/** What a state machine, version or alias ARN names; InvalidArn for anything else. */
export function parseStateMachineArn(arn: string): StateMachineRef {
  const m = STATE_MACHINE_ARN.exec(arn);
  if (!m) throw invalidArn(arn);
  const [, stateMachineArn = "", qualifier] = m;
  if (qualifier === undefined) return { kind: "stateMachine", stateMachineArn };
  if (/^\d+$/.test(qualifier)) return { kind: "version", stateMachineArn, version: Number(qualifier) };
  return { kind: "alias", stateMachineArn, aliasName: qualifier };
}

export const stateMachineDoesNotExist = (arn: string): ApiError =>
  new ApiError("StateMachineDoesNotExist", `State Machine Does Not Exist: '${arn}'`);

/** AWS's answer for an alias (or a version in a routing configuration) that is not there. */
export const resourceNotFound = (): ApiError => new ApiError("ResourceNotFound", "Request references a resource that does not exist.");
