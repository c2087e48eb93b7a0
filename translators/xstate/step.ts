/**
 * Helpers every state behaviour uses while it runs one step on an actor's data: history
 * events, effects, the context object, and leaving a state or the whole actor.
 * History shapes: https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html
 */
import { jsonTextOf, type Json, type JsonObject } from "../json.js";
import type { JsonataBindings } from "../query/jsonata.js";
import type { EvalScope, Randomness } from "../query/scope.js";
import { assignedVariablesDetails } from "../dataflow/assign.js";
import type { ActorData, Effect, ResumePoint } from "./actor-data.js";
import type { ActorEvent } from "./events.js";
import type { StateType } from "../asl/model.js";

/** Targets of `always` transitions for the end of an actor. */
export const GO_SUCCEEDED = "#succeeded";
export const GO_FAILED = "#failed";

/** How one ASL state behaves; built once per state when a definition is compiled. */
export interface StateBehaviour {
  readonly name: string;
  readonly type: StateType;
  /** States this one may move to (Next, Default, Choices, Catch). */
  readonly targets: readonly string[];
  /**
   * Runs when the state is entered, with `d.input` set to its raw input. `resume` is given
   * when a redrive enters this state again: a Map or Parallel then re-runs only the children
   * that did not succeed (other states simply run again).
   */
  enter(d: ActorData, resume?: ResumePoint): void;
  /** Runs on an event while the state waits. */
  handle?(d: ActorData, event: ActorEvent): void;
}

/** Services a compiled definition closes over (injected: translators stay pure). */
export interface CompileServices {
  readonly randomness: Randomness;
}

const detailsKey = (type: string): string => {
  if (type.endsWith("StateEntered")) return "stateEnteredEventDetails";
  if (type.endsWith("StateExited")) return "stateExitedEventDetails";
  return type[0]!.toLowerCase() + type.slice(1) + "EventDetails";
};

/** Appends a history event; returns its id. `prev` overrides the previous-event link. */
export function emit(d: ActorData, type: string, details?: JsonObject, prev?: number): number {
  const id = d.seq++;
  const event = details === undefined
    ? { id, previousEventId: prev ?? d.prev, timestamp: d.now, type }
    : { id, previousEventId: prev ?? d.prev, timestamp: d.now, type, [detailsKey(type)]: details };
  d.out.push({ event });
  d.prev = id;
  return id;
}

export function effect(d: ActorData, e: Effect): void {
  d.out.push({ effect: e });
}

/** A fresh id, unique within the execution, for a task or timer of this actor. */
export function newId(d: ActorData, kind: string): string {
  return `${d.scope || "root"}:${kind}:${d.enteredId}:${d.nonce++}`;
}

/** `$$` for the current state. */
export function contextObject(d: ActorData, extra?: JsonObject): JsonObject {
  const ctx: JsonObject = {
    Execution: d.exec.Execution,
    State: d.retryable
      ? { EnteredTime: new Date(d.enteredAt).toISOString(), Name: d.state, RetryCount: retryCount(d) }
      : { EnteredTime: new Date(d.enteredAt).toISOString(), Name: d.state },
    StateMachine: d.exec.StateMachine,
  };
  if (d.mapItem) ctx["Map"] = { Item: d.mapItem };
  return extra ? { ...ctx, ...extra } : ctx;
}

const retryCount = (d: ActorData): number => d.attempts.reduce((a, b) => a + b, 0);

export function scopeOf(d: ActorData, input: Json, services: CompileServices, context?: JsonObject): EvalScope {
  return { input, context: context ?? contextObject(d), vars: d.vars, randomness: services.randomness };
}

export function bindingsOf(
  d: ActorData,
  services: CompileServices,
  extra?: { result?: Json; errorOutput?: Json; context?: JsonObject },
): JsonataBindings {
  const states: { input: Json; context: JsonObject; result?: Json; errorOutput?: Json } = {
    input: d.input,
    context: extra?.context ?? contextObject(d),
  };
  if (extra?.result !== undefined) states.result = extra.result;
  if (extra?.errorOutput !== undefined) states.errorOutput = extra.errorOutput;
  return { states, vars: d.vars, randomness: services.randomness };
}

export const jsonText = (v: Json): string => jsonTextOf(v);

export function enterState(d: ActorData, type: StateType): void {
  d.enteredId = emit(d, `${type}StateEntered`, {
    name: d.state,
    input: jsonText(d.input),
    inputDetails: { truncated: false },
  });
}

/** Leaves the current state for `next` (or ends the actor when `next` is undefined). */
export function exitState(d: ActorData, type: StateType, output: Json, next: string | undefined, assigned?: JsonObject): void {
  const details: JsonObject = { name: d.state, output: jsonText(output), outputDetails: { truncated: false } };
  // `Assign: {}` assigns nothing, and AWS then writes no assignedVariables.
  if (assigned !== undefined && Object.keys(assigned).length > 0) {
    details["assignedVariables"] = assignedVariablesDetails(assigned);
    details["assignedVariablesDetails"] = { truncated: false };
    d.vars = { ...d.vars, ...assigned };
  }
  emit(d, `${type}StateExited`, details);
  d.waiting = null;
  if (next === undefined) return succeedActor(d, output);
  d.input = output;
  d.go = next;
}

export function succeedActor(d: ActorData, output: Json): void {
  if (d.root) emit(d, "ExecutionSucceeded", { output: jsonText(output), outputDetails: { truncated: false } });
  d.result = { status: "SUCCEEDED", output };
  d.waiting = null;
  d.go = GO_SUCCEEDED;
}

export function failActor(d: ActorData, error: string | undefined, cause: string | undefined): void {
  if (d.root) {
    const details: JsonObject = {};
    if (error !== undefined) details["error"] = error;
    if (cause !== undefined) details["cause"] = cause;
    emit(d, "ExecutionFailed", details);
  }
  const result: { status: "FAILED"; error?: string; cause?: string } = { status: "FAILED" };
  if (error !== undefined) result.error = error;
  if (cause !== undefined) result.cause = cause;
  d.result = result;
  d.waiting = null;
  d.go = GO_FAILED;
}
