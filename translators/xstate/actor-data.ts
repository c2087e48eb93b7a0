/**
 * The persisted context of one actor (an execution, or one Parallel branch / Map iteration
 * of it). Plain JSON-compatible data: it is the XState snapshot's context, written to the
 * store before the effects in `out` run (ARCHITECTURE.md "Persist, then act").
 */
import type { Json, JsonObject } from "../json.js";

/** `$$.Execution` and `$$.StateMachine`, fixed for an execution. */
export interface ExecutionInfo {
  readonly Execution: JsonObject;
  readonly StateMachine: JsonObject;
}

/** One history event as GetExecutionHistory returns it (details under `<x>EventDetails`). */
export interface HistoryEvent {
  readonly id: number;
  readonly previousEventId: number;
  readonly timestamp: number;
  readonly type: string;
  readonly [details: string]: Json | undefined;
}

/** Work for the engine, requested by the machine as data. */
export type Effect =
  | {
      readonly type: "dispatchTask";
      readonly taskId: string;
      readonly resource: string;
      readonly payload: Json;
      readonly stateName: string;
      readonly taskToken?: string;
      readonly timeoutSeconds?: number;
      readonly heartbeatSeconds?: number;
    }
  | { readonly type: "scheduleTimer"; readonly timerId: string; readonly dueAt: number }
  | { readonly type: "cancelTimer"; readonly timerId: string }
  | {
      readonly type: "startChild";
      /** Children of one start of a Parallel/Map share a batch id; events of an old batch are ignored. */
      readonly batch: string;
      readonly index: number;
      readonly scope: string;
      readonly input: Json;
      readonly vars: JsonObject;
      readonly mapItem?: JsonObject;
      /** A Distributed Map iteration: a child execution with its own history. */
      readonly detached?: boolean;
    }
  | { readonly type: "stopChildren"; readonly batch: string };

export type OutItem = { readonly event: HistoryEvent } | { readonly effect: Effect };

export type ActorResult =
  | { readonly status: "SUCCEEDED"; readonly output: Json }
  | { readonly status: "FAILED"; readonly error?: string; readonly cause?: string };

/** What a state is waiting for, if anything. */
export type Waiting =
  | { readonly kind: "task"; readonly taskId: string; readonly timerIds: readonly string[] }
  | { readonly kind: "timer"; readonly timerId: string; readonly purpose: "wait" | "retry" }
  | { readonly kind: "children"; readonly batch: string };

export interface ActorInput {
  /** Which (sub-)machine of the definition this actor runs: "" for the top level. */
  readonly scope: string;
  readonly root: boolean;
  readonly input: Json;
  readonly vars: JsonObject;
  readonly exec: ExecutionInfo;
  /** `$$.Map.Item` for a Map iteration. */
  readonly mapItem?: JsonObject;
  readonly seq: number;
  readonly prev: number;
  readonly now: number;
}

export interface ActorData {
  readonly scope: string;
  readonly root: boolean;
  readonly exec: ExecutionInfo;
  readonly mapItem: JsonObject | null;
  /** Next free history event id / this actor's last event id / engine time. */
  seq: number;
  prev: number;
  now: number;
  /** The current state and its raw input. */
  state: string;
  input: Json;
  enteredId: number;
  enteredAt: number;
  /** Task, Parallel and Map states have Retry, and `$$.State.RetryCount`. */
  retryable: boolean;
  vars: JsonObject;
  /** Retry attempts made by each retrier of the current state. */
  attempts: number[];
  waiting: Waiting | null;
  /** Per-state working data while waiting (task parameters, Map progress, …). */
  scratch: JsonObject;
  /** The next XState target chosen by this step, consumed by `always` transitions. */
  go: string | null;
  out: OutItem[];
  result: ActorResult | null;
  /** Counter for ids of tasks and timers this actor creates. */
  nonce: number;
}
