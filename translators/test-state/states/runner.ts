/** What each state type's test runner gets and gives back. */
import type { Json, JsonObject } from "../../json.js";
import type { ActorData } from "../../xstate/actor-data.js";
import type { CompileServices } from "../../xstate/step.js";
import type { Inspection, StateEnding, TestedState, TestRun, WorkOutcome } from "../model.js";

export interface RunArgs {
  readonly tested: TestedState;
  /** The probe actor (probe.ts): input, variables, `$$` pieces. */
  readonly d: ActorData;
  readonly run: TestRun;
  /** Filled in as the state runs. */
  readonly inspection: Inspection;
  readonly services: CompileServices;
}

/** A Task without a mock stops here: the caller does the work and resumes with its outcome. */
export interface WorkRequest {
  readonly kind: "invoke";
  readonly resource: string;
  readonly payload: Json;
  readonly timeoutSeconds: number | undefined;
  resume(outcome: WorkOutcome): StateEnding;
}

export type Runner = (a: RunArgs) => StateEnding | WorkRequest;

/** The state finished its work: on to `next`, or the end when there is none. */
export function succeeded(output: Json, next: string | undefined, assigned: JsonObject | undefined): StateEnding {
  return { status: "SUCCEEDED", output, ...(next !== undefined ? { nextState: next } : {}), ...(assigned ? { assigned } : {}) };
}
