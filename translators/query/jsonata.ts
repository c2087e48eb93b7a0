/**
 * The one gateway to `jsonata` (STYLE.md 3), with Step Functions' extra functions.
 * https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html
 *
 * jsonata 1.8 on purpose: its `evaluate` is synchronous, as XState transitions are. Every
 * expression is parsed once, when its field is compiled; evaluation binds `$states`, each
 * workflow variable as `$name`, and the injected randomness and time.
 */
import jsonata from "jsonata";
import type { Json, JsonObject } from "../json.js";
import {
  JsonataSyntaxError,
  returnedNothing,
  threwError,
  unexpectedResult,
  unsupportedResult,
} from "./jsonata-errors.js";
import { findRefusedReference, keepsArrays, statesMembers, type AstNode } from "./jsonata-references.js";
import { toPlainJson, UnsupportedResult } from "./jsonata-result.js";
import {
  isolateData,
  prepareEnvironment,
  registerStepFunctionsFunctions,
  type Environment,
  type FromMillis,
} from "./jsonata-runtime.js";
import { compileTemplate, pointerOf, type TemplateExpression, type TemplateLocation } from "./jsonata-template.js";
import type { CompiledJsonataValue, JsonataBindings, JsonataResultType } from "./jsonata-types.js";

export type { CompiledJsonataValue, JsonataBindings, JsonataResultType } from "./jsonata-types.js";
export {
  JsonataEvaluationError,
  JsonataSyntaxError,
  isJsonataEvaluationError,
  jsonTypeOf,
  type JsonataDefinitionErrorCode,
} from "./jsonata-errors.js";
export { expressionText, isJsonataExpression } from "./jsonata-template.js";

/** The library's `$fromMillis` (which `$now(picture, timezone)` formats with), read once. */
const fromMillis = (jsonata("$fromMillis").evaluate(undefined) as { implementation: FromMillis }).implementation;

/**
 * Compiles a field's value as written in a JSONata state (Arguments, Output, Assign, Items,
 * Seconds, Condition, ...): a `{% %}` string, or objects/arrays with such strings at any depth.
 * `field` names it in messages; nested values are named with `/` before keys and `[i]` for
 * array items ("Output/FunctionResult", "Items[1]"). Each expression is parsed here, once.
 * Evaluating fails with JsonataEvaluationError (`States.QueryEvaluationError`, `location` = the
 * nested field) when an expression throws, returns nothing (undefined) or returns a function.
 * Throws JsonataSyntaxError for an expression that does not parse or reads what AWS refuses.
 */
export function compileJsonataValue(value: Json, field: string): CompiledJsonataValue {
  const template = compileTemplate(value, { field, pointer: pointerOf(field) }, compileExpression);
  return {
    constant: template.constant,
    field,
    text: template.text,
    statesMembers: template.statesMembers,
    evaluate: template.constant
      ? () => value
      : (bindings) => template.evaluate(prepareEnvironment(bindings)),
  };
}

type Expected<T extends JsonataResultType> = {
  array: Json[];
  object: JsonObject;
  string: string;
  number: number;
  integer: number;
  boolean: boolean;
}[T];

/**
 * Evaluates a typed field (Items: array, Condition: boolean, Seconds: integer, ...). A value of
 * another type fails with AWS's "returned an unexpected result type. Expected 'array', but was
 * 'number' for value: 1".
 */
export function evaluateJsonataExpecting<T extends JsonataResultType>(
  compiled: CompiledJsonataValue,
  bindings: JsonataBindings,
  expected: T,
): Expected<T> {
  const value = compiled.evaluate(bindings);
  if (!hasType(value, expected)) throw unexpectedResult(compiled.text, compiled.field, expected, value);
  return value as Expected<T>;
}

function hasType(value: Json, expected: JsonataResultType): boolean {
  switch (expected) {
    case "array":
      return Array.isArray(value);
    case "object":
      return value !== null && typeof value === "object" && !Array.isArray(value);
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    default:
      return typeof value === expected;
  }
}

/** Parses one expression, refuses what AWS refuses, registers Step Functions' functions. */
function compileExpression(text: string, where: TemplateLocation): TemplateExpression<Environment> {
  let expression: jsonata.Expression;
  try {
    expression = jsonata(text);
  } catch (e) {
    const err = e as { message?: string; position?: number };
    throw new JsonataSyntaxError(text, err.message ?? String(e), { ...where, ...positionOf(err.position) });
  }
  const ast = expression.ast() as AstNode;
  const refused = findRefusedReference(ast);
  if (refused !== undefined) {
    const at = { ...where, code: "UNSUPPORTED_JSONATA_EXPRESSION" as const, ...positionOf(refused.position) };
    throw new JsonataSyntaxError(text, refused.detail, at);
  }
  registerStepFunctionsFunctions(expression, fromMillis);
  const isolate = keepsArrays(ast);
  const evaluate = (env: Environment): Json => evaluateExpression(expression, text, where.field, isolate ? isolateData(env) : env);
  return { statesMembers: statesMembers(ast), evaluate };
}

const positionOf = (position: number | undefined): { position?: number } => (position === undefined ? {} : { position });

function evaluateExpression(expression: jsonata.Expression, text: string, field: string, env: Environment): Json {
  let raw: unknown;
  try {
    raw = expression.evaluate(undefined, env);
  } catch (e) {
    throw threwError(text, field, describeError(e));
  }
  let value: Json | undefined;
  try {
    value = toPlainJson(raw);
  } catch (e) {
    if (e instanceof UnsupportedResult) throw unsupportedResult(text, field);
    throw e;
  }
  if (value === undefined) throw returnedNothing(text, field);
  return value;
}

/** "T1006: Attempted to invoke a non-function", as AWS prints JSONata's errors. */
function describeError(e: unknown): string {
  if (typeof e !== "object" || e === null) return String(e);
  const { code, message } = e as { code?: unknown; message?: unknown };
  const text = typeof message === "string" ? message : String(e);
  return typeof code === "string" ? `${code}: ${text}` : text;
}
