/**
 * What happens when a state raises an error: Retry, then Catch, then the actor fails.
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
 */
import { isStatesError, stateErrorPrefix, STATES_ERRORS, TERMINAL_ERRORS } from "../errors.js";
import type { JsonObject } from "../json.js";
import { isJsonataEvaluationError } from "../query/jsonata-errors.js";
import type { StateType } from "../asl/model.js";
import { errorOutput, type CompiledCatcher } from "../dataflow/catch.js";
import { errorMatches, retryDelayMs, type CompiledRetrier } from "../dataflow/retry.js";
import type { ActorData } from "./actor-data.js";
import { bindingsOf, effect, emit, exitState, failActor, newId, scopeOf, type CompileServices } from "./step.js";

export interface Failure {
  readonly error: string | undefined;
  readonly cause: string | undefined;
  /** The JSONata field that failed (EvaluationFailed's `location`). */
  readonly location?: string;
}

/** Turns anything thrown while a state ran into AWS's error/cause pair. */
export function toFailure(d: ActorData, e: unknown): Failure {
  if (isStatesError(e)) {
    const cause = e.inState && e.cause !== undefined ? stateErrorPrefix(d.state, d.enteredId) + e.cause : e.cause;
    return isJsonataEvaluationError(e) ? { error: e.error, cause, location: e.location } : { error: e.error, cause };
  }
  const message = e instanceof Error ? e.message : String(e);
  return { error: STATES_ERRORS.Runtime, cause: stateErrorPrefix(d.state, d.enteredId) + message };
}

/** The Retry/Catch tables of a Task, Parallel or Map state. */
export interface Recovery {
  readonly type: StateType;
  readonly language: "JSONPath" | "JSONata";
  readonly retriers: readonly CompiledRetrier[];
  readonly catchers: readonly CompiledCatcher[];
}

const NO_RECOVERY = (type: StateType): Recovery => ({ type, language: "JSONPath", retriers: [], catchers: [] });

/**
 * Handles `failure` for the current state: schedules a retry (the state's `restart` runs
 * when the timer fires), or follows a catcher, or fails the actor.
 */
export function raise(d: ActorData, failure: Failure, services: CompileServices, recovery?: Recovery): void {
  const r = recovery ?? NO_RECOVERY("Pass");
  if (failure.error === STATES_ERRORS.QueryEvaluationError) recordEvaluationFailed(d, failure);
  if (tryRetry(d, failure, r, services)) return;
  const catcher = r.catchers.find((c) => errorMatches(c.errorEquals, failure.error ?? ""));
  if (!catcher) return failActor(d, failure.error, failure.cause);
  try {
    followCatcher(d, failure, r, catcher, services);
  } catch (e) {
    failActor(d, toFailure(d, e).error, toFailure(d, e).cause);
  }
}

/**
 * A JSONata evaluation error gets an EvaluationFailed event (then MapStateFailed in a Map).
 * AWS links it to the state's entered event for a Wait and to what that event links to
 * otherwise, as its recorded histories show.
 */
function recordEvaluationFailed(d: ActorData, failure: Failure): void {
  const entered = d.out.find((o) => "event" in o && o.event.id === d.enteredId);
  const enteredEvent = entered && "event" in entered ? entered.event : undefined;
  const type = enteredEvent?.type.replace(/StateEntered$/, "");
  const link = enteredEvent ? (type === "Wait" ? enteredEvent.id : enteredEvent.previousEventId) : d.prev;
  const details: JsonObject = { error: failure.error ?? null, state: d.state };
  if (failure.cause !== undefined) details["cause"] = failure.cause;
  if (failure.location !== undefined) details["location"] = failure.location;
  emit(d, "EvaluationFailed", details, link);
  if (type === "Map") emit(d, "MapStateFailed");
}

/** The retrier that would retry `failure` now, if any (no side effects). */
function retrierFor(d: ActorData, failure: Failure, r: Recovery): number {
  // Terminal errors are never retried, even by a retrier that names them (AWS: "not retriable").
  if (TERMINAL_ERRORS.has(failure.error ?? "")) return -1;
  const index = r.retriers.findIndex((x) => errorMatches(x.errorEquals, failure.error ?? ""));
  const retrier = r.retriers[index];
  if (!retrier || (d.attempts[index] ?? 0) >= retrier.maxAttempts) return -1;
  return index;
}

/** True when raising `failure` now would schedule a retry. */
export function willRetry(d: ActorData, failure: Failure, recovery: Recovery): boolean {
  return retrierFor(d, failure, recovery) >= 0;
}

function tryRetry(d: ActorData, failure: Failure, r: Recovery, services: CompileServices): boolean {
  const index = retrierFor(d, failure, r);
  const retrier = r.retriers[index];
  if (!retrier) return false;
  const made = d.attempts[index] ?? 0;
  const attempts = d.attempts.slice();
  attempts[index] = made + 1;
  d.attempts = attempts;
  const timerId = newId(d, "retry");
  effect(d, { type: "scheduleTimer", timerId, dueAt: d.now + retryDelayMs(retrier, made, services.randomness.random) });
  d.waiting = { kind: "timer", timerId, purpose: "retry" };
  return true;
}

function followCatcher(d: ActorData, failure: Failure, r: Recovery, c: CompiledCatcher, services: CompileServices): void {
  const errOut = errorOutput(failure.error, failure.cause);
  let output;
  let assigned: JsonObject | undefined;
  if (r.language === "JSONata") {
    const b = bindingsOf(d, services, { errorOutput: errOut });
    assigned = c.assign?.(scopeOf(d, errOut, services), b);
    output = c.output ? c.output.evaluate(b) : errOut;
  } else {
    assigned = c.assign?.(scopeOf(d, errOut, services), bindingsOf(d, services, { errorOutput: errOut }));
    output = c.resultPath(d.input, errOut);
  }
  exitState(d, r.type, output, c.next, assigned);
}
