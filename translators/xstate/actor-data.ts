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
      /** An activity task's token (GetActivityTask hands it out): made with the task, so it outlives a restart. */
      readonly activityToken?: string;
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
      /** A Distributed Map iteration: a child execution of this map run, with its own history. */
      readonly mapRunArn?: string;
      /** A redriven iteration or branch: where it stopped last time (absent: from its beginning). */
      readonly resume?: ResumePoint;
    }
  | { readonly type: "stopChildren"; readonly batch: string }
  | ({ readonly type: "mapRunStarted" } & MapRunStart)
  | { readonly type: "mapRunEnded"; readonly mapRunArn: string; readonly status: "SUCCEEDED" | "FAILED" };

/** A Distributed Map's map run starting (or starting again when redriven), as DescribeMapRun shows it. */
export interface MapRunStart {
  readonly mapRunArn: string;
  /** The batch its child executions belong to (stopChildren of this batch aborts them). */
  readonly batch: string;
  readonly total: number;
  readonly maxConcurrency: number;
  readonly toleratedFailureCount?: number;
  readonly toleratedFailurePercentage?: number;
  readonly executionType: "STANDARD" | "EXPRESS";
  /** 0 when it starts, then how many times it has been redriven. */
  readonly redriveCount: number;
}

/**
 * Where a redriven actor starts again: the state that did not succeed, its raw input, the
 * variables it had, and its working data (for a Map or Parallel: which children succeeded,
 * with their results, and where the unsuccessful ones stopped).
 * https://docs.aws.amazon.com/step-functions/latest/dg/redrive-executions.html
 */
export interface ResumePoint {
  readonly state: string;
  readonly input: Json;
  readonly vars: JsonObject;
  readonly scratch: JsonObject;
  /** Children that were still running when the execution stopped (aborted, timed out), by index. */
  readonly running?: { readonly [index: string]: ResumePoint };
}

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
  /** Redrive: start at this state (with its input and variables) instead of StartAt. */
  readonly resume?: ResumePoint;
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
  /** Redrive: where this actor resumes, until the state it names has been entered. */
  resume?: ResumePoint | null;
}
