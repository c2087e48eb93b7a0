/**
 * What TestState answers when a Task, Parallel or Map state's work fails: it does not retry,
 * it says what would happen next. A matching retrier with attempts left (given the retries
 * already made, stateConfiguration.retrierRetryCount) makes the state RETRIABLE, with the
 * retrier's index and the backoff before the next attempt; otherwise a matching catcher
 * makes it CAUGHT_ERROR, with the catcher's index, output and Next; otherwise it FAILED.
 * Matching and backoff are the engine's (dataflow/retry.ts, dataflow/catch.ts).
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_InspectionErrorDetails.html
 */
import type { Catcher, Retrier } from "../asl/model.js";
import { compileCatchers, errorOutput, type CompiledCatcher } from "../dataflow/catch.js";
import { compileRetriers, errorMatches, retryDelayMs, type CompiledRetrier } from "../dataflow/retry.js";
import { isStatesError, STATES_ERRORS, TERMINAL_ERRORS } from "../errors.js";
import type { Json, JsonObject } from "../json.js";
import type { ActorData } from "../xstate/actor-data.js";
import { bindingsOf, scopeOf, type CompileServices } from "../xstate/step.js";
import type { Inspection, StateEnding } from "./model.js";

export interface Failure {
  readonly error: string;
  readonly cause?: string | undefined;
}

export interface Recovery {
  readonly language: "JSONPath" | "JSONata";
  readonly retriers: readonly CompiledRetrier[];
  readonly catchers: readonly CompiledCatcher[];
}

export function compileRecovery(state: { Retry?: Retrier[]; Catch?: Catcher[] }, language: "JSONPath" | "JSONata"): Recovery {
  return { language, retriers: compileRetriers(state.Retry), catchers: compileCatchers(state.Catch, language) };
}

/** Anything thrown while the state ran, as AWS's error/cause pair (no event ids: there is no history). */
export function failureOf(e: unknown): Failure {
  if (isStatesError(e)) return { error: e.error, cause: e.cause };
  return { error: STATES_ERRORS.Runtime, cause: e instanceof Error ? e.message : String(e) };
}

const failed = (f: Failure): StateEnding => ({ status: "FAILED", error: f.error, ...(f.cause !== undefined ? { cause: f.cause } : {}) });

export interface RecoveryScope {
  readonly d: ActorData;
  readonly context: JsonObject;
  readonly retrierRetryCount: number;
  readonly inspection: Inspection;
  readonly services: CompileServices;
}

/** Retry, then Catch, then FAILED; errorDetails records which retrier and catcher applied. */
export function recover(failure: Failure, r: Recovery, at: RecoveryScope): StateEnding {
  const details: NonNullable<Inspection["errorDetails"]> = {};
  const retryIndex = TERMINAL_ERRORS.has(failure.error) ? -1 : r.retriers.findIndex((x) => errorMatches(x.errorEquals, failure.error));
  const retrier = r.retriers[retryIndex];
  if (retrier) {
    details.retryIndex = retryIndex;
    if (at.retrierRetryCount < retrier.maxAttempts) {
      const ms = retryDelayMs(retrier, at.retrierRetryCount, at.services.randomness.random);
      at.inspection.errorDetails = { ...details, retryBackoffIntervalSeconds: Math.round(ms / 1000) };
      return { ...failed(failure), status: "RETRIABLE" };
    }
  }
  const catchIndex = r.catchers.findIndex((c) => errorMatches(c.errorEquals, failure.error));
  const catcher = r.catchers[catchIndex];
  if (catcher) details.catchIndex = catchIndex;
  if (details.retryIndex !== undefined || catcher) at.inspection.errorDetails = details;
  if (!catcher) return failed(failure);
  try {
    return { ...failed(failure), ...caughtOutput(failure, catcher, r.language, at), status: "CAUGHT_ERROR", nextState: catcher.next };
  } catch (e) {
    return failed(failureOf(e));
  }
}

/** The catcher's output (ResultPath over the input, or JSONata Output) and its Assign. */
function caughtOutput(f: Failure, c: CompiledCatcher, language: Recovery["language"], at: RecoveryScope): { output: Json; assigned?: JsonObject } {
  const { d, context, services } = at;
  const errOut = errorOutput(f.error, f.cause);
  const bindings = bindingsOf(d, services, { errorOutput: errOut, context });
  const assigned = c.assign?.(scopeOf(d, errOut, services, context), bindings);
  const output = language === "JSONata" ? (c.output ? c.output.evaluate(bindings) : errOut) : c.resultPath(d.input, errOut);
  return assigned ? { output, assigned } : { output };
}
