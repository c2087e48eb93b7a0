/**
 * Fail: a terminal state. Error and Cause are strings (in JSONata states they may be
 * expressions); ErrorPath and CausePath (JSONPath) are reference paths or intrinsic functions
 * and exclude Error and Cause respectively.
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-fail.html
 */
import { pointer } from "../../diagnostics.js";
import { checkString } from "../checks.js";
import { fieldOf, hasField, stateHost, type Host } from "../fields/host.js";
import { checkExclusive } from "../fields/exclusive.js";
import { checkPathField } from "../fields/paths.js";
import { BASE_FIELDS, type StateSpec } from "./spec.js";

export const failState: StateSpec = {
  fields: { both: [...BASE_FIELDS, "Error", "Cause"], JSONPath: ["ErrorPath", "CausePath"], JSONata: [] },
  transition: "none",
  validate(input) {
    const host = stateHost(input);
    for (const field of ["Error", "Cause"]) checkFailField(host, field);
  },
};

function checkFailField(host: Host, field: string): void {
  const pathField = `${field}Path`;
  if (hasField(host, field)) checkString(host.diags, pointer(host.location, field), field, fieldOf(host, field));
  checkPathField(host, pathField, "reference-or-intrinsic");
  checkExclusive(host, [field, pathField]);
}
