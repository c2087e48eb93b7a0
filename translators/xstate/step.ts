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

/** Each state type's entered/exited event types, spelled once (history keeps one string, not one per event). */
const STATE_EVENT_TYPES = {
  Pass: { entered: "PassStateEntered", exited: "PassStateExited" },
  Task: { entered: "TaskStateEntered", exited: "TaskStateExited" },
  Choice: { entered: "ChoiceStateEntered", exited: "ChoiceStateExited" },
  Wait: { entered: "WaitStateEntered", exited: "WaitStateExited" },
  Succeed: { entered: "SucceedStateEntered", exited: "SucceedStateExited" },
  Fail: { entered: "FailStateEntered", exited: "FailStateExited" },
  Parallel: { entered: "ParallelStateEntered", exited: "ParallelStateExited" },
  Map: { entered: "MapStateEntered", exited: "MapStateExited" },
} satisfies Record<StateType, { readonly entered: string; readonly exited: string }>;

/** Event type → its details field (`TaskScheduled` → `taskScheduledEventDetails`), worked out once per type. */
const detailsKeys = new Map<string, string>();

function detailsKey(type: string): string {
  let key = detailsKeys.get(type);
  if (key === undefined) {
    if (type.endsWith("StateEntered")) key = "stateEnteredEventDetails";
    else if (type.endsWith("StateExited")) key = "stateExitedEventDetails";
    else key = type[0]!.toLowerCase() + type.slice(1) + "EventDetails";
    detailsKeys.set(type, key);
  }
  return key;
}

/** `{truncated: false}` (inputDetails, outputDetails, …): one frozen object shared by every event, as history events are never changed. */
export const NOT_TRUNCATED: JsonObject = Object.freeze({ truncated: false });

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
      ? { EnteredTime: isoTime(d.enteredAt), Name: d.state, RetryCount: retryCount(d) }
      : { EnteredTime: isoTime(d.enteredAt), Name: d.state },
    StateMachine: d.exec.StateMachine,
  };
  if (d.mapItem) ctx["Map"] = { Item: d.mapItem };
  return extra ? { ...ctx, ...extra } : ctx;
}

/** `new Date(ms).toISOString()`, kept for the last time asked: a Map's iterations all read their Map state's EnteredTime. */
let lastIso = { ms: NaN, text: "" };

function isoTime(ms: number): string {
  if (ms !== lastIso.ms) lastIso = { ms, text: new Date(ms).toISOString() };
  return lastIso.text;
}

const retryCount = (d: ActorData): number => d.attempts.reduce((a, b) => a + b, 0);

/**
 * An evaluation scope whose `$$` is built when an expression reads it (most paths never
 * do). A scope is used at once, within the step that made it, so `d` has not changed by then.
 */
class StepScope implements EvalScope {
  readonly vars: JsonObject;

  constructor(
    readonly input: Json,
    private readonly d: ActorData,
    readonly randomness: Randomness,
    private ctx: JsonObject | undefined,
  ) {
    this.vars = d.vars;
  }

  get context(): JsonObject {
    return (this.ctx ??= contextObject(this.d));
  }
}

/** `$states` for JSONata, its `context` built when read (as StepScope's). */
class StepStates {
  readonly input: Json;

  constructor(
    private readonly d: ActorData,
    private ctx: JsonObject | undefined,
    readonly result: Json | undefined,
    readonly errorOutput: Json | undefined,
  ) {
    this.input = d.input;
  }

  get context(): JsonObject {
    return (this.ctx ??= contextObject(this.d));
  }
}

export function scopeOf(d: ActorData, input: Json, services: CompileServices, context?: JsonObject): EvalScope {
  return new StepScope(input, d, services.randomness, context);
}

export function bindingsOf(
  d: ActorData,
  services: CompileServices,
  extra?: { result?: Json; errorOutput?: Json; context?: JsonObject },
): JsonataBindings {
  return { states: new StepStates(d, extra?.context, extra?.result, extra?.errorOutput), vars: d.vars, randomness: services.randomness };
}

export const jsonText = (v: Json): string => jsonTextOf(v);

export function enterState(d: ActorData, type: StateType): void {
  d.enteredId = emit(d, STATE_EVENT_TYPES[type].entered, {
    name: d.state,
    input: jsonText(d.input),
    inputDetails: NOT_TRUNCATED,
  });
}

/** Leaves the current state for `next` (or ends the actor when `next` is undefined). */
export function exitState(d: ActorData, type: StateType, output: Json, next: string | undefined, assigned?: JsonObject): void {
  const details: JsonObject = { name: d.state, output: jsonText(output), outputDetails: NOT_TRUNCATED };
  // `Assign: {}` assigns nothing, and AWS then writes no assignedVariables.
  if (assigned !== undefined && Object.keys(assigned).length > 0) {
    details["assignedVariables"] = assignedVariablesDetails(assigned);
    details["assignedVariablesDetails"] = NOT_TRUNCATED;
    d.vars = { ...d.vars, ...assigned };
  }
  emit(d, STATE_EVENT_TYPES[type].exited, details);
  d.waiting = null;
  if (next === undefined) return succeedActor(d, output);
  d.input = output;
  d.go = next;
}

export function succeedActor(d: ActorData, output: Json): void {
  if (d.root) emit(d, "ExecutionSucceeded", { output: jsonText(output), outputDetails: NOT_TRUNCATED });
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
