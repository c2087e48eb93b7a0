/**
 * Assign: workflow variables set by a state, in both query languages.
 * https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html
 * JSONPath: a payload template whose `$` is the state's result; other values are literals.
 * JSONata: `{% %}` expressions with `$states.result` / `$states.errorOutput` bound.
 * Every value is evaluated before any variable changes (AWS: assignments are parallel).
 */
import type { Json, JsonObject } from "../json.js";
import { compileJsonataValue, type JsonataBindings } from "../query/jsonata.js";
import type { EvalScope } from "../query/scope.js";
import { compilePayloadTemplate } from "./payload-template.js";

export type EvaluateAssign = (scope: EvalScope, jsonata: JsonataBindings) => JsonObject;

export function compileAssign(assign: JsonObject | undefined, language: "JSONPath" | "JSONata"): EvaluateAssign | undefined {
  if (assign === undefined) return undefined;
  if (language === "JSONata") {
    const compiled = compileJsonataValue(assign, "Assign");
    return (_scope, bindings) => compiled.evaluate(bindings) as JsonObject;
  }
  const template = compilePayloadTemplate(assign);
  return (scope) => template(scope) as JsonObject;
}

/** AWS history shows each assigned value as JSON text. */
export const assignedVariablesDetails = (assigned: JsonObject): Record<string, string> =>
  Object.fromEntries(Object.entries(assigned).map(([k, v]) => [k, JSON.stringify(v as Json)]));
