/**
 * State names: at most 80 characters, and unique in the whole state machine (across Parallel
 * branches and Map processors too). Collected in a first pass, so transitions can later tell
 * a missing state from one that lives in another scope.
 * https://docs.aws.amazon.com/step-functions/latest/dg/workflow-states.html
 */
import { pointer } from "../diagnostics.js";
import { isObject, type JsonObject } from "../../json.js";
import { has } from "./checks.js";
import { CODES } from "./codes.js";
import type { ValidationContext } from "./context.js";

const MAX_STATE_NAME_LENGTH = 80;

/** Registers the state names of `machine` and of every machine nested in it. */
export function collectStateNames(ctx: ValidationContext, machine: unknown, base: string): void {
  if (!isObject(machine) || !isObject(machine["States"])) return;
  for (const [name, state] of Object.entries(machine["States"])) {
    const location = pointer(base, "States", name);
    registerStateName(ctx, name, location);
    if (isObject(state)) collectNested(ctx, state, location);
  }
}

/** The machines a Parallel or Map state holds, walked as their validators walk them. */
function collectNested(ctx: ValidationContext, state: JsonObject, location: string): void {
  const branches = state["Branches"];
  if (state["Type"] === "Parallel" && Array.isArray(branches)) {
    branches.forEach((b, i) => collectStateNames(ctx, b, pointer(location, "Branches", i)));
  }
  // Only ItemProcessor is walked when both it and the legacy Iterator are set.
  const processor = has(state, "ItemProcessor") ? "ItemProcessor" : "Iterator";
  if (state["Type"] === "Map" && has(state, processor)) collectStateNames(ctx, state[processor], pointer(location, processor));
}

function registerStateName(ctx: ValidationContext, name: string, location: string): void {
  const length = [...name].length;
  if (length === 0 || length > MAX_STATE_NAME_LENGTH) {
    ctx.diags.error(location, CODES.InvalidStateName, `State name ${JSON.stringify(name)} must be 1 to ${MAX_STATE_NAME_LENGTH} characters long, found ${length}.`);
  }
  const first = ctx.stateNames.get(name);
  if (first === undefined) ctx.stateNames.set(name, location);
  else ctx.diags.error(location, CODES.DuplicateStateName, `State name '${name}' is already used at ${first}; state names must be unique in the whole state machine.`);
}
