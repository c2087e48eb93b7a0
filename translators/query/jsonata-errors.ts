/**
 * JSONata errors in AWS's words: definition errors (a bad `{% %}` expression) and run-time
 * `States.QueryEvaluationError`s, whose causes are quoted from recorded AWS executions.
 * https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html#handling-errors-jsonata-expressions
 */
import { toJsonText, type Json } from "../json.js";
import { STATES_ERRORS, StatesError } from "../errors.js";
import type { JsonataResultType } from "./jsonata-types.js";

/** AWS's InvalidDefinition codes for JSONata: a parse error, or a construct Step Functions refuses. */
export type JsonataDefinitionErrorCode = "INVALID_JSONATA_EXPRESSION" | "UNSUPPORTED_JSONATA_EXPRESSION";

/** Where a definition error sits: `field` as in run-time messages, `pointer` relative to the state. */
export interface JsonataErrorLocation {
  readonly code?: JsonataDefinitionErrorCode;
  /** "Output/a/b[0]" */
  readonly field?: string;
  /** "/Output/a/b/0" (RFC 6901, relative to the state object) */
  readonly pointer?: string;
  /** Character offset the parser reported, when it did. */
  readonly position?: number;
}

/**
 * A `{% %}` expression refused when the definition is loaded. AWS reports these as
 * `InvalidDefinition: '<code>: <detail> at /States/<name><pointer>'`; `message` is `<code>: <detail>`.
 */
export class JsonataSyntaxError extends Error {
  readonly code: JsonataDefinitionErrorCode;
  readonly field: string;
  readonly pointer: string;
  readonly position: number | undefined;
  constructor(readonly expression: string, readonly detail: string, where: JsonataErrorLocation = {}) {
    const code = where.code ?? "INVALID_JSONATA_EXPRESSION";
    super(`${code}: ${detail}`);
    this.name = "JsonataSyntaxError";
    this.code = code;
    this.field = where.field ?? "";
    this.pointer = where.pointer ?? "";
    this.position = where.position;
  }
}

/**
 * `States.QueryEvaluationError` raised while a JSONata field is evaluated. `location` is the
 * field, which AWS also records as `evaluationFailedEventDetails.location`.
 */
export class JsonataEvaluationError extends StatesError {
  constructor(readonly location: string, cause: string) {
    super(STATES_ERRORS.QueryEvaluationError, cause, true);
    this.name = "JsonataEvaluationError";
  }
}

export const isJsonataEvaluationError = (e: unknown): e is JsonataEvaluationError => e instanceof JsonataEvaluationError;

const prefix = (text: string, field: string): string => `The JSONata expression '${text}' specified for the field '${field}'`;

/** "... threw an error during evaluation. T1006: Attempted to invoke a non-function" */
export const threwError = (text: string, field: string, detail: string): JsonataEvaluationError =>
  new JsonataEvaluationError(field, `${prefix(text, field)} threw an error during evaluation. ${detail}`);

/** "... returned nothing (undefined)." */
export const returnedNothing = (text: string, field: string): JsonataEvaluationError =>
  new JsonataEvaluationError(field, `${prefix(text, field)} returned nothing (undefined).`);

/** "... returned an unsupported result type." (a function, e.g. `$fn := function($x){$x}`) */
export const unsupportedResult = (text: string, field: string): JsonataEvaluationError =>
  new JsonataEvaluationError(field, `${prefix(text, field)} returned an unsupported result type.`);

/** "... returned an unexpected result type. Expected 'array', but was 'number' for value: 1" */
export const unexpectedResult = (text: string, field: string, expected: JsonataResultType, value: Json): JsonataEvaluationError =>
  new JsonataEvaluationError(
    field,
    `${prefix(text, field)} returned an unexpected result type. Expected '${expected}', but was '${jsonTypeOf(value)}' for value: ${toJsonText(value)}`,
  );

/** The type names AWS prints: null, array, object, string, number, boolean. */
export function jsonTypeOf(value: Json): "null" | "array" | "object" | "string" | "number" | "boolean" {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value as "object" | "string" | "number" | "boolean";
}
