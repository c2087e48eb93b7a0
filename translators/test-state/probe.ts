/**
 * The actor a tested state runs on: the same ActorData an execution's actor has, holding
 * the one state, so the engine's compiled pieces (context object, scopes, Map settings,
 * whole behaviours) work on it unchanged. Its history events and effects are discarded.
 */
import type { StateType } from "../asl/model.js";
import { isObject, type JsonObject } from "../json.js";
import type { ActorData } from "../xstate/actor-data.js";
import { contextObject } from "../xstate/step.js";
import { TESTED_STATE_NAME, type TestedState, type TestRun } from "./model.js";

/** Task, Parallel and Map have Retry, hence `$$.State.RetryCount`. */
const RETRYABLE: ReadonlySet<StateType> = new Set(["Task", "Parallel", "Map"]);

export function probeActor(tested: TestedState, run: TestRun): ActorData {
  const supplied = run.context;
  const section = (name: string): JsonObject => {
    const v = supplied?.[name];
    return isObject(v) ? v : {};
  };
  return {
    scope: "",
    root: true,
    // A supplied context stands in for the execution as far as the engine's pieces read it.
    exec: supplied ? { Execution: section("Execution"), StateMachine: section("StateMachine") } : run.execution,
    mapItem: null,
    seq: 1,
    prev: 0,
    now: run.now,
    state: TESTED_STATE_NAME,
    input: run.input,
    enteredId: 0,
    enteredAt: run.now,
    retryable: RETRYABLE.has(tested.state.Type),
    vars: run.variables,
    attempts: [run.retrierRetryCount],
    waiting: null,
    scratch: {},
    go: null,
    out: [],
    result: null,
    nonce: 0,
  };
}

/** `$$` for the tested state: the supplied context object, or the pretend execution's. */
export function testedContext(d: ActorData, run: TestRun, extra?: JsonObject): JsonObject {
  return run.context ?? contextObject(d, extra);
}
