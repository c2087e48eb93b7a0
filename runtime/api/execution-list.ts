/**
 * ListExecutions' `stateMachineArn`: a state machine (all its executions), a version (those
 * started through that version) or an alias (those started through that alias). Express
 * state machines keep no executions: StateMachineTypeNotSupported. Or its `mapRunArn`: the
 * map run's child executions (Express children are not kept, as Express executions never are).
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_ListExecutions.html
 */
import type { StateMachineType } from "../engine/engine.js";
import type { ExecutionRun } from "../engine/execution-run.js";
import type { ApiContext } from "./context.js";
import { stateMachineArnOf } from "./execution-arns.js";
import { typeNotSupported } from "./execution-start.js";
import { findMapRunOrThrow } from "./map-run-arns.js";
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

/** What ListExecutions pages through. */
export interface ExecutionListing {
  /** Newest first. */
  readonly runs: ExecutionRun[];
  /** Unsuccessful children a redrive has not restarted yet (statusFilter PENDING_REDRIVE; only map runs have them). */
  readonly pendingRedrive: RunFilter;
}

/** The Standard executions of a state machine, version or alias. */
export function stateMachineExecutions(ctx: ApiContext, arn: string): ExecutionListing {
  const matches = executionsOf(ctx, arn);
  const runs = [...ctx.engine.executions()].reverse().filter((run) => run.info.type !== "EXPRESS" && matches(run));
  return { runs, pendingRedrive: () => false };
}

/** A map run's child executions. */
export async function mapRunExecutions(ctx: ApiContext, mapRunArn: string): Promise<ExecutionListing> {
  // Also after its execution finished and left memory (read back from the store).
  const mapRun = await findMapRunOrThrow(ctx, mapRunArn);
  const pending = new Set([...mapRun.pendingRedrive].map((index) => mapRun.children[index]));
  const runs = mapRun.executions().reverse().filter((run) => run.info.type !== "EXPRESS").sort((a, b) => b.info.startDate - a.info.startDate);
  return { runs, pendingRedrive: (run) => pending.has(run) };
}
