/**
 * Choice rules of JSONata states: `Condition` (a boolean or a `{% %}` expression) and `Next`
 * are required; `Assign`, `Output` and `Comment` are optional. JSONPath rule fields (Variable,
 * And/Or/Not, comparison operators) belong to JSONPath states, whose rules
 * ../../../choice validates.
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html
 */
import { pointer } from "../../diagnostics.js";
import { checkObject, checkString, has, mismatch, isExpression } from "../checks.js";
import { CODES } from "../codes.js";
import type { StateInput } from "../context.js";
import { checkAssign } from "../fields/assign.js";
import { checkKnownFields, type FieldSets } from "../fields/known-fields.js";
import { checkTarget } from "../fields/transitions.js";

const COMPARED = ["String", "Numeric", "Timestamp"].flatMap((t) =>
  ["Equals", "LessThan", "GreaterThan", "LessThanEquals", "GreaterThanEquals"].map((op) => t + op),
);
const OPERATORS = [...COMPARED, "BooleanEquals"].flatMap((op) => [op, op + "Path"]);
const TYPE_TESTS = ["IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp"];

/** Fields of a top-level Choice rule, by query language. */
export const RULE_FIELDS: FieldSets = {
  both: ["Next", "Assign", "Comment"],
  JSONPath: ["Variable", "And", "Or", "Not", "StringMatches", ...OPERATORS, ...TYPE_TESTS],
  JSONata: ["Condition", "Output"],
};

/** Checks one rule of a JSONata Choice state and records its transition. */
export function checkJsonataRule(input: StateInput, rule: unknown, location: string): void {
  const diags = input.ctx.diags;
  if (!checkObject(diags, location, "A Choice rule", rule)) return;
  checkKnownFields(diags, location, rule, RULE_FIELDS, "JSONata", "in a Choice rule");
  if (!has(rule, "Condition")) {
    diags.error(location, CODES.Schema, "A Choice rule of a JSONata state must have Condition (a boolean or a JSONata expression), found none.");
  } else if (typeof rule["Condition"] !== "boolean" && !isExpression(rule["Condition"])) {
    mismatch(diags, pointer(location, "Condition"), "Condition", "a boolean or a JSONata expression ('{% ... %}')", rule["Condition"]);
  }
  if (has(rule, "Next")) checkTarget(input, rule["Next"], pointer(location, "Next"), "Next");
  else diags.error(location, CODES.Schema, "A Choice rule must have Next (the name of the state to go to), found none.");
  if (has(rule, "Assign")) checkAssign(diags, pointer(location, "Assign"), rule["Assign"], "JSONata");
  if (has(rule, "Comment")) checkString(diags, pointer(location, "Comment"), "Comment", rule["Comment"]);
}
