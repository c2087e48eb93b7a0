/**
 * Catchers: where a caught error goes and what the next state receives.
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html#error-handling-fallback-states
 */
import type { Catcher } from "../asl/model.js";
import type { Json, JsonObject } from "../json.js";
import { compileJsonataValue, type CompiledJsonataValue } from "../query/jsonata.js";
import { compileAssign, type EvaluateAssign } from "./assign.js";
import { compileResultPath, type ApplyResultPath } from "./paths.js";

export interface CompiledCatcher {
  readonly errorEquals: readonly string[];
  readonly next: string;
  /** JSONPath: where the error output goes in the state's input. */
  readonly resultPath: ApplyResultPath;
  /** JSONata: the state's output, with `$states.errorOutput` bound. */
  readonly output: CompiledJsonataValue | undefined;
  readonly assign: EvaluateAssign | undefined;
}

export function compileCatchers(catchers: readonly Catcher[] | undefined, language: "JSONPath" | "JSONata"): CompiledCatcher[] {
  return (catchers ?? []).map((c) => ({
    errorEquals: c.ErrorEquals,
    next: c.Next,
    resultPath: compileResultPath(c.ResultPath),
    output: language === "JSONata" && c.Output !== undefined ? compileJsonataValue(c.Output, "Output") : undefined,
    assign: compileAssign(c.Assign, language),
  }));
}

/** The error output a catcher receives: `{Error, Cause}`, Cause omitted when there is none. */
export function errorOutput(error: string | undefined, cause: string | undefined): JsonObject {
  const out: JsonObject = {};
  if (error !== undefined) out["Error"] = error;
  if (cause !== undefined) out["Cause"] = cause as Json;
  return out;
}
