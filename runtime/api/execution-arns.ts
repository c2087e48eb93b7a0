/**
 * Execution ARNs as DescribeExecution, StopExecution and GetExecutionHistory read them:
 * `arn:<partition>:states:<region>:<account>:execution:<state machine>:<name>`. Express
 * executions (`…:express:<state machine>:<name>:<id>`) are not kept and these actions
 * answer them as AWS does: InvalidArn, "Resource type not valid in this context: express".
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeExecution.html
 */
import type { ExecutionRun } from "../engine/execution-run.js";
import type { ApiContext } from "./context.js";
import { ApiError, invalidArn } from "./errors.js";

const ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:([A-Za-z]+):(.+)$/;
const NAME = /^[^:\s]+$/;

/** The Standard execution with this ARN; InvalidArn or ExecutionDoesNotExist otherwise. */
export function executionOrThrow(ctx: ApiContext, arn: string): ExecutionRun {
  const m = ARN.exec(arn);
  if (!m) throw invalidArn(arn);
  const [, resourceType = "", rest = ""] = m;
  if (resourceType !== "execution") {
    throw new ApiError("InvalidArn", `Invalid Arn: 'Resource type not valid in this context: ${resourceType.toLowerCase()}'`);
  }
  const parts = rest.split(":");
  if (parts.length !== 2 || !parts.every((p) => NAME.test(p))) throw invalidArn(arn);
  const run = ctx.engine.getExecution(arn);
  if (!run || run.info.type === "EXPRESS") throw new ApiError("ExecutionDoesNotExist", `Execution Does Not Exist: '${arn}'`);
  return run;
}

/**
 * The state machine an execution belongs to (never a version or alias ARN): the engine runs
 * a version under its version ARN, AWS reports the state machine's ARN beside it.
 */
export function stateMachineArnOf(run: ExecutionRun): string {
  const version = run.info.stateMachineVersionArn;
  return version ? version.slice(0, version.lastIndexOf(":")) : run.info.stateMachineArn;
}
