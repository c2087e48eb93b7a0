/**
 * How a trigger starts an execution under `aslan serve`: through the API's own StartExecution
 * (its checks, in its order; its idempotency by name; the start stored before the answer),
 * with the state machine looked up when the message arrives, so that it may be created after
 * the server started (on a shared store, possibly by another node).
 */
import { executionActions } from "../api/actions/executions.js";
import type { ApiContext } from "../api/context.js";
import { ApiError } from "../api/errors.js";
import { stateMachineArn } from "../engine/arns.js";
import { TriggerRefused, type TriggerStart } from "./subject-triggers.js";

/** Errors that may only mean this node has not read what another node created yet. */
const REGISTRY_MISSES = new Set(["StateMachineDoesNotExist", "ResourceNotFound"]);

export function apiTriggerStart(ctx: ApiContext): TriggerStart {
  const startExecution = executionActions["StartExecution"];
  if (!startExecution) throw new Error("the API has no StartExecution action");
  return async ({ stateMachine, input, name }) => {
    const body = {
      stateMachineArn: stateMachine.startsWith("arn:") ? stateMachine : stateMachineArn(ctx.account, stateMachine),
      ...(input !== undefined ? { input } : {}),
      ...(name !== undefined ? { name } : {}),
    };
    const call = async (): Promise<{ executionArn: string; startDate: number }> =>
      (await startExecution(body, ctx, { signal: new AbortController().signal, log: ctx.log })) as { executionArn: string; startDate: number };
    try {
      try {
        return await call();
      } catch (e) {
        if (!(e instanceof ApiError && REGISTRY_MISSES.has(e.code) && ctx.refreshRegistries)) throw e;
        await ctx.refreshRegistries();
        return await call();
      }
    } catch (e) {
      throw e instanceof ApiError ? new TriggerRefused(e.code, e.message) : e;
    }
  };
}
