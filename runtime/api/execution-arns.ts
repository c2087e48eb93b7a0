/**
 * Execution ARNs as DescribeExecution, StopExecution and GetExecutionHistory read them:
 * `arn:<partition>:states:<region>:<account>:execution:<state machine>:<name>`. Express
 * executions (`…:express:<state machine>:<name>:<id>`) are not kept and these actions
 * answer them as AWS does: InvalidArn, "Resource type not valid in this context: express".
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeExecution.html
 */
import type { ExecutionRun } from "../engine/execution-run.js";
import type { ApiContext } from "./context.js";
import type { FoundExecution } from "./execution-directory.js";
import { ApiError, invalidArn } from "./errors.js";

const ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:([A-Za-z]+):(.+)$/;
const NAME = /^[^:\s]+$/;

/** The Standard execution with this ARN in the engine's memory; InvalidArn or ExecutionDoesNotExist otherwise. */
export function executionOrThrow(ctx: ApiContext, arn: string): ExecutionRun {
  checkExecutionArn(arn);
  const run = ctx.engine.getExecution(arn);
  if (!run || run.info.type === "EXPRESS") throw executionDoesNotExist(arn);
  return run;
}

/**
 * The Standard execution with this ARN, in the engine's memory or, once it has left, in the
 * store (ExecutionDirectory); InvalidArn or ExecutionDoesNotExist otherwise.
 */
export async function findExecutionOrThrow(ctx: ApiContext, arn: string): Promise<FoundExecution> {
  checkExecutionArn(arn);
  const found = await ctx.executions.find(arn);
  if (!found) throw executionDoesNotExist(arn);
  return found;
}

export const executionDoesNotExist = (arn: string): ApiError => new ApiError("ExecutionDoesNotExist", `Execution Does Not Exist: '${arn}'`);

/** InvalidArn unless `arn` is a Standard execution's ARN. */
function checkExecutionArn(arn: string): void {
  const m = ARN.exec(arn);
  if (!m) throw invalidArn(arn);
  const [, resourceType = "", rest = ""] = m;
  if (resourceType !== "execution") {
    throw new ApiError("InvalidArn", `Invalid Arn: 'Resource type not valid in this context: ${resourceType.toLowerCase()}'`);
  }
  const parts = rest.split(":");
  if (parts.length !== 2 || !parts.every((p) => NAME.test(p))) throw invalidArn(arn);
}

/**
 * The state machine an execution belongs to (never a version or alias ARN): the engine runs
 * a version under its version ARN, AWS reports the state machine's ARN beside it.
 */
export function stateMachineArnOf(run: ExecutionRun): string {
  const version = run.info.stateMachineVersionArn;
  return version ? version.slice(0, version.lastIndexOf(":")) : run.info.stateMachineArn;
}
