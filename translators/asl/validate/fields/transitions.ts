/**
 * Next and End. Pass, Task, Wait, Parallel and Map states carry exactly one of `Next` (a state
 * name) or `"End": true`; Choice, Succeed and Fail carry neither (their field tables omit both).
 * Targets are recorded here and checked against the scope by ../graph.ts.
 * https://docs.aws.amazon.com/step-functions/latest/dg/statemachine-structure.html
 */
import { pointer } from "../../diagnostics.js";
import { checkBoolean, checkString, has } from "../checks.js";
import { CODES } from "../codes.js";
import { addEdge, type StateInput } from "../context.js";

/** Checks `Next`/`End` of a non-terminal state type and records its transition. */
export function checkNextOrEnd(input: StateInput): void {
  const { state, location } = input;
  const diags = input.ctx.diags;
  const hasNext = has(state, "Next");
  const hasEnd = has(state, "End");
  if (hasNext) checkTarget(input, state["Next"], pointer(location, "Next"), "Next");
  if (hasEnd) checkBoolean(diags, pointer(location, "End"), "End", state["End"]);
  const ends = state["End"] === true;
  if (hasNext && ends) {
    diags.error(pointer(location, "End"), CODES.Schema, `A ${input.type} state must have either Next or "End": true, not both.`);
  } else if (!hasNext && !ends) {
    diags.error(location, CODES.Schema, `A ${input.type} state must have either Next (a state name) or "End": true, found neither.`);
  }
}

/** Checks that `value` is a state name and records it as a transition of the state. */
export function checkTarget(input: StateInput, value: unknown, location: string, field: string): void {
  if (checkString(input.ctx.diags, location, field, value, true)) addEdge(input, value, location);
}
