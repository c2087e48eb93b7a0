/**
 * Finding the state under test. Without `stateName` the definition is one state; it is
 * validated as the only state of a machine whose transition targets are stubs, so a `Next`
 * that names a state elsewhere is fine and locations point into the state itself
 * (`/Retry/0/BackoffRate`). With `stateName` the definition is a whole state machine,
 * validated as CreateStateMachine would, and the state may sit at any depth.
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_TestState.html
 */
import { DefinitionError, pointer, type Diagnostic } from "../asl/diagnostics.js";
import type { QueryLanguage, State, SubMachine } from "../asl/model.js";
import { parseDefinitionText } from "../asl/parse.js";
import { isObject, type Json, type JsonObject } from "../json.js";
import { checkDefinition } from "../load.js";
import type { CompileServices } from "../xstate/step.js";
import { TESTED_STATE_NAME, TestStateRejected, type TestedState } from "./model.js";

/** Where the state sits in the machine a single state is wrapped in. */
const STATE_POINTER = pointer("", "States", TESTED_STATE_NAME);
const inState = (location: string): boolean => location === STATE_POINTER || location.startsWith(`${STATE_POINTER}/`);

/** Warnings never stop a test. */
const errorsOf = (diagnostics: Diagnostic[]): Diagnostic[] => diagnostics.filter((d) => d.severity === "ERROR");

/** Finds and validates the state under test; throws DefinitionError or TestStateRejected. */
export function locateTestedState(definition: string, stateName: string | undefined, services: CompileServices): TestedState {
  const parsed = parseDefinitionText(definition);
  if (parsed.value === undefined || parsed.diagnostics.some((d) => d.severity === "ERROR")) throw new DefinitionError(parsed.diagnostics);
  return stateName === undefined ? singleState(parsed.value, services) : stateOfMachine(parsed.value, stateName, services);
}

function singleState(raw: unknown, services: CompileServices): TestedState {
  if (!isObject(raw)) throw new DefinitionError([{ severity: "ERROR", code: "SCHEMA_VALIDATION_FAILED", location: "/", message: "The state definition must be a JSON object." }]);
  const { copy, stubs } = withStubTargets(raw);
  const states: JsonObject = { [TESTED_STATE_NAME]: copy };
  for (const stub of stubs) states[stub] = { Type: "Succeed" };
  const errors = errorsOf(checkDefinition({ StartAt: TESTED_STATE_NAME, States: states }, services));
  // Problems of the wrapping machine (no terminal state, ...) only follow from the state's own.
  const own = errors.filter((d) => inState(d.location));
  if (errors.length > 0) throw new DefinitionError((own.length > 0 ? own : errors).map(rebase));
  const state = raw as unknown as State;
  return { state, language: state.QueryLanguage ?? "JSONPath" };
}

/**
 * A copy of the state whose transition targets (Next, Default, Choices[].Next, Catch[].Next)
 * name stub states of their own, so they can clash with no state name inside the state.
 * Targets that are not strings stay, to be reported where they are.
 */
function withStubTargets(raw: JsonObject): { copy: JsonObject; stubs: string[] } {
  const stubs: string[] = [];
  const stub = (target: Json | undefined): Json | undefined => {
    if (typeof target !== "string" || target.length === 0) return target;
    stubs.push(`TestStateTarget${stubs.length}`);
    return stubs[stubs.length - 1] as string;
  };
  const retarget = (o: JsonObject, key: string): JsonObject => (o[key] === undefined ? o : { ...o, [key]: stub(o[key]) as Json });
  let copy = retarget(retarget(raw, "Next"), "Default");
  for (const list of ["Choices", "Catch"]) {
    const items = copy[list];
    if (Array.isArray(items)) copy = { ...copy, [list]: items.map((item) => (isObject(item) ? retarget(item, "Next") : item)) };
  }
  return { copy, stubs };
}

/** `/States/StateName/Retry` → `/Retry`: the client's definition is the state itself. */
function rebase(d: Diagnostic): Diagnostic {
  const location = inState(d.location) ? d.location.slice(STATE_POINTER.length) || "/" : "/";
  return { ...d, location, message: d.message.split(`${STATE_POINTER}/`).join("/") };
}

function stateOfMachine(raw: unknown, stateName: string, services: CompileServices): TestedState {
  const errors = errorsOf(checkDefinition(raw, services));
  if (errors.length > 0) throw new DefinitionError(errors);
  const machine = raw as SubMachine & { QueryLanguage?: QueryLanguage };
  const state = findState(machine, stateName);
  if (!state) throw new TestStateRejected("ValidationException", "State not found in definition");
  return { state, language: state.QueryLanguage ?? machine.QueryLanguage ?? "JSONPath" };
}

/** The state called `name`, at the top level first, then inside Parallel branches and Map processors. */
function findState(machine: SubMachine, name: string): State | undefined {
  const own = Object.hasOwn(machine.States, name) ? machine.States[name] : undefined;
  if (own) return own;
  for (const state of Object.values(machine.States)) {
    const subs = state.Type === "Parallel" ? state.Branches : state.Type === "Map" ? [state.ItemProcessor ?? state.Iterator] : [];
    for (const sub of subs) {
      const found = sub ? findState(sub, name) : undefined;
      if (found) return found;
    }
  }
  return undefined;
}
