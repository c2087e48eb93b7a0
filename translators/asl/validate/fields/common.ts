/**
 * Fields most state types share: Comment, InputPath and OutputPath (JSONPath), Output
 * (JSONata, any JSON value) and Assign. Each is checked only where the state's field table
 * allows it.
 * https://docs.aws.amazon.com/step-functions/latest/dg/statemachine-structure.html
 */
import { pointer } from "../../diagnostics.js";
import { checkString } from "../checks.js";
import type { StateInput } from "../context.js";
import { checkAssignField } from "./assign.js";
import { fieldOf, hasField, stateHost } from "./host.js";
import { checkPathField } from "./paths.js";

export function checkCommonFields(input: StateInput): void {
  const host = stateHost(input);
  if (hasField(host, "Comment")) checkString(host.diags, pointer(host.location, "Comment"), "Comment", fieldOf(host, "Comment"));
  checkPathField(host, "InputPath", "path", true);
  checkPathField(host, "OutputPath", "path", true);
  checkAssignField(host);
}
