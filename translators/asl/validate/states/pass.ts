/**
 * Pass: Result, ResultPath and Parameters (JSONPath); Output (JSONata).
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-pass.html
 */
import { pointer } from "../../diagnostics.js";
import { isObject } from "../../../json.js";
import { CODES } from "../codes.js";
import type { StateInput } from "../context.js";
import { fieldOf, hasField, stateHost } from "../fields/host.js";
import { checkTemplateField } from "../fields/payload.js";
import { checkPathField } from "../fields/paths.js";
import { BASE_FIELDS, FLOW_FIELDS, IO_PATHS, type StateSpec } from "./spec.js";

export const passState: StateSpec = {
  fields: {
    both: [...BASE_FIELDS, ...FLOW_FIELDS],
    JSONPath: [...IO_PATHS, "Parameters", "Result", "ResultPath"],
    JSONata: ["Output"],
  },
  transition: "next-or-end",
  validate(input) {
    const host = stateHost(input);
    checkPathField(host, "ResultPath", "result", true);
    checkTemplateField(host, "Parameters", false);
    if (hasField(host, "Result")) warnDynamicResult(input, fieldOf(host, "Result"), pointer(input.location, "Result"));
  },
};

/** Result is static: `.$` keys there are kept as written (AWS's PASS_RESULT_IS_STATIC warning). */
function warnDynamicResult(input: StateInput, value: unknown, location: string): void {
  if (Array.isArray(value)) value.forEach((v, i) => warnDynamicResult(input, v, pointer(location, i)));
  if (!isObject(value)) return;
  for (const [key, item] of Object.entries(value)) {
    const at = pointer(location, key);
    if (key.endsWith(".$")) {
      input.ctx.diags.warning(at, CODES.PassResultIsStatic, `Result is never evaluated, so '${key}' stays a literal key; use Parameters to select from the input.`);
    }
    warnDynamicResult(input, item, at);
  }
}
