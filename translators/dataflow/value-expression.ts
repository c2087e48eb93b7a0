/**
 * A `.$` value in a JSONPath state: a path (`$.a`, `$$.Execution.Id`, `$var.x`) or an
 * intrinsic call (`States.Format(...)`), compiled once.
 * https://docs.aws.amazon.com/step-functions/latest/dg/input-output-inputpath-params.html
 */
import { StatesError, STATES_ERRORS } from "../errors.js";
import { toJsonText, type Json } from "../json.js";
import { compileIntrinsic, isIntrinsicCall } from "../query/intrinsics/index.js";
import { compileReference } from "../query/reference.js";
import type { EvalScope } from "../query/scope.js";

export type Evaluate = (scope: EvalScope) => Json;

/** Compiles `text`, the value of `field` (a key ending in `.$`, named in errors). */
export function compileValueExpression(text: string, field: string): Evaluate {
  if (isIntrinsicCall(text)) {
    const call = compileIntrinsic(text);
    return (scope) => call.evaluate(scope);
  }
  const ref = compileReference(text);
  return (scope) => {
    const value = ref.get(scope);
    if (value === undefined) throw pathNotFound(text, field, ref.kind === "context" ? scope.context : scope.input);
    return value;
  };
}

/** AWS's States.Runtime for a payload path that selects nothing. */
export const pathNotFound = (path: string, field: string, input: Json): StatesError =>
  new StatesError(
    STATES_ERRORS.Runtime,
    `The JSONPath '${path}' specified for the field '${field}' could not be found in the input '${toJsonText(input)}'`,
  );
