/**
 * Nested executions under `aslan serve`: the `Executions` port with the API's own
 * StartExecution (state machine, version and alias ARNs from the registry; its checks, in
 * its order; its idempotency and ExecutionAlreadyExists), its errors reported the way an
 * optimized integration reports them (`StepFunctions.<Code>Exception`).
 * https://docs.aws.amazon.com/step-functions/latest/dg/connect-stepfunctions.html
 */
import { EngineExecutions, serviceError, type ExecutionStarter } from "../engine/engine-executions.js";
import type { Executions } from "../ports/executions.js";
import { executionActions } from "./actions/executions.js";
import type { Action, ApiContext } from "./context.js";
import { ApiError } from "./errors.js";

const startExecution: Action = executionActions["StartExecution"] ?? ((): never => {
  throw new Error("the API has no StartExecution action");
});

/** The Executions a composition root hands the `states:startExecution` adapter under `aslan serve`. */
export function apiExecutions(ctx: ApiContext): Executions {
  return new EngineExecutions(ctx.engine, apiStarter(ctx));
}

export function apiStarter(ctx: ApiContext): ExecutionStarter {
  // Never aborted: a nested start has no client connection that could go away.
  const request = { signal: new AbortController().signal, log: ctx.log };
  return ({ stateMachineArn, input, name }) => {
    const body = { stateMachineArn, ...(input !== undefined ? { input } : {}), ...(name !== undefined ? { name } : {}) };
    let answer: { executionArn: string };
    try {
      answer = startExecution(body, ctx, request) as { executionArn: string };
    } catch (e) {
      if (e instanceof ApiError) throw serviceError(e.code, e.message, e.status);
      throw e;
    }
    const run = ctx.engine.getExecution(answer.executionArn);
    if (!run) throw new Error(`StartExecution started ${answer.executionArn} but the engine does not know it`);
    return run;
  };
}
