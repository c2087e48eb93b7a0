/**
 * Nested executions under `aslan serve`: the `Executions` port with the API's own
 * StartExecution (state machine, version and alias ARNs from the registry; its checks, in
 * its order; its idempotency and ExecutionAlreadyExists), its errors reported the way an
 * optimized integration reports them (`StepFunctions.<Code>Exception`).
 * https://docs.aws.amazon.com/step-functions/latest/dg/connect-stepfunctions.html
 */
import { EngineExecutions, serviceError, type ExecutionStarter } from "../engine/engine-executions.js";
import type { Executions } from "../ports/executions.js";
import { startExecution } from "./actions/executions.js";
import type { ApiContext } from "./context.js";
import { ApiError } from "./errors.js";
import { readStartRequest } from "./execution-start.js";

/** The Executions a composition root hands the `states:startExecution` adapter under `aslan serve`. */
export function apiExecutions(ctx: ApiContext): Executions {
  return new EngineExecutions(ctx.engine, apiStarter(ctx));
}

/**
 * StartExecution's checks and idempotency, synchronously (the port's starter is), so a name
 * whose execution has already left the engine's memory for the store is not checked
 * against the store here, as the API's StartExecution does.
 */
export function apiStarter(ctx: ApiContext): ExecutionStarter {
  return ({ stateMachineArn, input, name }) => {
    const body = { stateMachineArn, ...(input !== undefined ? { input } : {}), ...(name !== undefined ? { name } : {}) };
    let answer: { executionArn: string };
    try {
      answer = startExecution(ctx, readStartRequest(body, ctx));
    } catch (e) {
      if (e instanceof ApiError) throw serviceError(e.code, e.message, e.status);
      throw e;
    }
    const run = ctx.engine.getExecution(answer.executionArn);
    if (!run) throw new Error(`StartExecution started ${answer.executionArn} but the engine does not know it`);
    return run;
  };
}
