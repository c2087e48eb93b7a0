/**
 * Payload templates of JSONPath states (Parameters, ResultSelector, ItemSelector, and the
 * JSONPath flavour of Assign): keys ending in `.$` are evaluated, other values are copied.
 * https://docs.aws.amazon.com/step-functions/latest/dg/input-output-inputpath-params.html
 */
import { isObject, type Json, type JsonObject } from "../json.js";
import type { EvalScope } from "../query/scope.js";
import { compileValueExpression, type Evaluate } from "./value-expression.js";

/** Compiles a template value; constant subtrees are returned as they are. */
export function compilePayloadTemplate(template: Json): Evaluate {
  if (Array.isArray(template)) {
    const items = template.map((t) => compilePayloadTemplate(t));
    if (template.every((t) => !hasDynamicKey(t))) return () => template;
    return (scope) => items.map((f) => f(scope));
  }
  if (!isObject(template) || !hasDynamicKey(template)) return () => template;
  const fields: [string, Evaluate][] = Object.entries(template).map(([key, value]) =>
    key.endsWith(".$") && typeof value === "string"
      ? [key.slice(0, -2), compileValueExpression(value, key)]
      : [key, compilePayloadTemplate(value)],
  );
  return (scope: EvalScope) => {
    const out: JsonObject = {};
    for (const [key, f] of fields) out[key] = f(scope);
    return out;
  };
}

function hasDynamicKey(value: Json): boolean {
  if (Array.isArray(value)) return value.some(hasDynamicKey);
  if (!isObject(value)) return false;
  return Object.entries(value).some(([k, v]) => k.endsWith(".$") || hasDynamicKey(v));
}
