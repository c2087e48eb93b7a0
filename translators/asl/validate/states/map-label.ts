/**
 * Map Label: a string of at most 40 characters, unique in the state machine, without white
 * space, brackets, wildcards, special or control characters.
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html
 */
import { pointer } from "../../diagnostics.js";
import { checkString } from "../checks.js";
import { CODES } from "../codes.js";
import { present, type StateInput } from "../context.js";

const MAX_LABEL_LENGTH = 40;
/** White space, brackets, wildcards, special characters and control characters. */
const FORBIDDEN = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\p{Cc}]/u;

export function checkLabel(input: StateInput): void {
  if (!present(input, "Label")) return;
  const { ctx } = input;
  const at = pointer(input.location, "Label");
  const label = input.state["Label"];
  if (!checkString(ctx.diags, at, "Label", label, true)) return;
  if (label.length > MAX_LABEL_LENGTH) {
    ctx.diags.error(at, CODES.InvalidLabelName, `Label '${label}' is ${label.length} characters long; the maximum is ${MAX_LABEL_LENGTH}.`);
  } else if (FORBIDDEN.test(label)) {
    ctx.diags.error(at, CODES.InvalidLabelName, `Label ${JSON.stringify(label)} holds a forbidden character (white space, brackets, ? * " # % \\ ^ | ~ \` $ & , ; : / or a control character).`);
  }
  const first = ctx.labels.get(label);
  if (first !== undefined) ctx.diags.error(at, CODES.DuplicateLabelName, `Label '${label}' is already used at ${first}; labels must be unique in the state machine.`);
  else ctx.labels.set(label, at);
}
