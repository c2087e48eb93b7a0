/**
 * Definition checks for JSONPath Choice rules (STYLE.md 8: where, what was expected, what was found).
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html
 *
 * - A rule holds exactly one condition: And, Or, Not, or one data-test operator.
 * - A data test needs `Variable` (a reference path); And/Or/Not must not carry one.
 * - And/Or take a non-empty array of rules, Not a single rule; nested rules carry no `Next`.
 * - Top-level rules need `Next` and may carry `Assign` (workflow variables); any rule may carry
 *   `Comment`. Nothing else is accepted.
 * - Operands: strings for String*, numbers for Numeric*, booleans for BooleanEquals and the
 *   Is* tests, timestamps for Timestamp*, reference paths for every `...Path` variant.
 */
import { pointer, type Diagnostics } from "../asl/diagnostics.js";
import { isObject, type JsonObject } from "../json.js";
import { compileReference } from "../query/reference.js";
import { classifyOperator, OPERAND_KIND, type OperandKind, type OperatorKey } from "./operators.js";
import { parseTimestamp } from "./timestamp.js";

const CODE = "SCHEMA_VALIDATION_FAILED";
const COMBINATORS: ReadonlySet<string> = new Set(["And", "Or", "Not"]);
const TOP_LEVEL_ONLY: ReadonlySet<string> = new Set(["Next", "Assign"]);
const JSONATA_ONLY: ReadonlySet<string> = new Set(["Condition", "Output"]);
const ONE_CONDITION =
  "A choice rule must have exactly one of And, Or, Not or a comparison operator (such as StringEquals, NumericLessThanPath, IsPresent)";
const TIMESTAMP_EXPECTED = 'a timestamp such as "2016-08-18T17:33:00Z" (RFC 3339, uppercase T, Z or a ±hh:mm offset)';

/** "a string (\"x\")", "null", "an array", ...: what a message says it found. */
function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  if (typeof value === "string") return `a string (${JSON.stringify(value)})`;
  return `a ${typeof value} (${String(value)})`;
}

/**
 * Checks one rule of a JSONPath Choice state. `topLevel` rules carry `Next` (and may carry
 * `Assign`, `Comment`); nested rules (inside And/Or/Not) must not carry `Next`.
 */
export function validateChoiceRule(rule: unknown, location: string, diags: Diagnostics, topLevel: boolean): void {
  if (!isObject(rule)) {
    diags.error(location, CODE, `A choice rule must be an object, found ${describe(rule)}.`);
    return;
  }
  checkFields(rule, location, diags, topLevel);
  const conditions = Object.keys(rule).filter((k) => COMBINATORS.has(k) || classifyOperator(k) !== undefined);
  checkConditionCount(conditions, location, diags);
  const comparison = conditions.find((k) => !COMBINATORS.has(k));
  checkVariable(rule, comparison, conditions, location, diags);
  for (const key of conditions) checkCondition(rule, key, location, diags);
}

/** Unknown fields, misplaced Next/Assign, and the types of Next, Assign and Comment. */
function checkFields(rule: JsonObject, location: string, diags: Diagnostics, topLevel: boolean): void {
  for (const key of Object.keys(rule)) {
    const at = pointer(location, key);
    if (TOP_LEVEL_ONLY.has(key) && !topLevel) {
      diags.error(at, CODE, `Field '${key}' is only allowed on top-level choice rules, not inside And, Or or Not.`);
    } else if (JSONATA_ONLY.has(key)) {
      diags.error(at, CODE, `Field '${key}' is not supported in a JSONPath choice rule (it belongs to JSONata choice rules).`);
    } else if (!isKnownField(key)) {
      diags.error(at, CODE, `Field '${key}' is not supported in a choice rule.`);
    }
  }
  if (topLevel) checkNext(rule.Next, location, diags);
  if (topLevel && rule.Assign !== undefined && !isObject(rule.Assign)) {
    diags.error(pointer(location, "Assign"), CODE, `The field 'Assign' must be an object, found ${describe(rule.Assign)}.`);
  }
  if (rule.Comment !== undefined && typeof rule.Comment !== "string") {
    diags.error(pointer(location, "Comment"), CODE, `The field 'Comment' must be a string, found ${describe(rule.Comment)}.`);
  }
}

const isKnownField = (key: string): boolean =>
  key === "Variable" || key === "Comment" || TOP_LEVEL_ONLY.has(key) || COMBINATORS.has(key) || classifyOperator(key) !== undefined;

