/**
 * Catch: an array of Catchers. ErrorEquals and Next (a state of the same scope) are required;
 * ResultPath (JSONPath) or Output (JSONata), Assign and Comment are optional.
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html#error-handling-fallback-states
 */
import { pointer } from "../../diagnostics.js";
import { checkArray, checkObject, checkString, has } from "../checks.js";
import { CODES } from "../codes.js";
import type { StateInput } from "../context.js";
import { checkAssignField } from "./assign.js";
import { checkErrorEquals } from "./error-equals.js";
import { fieldOf, hasField, stateHost, subHost, type Host } from "./host.js";
import { checkKnownFields, type FieldSets } from "./known-fields.js";
import { checkPathField } from "./paths.js";
import { checkTarget } from "./transitions.js";

const CATCHER_FIELDS: FieldSets = {
  both: ["ErrorEquals", "Next", "Assign", "Comment"],
  JSONPath: ["ResultPath"],
  JSONata: ["Output"],
};

/** Checks the Catch field of a Task, Parallel or Map state and records its transitions. */
export function checkCatch(input: StateInput): void {
  const host = stateHost(input);
  if (!hasField(host, "Catch")) return;
  const value = fieldOf(host, "Catch");
  const at = pointer(host.location, "Catch");
  if (!checkArray(host.diags, at, "Catch", value)) return;
  value.forEach((raw, i) => checkCatcher(input, host, raw, pointer(at, i), i === value.length - 1));
}

function checkCatcher(input: StateInput, host: Host, raw: unknown, location: string, isLast: boolean): void {
  const diags = host.diags;
  if (!checkObject(diags, location, "A Catcher", raw)) return;
  checkKnownFields(diags, location, raw, CATCHER_FIELDS, host.language, "in a Catcher");
  if (has(raw, "ErrorEquals")) checkErrorEquals(diags, pointer(location, "ErrorEquals"), raw["ErrorEquals"], isLast, "Catcher", "Catch");
  else diags.error(location, CODES.Schema, "A Catcher must have ErrorEquals (a non-empty array of error names), found none.");
  if (has(raw, "Next")) checkTarget(input, raw["Next"], pointer(location, "Next"), "Next");
  else diags.error(location, CODES.Schema, "A Catcher must have Next (the name of the state to go to), found none.");
  const c = subHost(host, raw, location, CATCHER_FIELDS);
  checkPathField(c, "ResultPath", "result", true);
  checkAssignField(c);
  if (has(raw, "Comment")) checkString(diags, pointer(location, "Comment"), "Comment", raw["Comment"]);
}
