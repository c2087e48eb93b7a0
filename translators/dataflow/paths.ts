/**
 * InputPath, ResultPath and OutputPath of JSONPath states.
 * https://docs.aws.amazon.com/step-functions/latest/dg/input-output-inputpath-params.html
 * https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultpath.html
 */
import { StatesError, STATES_ERRORS } from "../errors.js";
import { toJsonText, type Json } from "../json.js";
import { parseSimplePath, setAtPath } from "../query/jsonpath.js";
import { compileReference } from "../query/reference.js";
import type { EvalScope } from "../query/scope.js";

export type SelectPath = (scope: EvalScope) => Json;

/** InputPath/OutputPath: undefined → `$`, null → `{}`, else the selected value (missing → States.Runtime). */
export function compileSelectPath(path: string | null | undefined): SelectPath {
  if (path === undefined || path === "$") return (scope) => scope.input;
  if (path === null) return () => ({});
  const ref = compileReference(path);
  return (scope) => {
    const value = ref.get(scope);
    if (value === undefined) {
      throw new StatesError(STATES_ERRORS.Runtime, `Invalid path '${path}' : No results for path: ${bracketed(path)}`);
    }
    return value;
  };
}

/** `$.a.b[0]` as AWS prints it in errors: `$['a']['b'][0]`. */
function bracketed(path: string): string {
  const segments = parseSimplePath(path);
  if (!segments) return path;
  return "$" + segments.map((s) => (typeof s === "number" ? `[${s}]` : `['${s}']`)).join("");
}

export type ApplyResultPath = (input: Json, result: Json) => Json;

/** ResultPath: undefined/`$` → the result, null → the input, else the result placed into the input. */
export function compileResultPath(path: string | null | undefined): ApplyResultPath {
  if (path === undefined || path === "$") return (_input, result) => result;
  if (path === null) return (input) => input;
  const segments = parseSimplePath(path);
  if (!segments) throw new Error(`ResultPath '${path}' is not a reference path`);
  return (input, result) => {
    const out = setAtPath(input, segments, result);
    if (out === undefined) {
      throw new StatesError(
        STATES_ERRORS.ResultPathMatchFailure,
        `Unable to apply ResultPath '${path}' to input '${toJsonText(input)}'`,
      );
    }
    return out;
  };
}
