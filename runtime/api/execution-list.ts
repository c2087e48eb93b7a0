/**
 * ListExecutions' `stateMachineArn`: a state machine (all its executions), a version (those
 * started through that version) or an alias (those started through that alias). Express
 * state machines keep no executions: StateMachineTypeNotSupported.
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_ListExecutions.html
 */
import type { StateMachineType } from "../engine/engine.js";
import type { ExecutionRun } from "../engine/execution-run.js";
import type { ApiContext } from "./context.js";
import { stateMachineArnOf } from "./execution-arns.js";
import { typeNotSupported } from "./execution-start.js";
import { parseStateMachineArn, stateMachineDoesNotExist } from "./state-machine-arns.js";

export type RunFilter = (run: ExecutionRun) => boolean;

export function executionsOf(ctx: ApiContext, arn: string): RunFilter {
  parseStateMachineArn(arn);
  const machine = ctx.stateMachines.get(arn);
  if (machine) return standardOnly(machine.type, (run) => stateMachineArnOf(run) === arn);
  const version = ctx.stateMachines.getVersion(arn);
  if (version) return standardOnly(version.type, (run) => run.info.stateMachineVersionArn === arn);
  const alias = ctx.stateMachines.getAlias(arn);
  const aliased = alias ? ctx.stateMachines.get(alias.stateMachineArn) : undefined;
  if (aliased) return standardOnly(aliased.type, (run) => run.info.stateMachineAliasArn === arn);
  throw stateMachineDoesNotExist(arn);
}

function standardOnly(type: StateMachineType, filter: RunFilter): RunFilter {
  if (type !== "STANDARD") throw typeNotSupported();
  return filter;
}