function checkNext(next: unknown, location: string, diags: Diagnostics): void {
  if (next === undefined) {
    diags.error(location, CODE, "A top-level choice rule needs the field 'Next' (the state to go to when it matches).");
  } else if (typeof next !== "string" || next.length === 0) {
    diags.error(pointer(location, "Next"), CODE, `The field 'Next' must be a non-empty state name, found ${describe(next)}.`);
  }
}

function checkConditionCount(conditions: readonly string[], location: string, diags: Diagnostics): void {
  if (conditions.length === 1) return;
  const found = conditions.length === 0 ? "none" : `${conditions.length}: ${conditions.map((k) => `'${k}'`).join(", ")}`;
  diags.error(location, CODE, `${ONE_CONDITION}; found ${found}.`);
}

/** Variable is required with a data test and not allowed on a rule that only combines rules. */
function checkVariable(
  rule: JsonObject,
  comparison: string | undefined,
  conditions: readonly string[],
  location: string,
  diags: Diagnostics,
): void {
  if (comparison !== undefined) {
    if (rule.Variable === undefined) diags.error(location, CODE, `Field 'Variable' is required with '${comparison}'.`);
    else checkReferencePath(rule.Variable, "Variable", pointer(location, "Variable"), diags);
    return;
  }
  if (rule.Variable !== undefined && conditions.length > 0) {
    const message = `Field 'Variable' is not allowed with '${conditions[0] ?? ""}'; put it in the nested rules.`;
    diags.error(pointer(location, "Variable"), CODE, message);
  }
}

function checkCondition(rule: JsonObject, key: string, location: string, diags: Diagnostics): void {
  const value = rule[key];
  const at = pointer(location, key);
  if (key === "And" || key === "Or") return checkRuleList(value, key, at, diags);
  if (key === "Not") {
    if (isObject(value)) validateChoiceRule(value, at, diags, false);
    else diags.error(at, CODE, `The field 'Not' must be a single choice rule (an object), found ${describe(value)}.`);
    return;
  }
  const op = classifyOperator(key);
  if (op) checkOperand(op, key, value, at, diags);
}

function checkRuleList(value: unknown, key: string, at: string, diags: Diagnostics): void {
  if (!Array.isArray(value) || value.length === 0) {
    const found = Array.isArray(value) ? "an empty array" : describe(value);
    diags.error(at, CODE, `The field '${key}' must be a non-empty array of choice rules, found ${found}.`);
    return;
  }
  value.forEach((nested, i) => validateChoiceRule(nested, pointer(at, i), diags, false));
}

function checkOperand(op: OperatorKey, key: string, value: unknown, at: string, diags: Diagnostics): void {
  switch (op.kind) {
    case "isPresent":
    case "typeTest":
      if (typeof value !== "boolean") diags.error(at, CODE, `The field '${key}' must be a boolean, found ${describe(value)}.`);
      return;
    case "comparePath":
      return checkReferencePath(value, key, at, diags);
    case "compare":
      return checkLiteral(OPERAND_KIND[op.operator], key, value, at, diags);
  }
}

function checkLiteral(kind: OperandKind, key: string, value: unknown, at: string, diags: Diagnostics): void {
  if (kind === "timestamp") {
    if (typeof value !== "string" || parseTimestamp(value) === undefined) {
      diags.error(at, CODE, `The field '${key}' must be ${TIMESTAMP_EXPECTED}, found ${describe(value)}.`);
    }
    return;
  }
  if (typeof value !== kind) diags.error(at, CODE, `The field '${key}' must be a ${kind}, found ${describe(value)}.`);
}

/** Variable and every `...Path` operand must be a reference path: `$`, `$$` or `$name`, then simple steps. */
function checkReferencePath(value: unknown, field: string, at: string, diags: Diagnostics): void {
  if (typeof value !== "string") {
    diags.error(at, CODE, `The field '${field}' must be a reference path string, found ${describe(value)}.`);
    return;
  }
  try {
    if (compileReference(value).path.segments !== undefined) return;
    diags.error(at, CODE, `The field '${field}' must be a reference path (no wildcards, filters, slices or unions), found '${value}'.`);
  } catch (e) {
    diags.error(at, CODE, `The field '${field}' must be a valid JSONPath, found '${value}': ${(e as Error).message}.`);
  }
}
