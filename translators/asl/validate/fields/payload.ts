/**
 * Payload templates. In JSONPath states (Parameters, ResultSelector, ItemSelector, Assign, ...)
 * a key ending in `.$` takes a path or an intrinsic function, at any depth; a plain key whose
 * value merely looks like one earns AWS's NO_DOLLAR warning. In JSONata states values are
 * literal JSON with `{% %}` strings (not checked here), and some fields must be an object
 * (or an array) or a single expression.
 * https://docs.aws.amazon.com/step-functions/latest/dg/input-output-inputpath-params.html
 * https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html
 */
import { pointer, type Diagnostics } from "../../diagnostics.js";
import { isObject } from "../../../json.js";
import { isIntrinsicCall } from "../../../query/intrinsics/index.js";
import { mismatch, isExpression } from "../checks.js";
import { CODES } from "../codes.js";
import { checkPath } from "./paths.js";
import { fieldOf, hasField, type Host } from "./host.js";

/** Checks every `.$` entry of a JSONPath payload template, at any depth. */
export function checkPayloadTemplate(diags: Diagnostics, location: string, value: unknown): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => checkPayloadTemplate(diags, pointer(location, i), item));
    return;
  }
  if (!isObject(value)) return;
  for (const [key, item] of Object.entries(value)) {
    const at = pointer(location, key);
    if (key.endsWith(".$")) checkDynamicValue(diags, at, key, item);
    else {
      warnNoDollar(diags, at, key, item);
      checkPayloadTemplate(diags, at, item);
    }
  }
}

/** A `.$` value: a path (`$`, `$$`, `$name`) or an intrinsic function. */
export function checkDynamicValue(diags: Diagnostics, location: string, key: string, value: unknown): void {
  if (typeof value !== "string") {
    mismatch(diags, location, `'${key}'`, "a string (a JSONPath or an intrinsic function, as its key ends in '.$')", value);
  } else if (!isIntrinsicCall(value)) {
    checkPath(diags, location, `'${key}'`, value, "path");
  }
}

function warnNoDollar(diags: Diagnostics, location: string, key: string, value: unknown): void {
  if (typeof value !== "string") return;
  const looksDynamic = value.startsWith("$.") || value.startsWith("$$.") || /^States\.[A-Za-z]+\(/.test(value);
  if (!looksDynamic) return;
  diags.warning(location, CODES.NoDollar, `'${key}' holds ${JSON.stringify(value)}, which looks like a path or intrinsic function, but is passed as a literal string; name the key '${key}.$' to evaluate it.`);
}

/** What a JSONata-state field may hold besides a `{% %}` expression. */
export type JsonataShape = "object" | "array" | "object-or-array";

const SHAPE_TEXT: Record<JsonataShape, string> = {
  object: "a JSON object",
  array: "a JSON array",
  "object-or-array": "a JSON object or array",
};

/** Checks a JSONata-state field that must be of `shape` or a single `{% %}` expression. */
export function checkJsonataShape(host: Host, field: string, shape: JsonataShape): void {
  if (!hasField(host, field)) return;
  const value = fieldOf(host, field);
  if (isExpression(value)) return;
  const ok = (shape !== "array" && isObject(value)) || (shape !== "object" && Array.isArray(value));
  if (!ok) mismatch(host.diags, pointer(host.location, field), field, `${SHAPE_TEXT[shape]} or a JSONata expression ('{% ... %}')`, value);
}

/** Checks a payload-template field (Parameters, ResultSelector, ...) of a JSONPath host. */
export function checkTemplateField(host: Host, field: string, requireObject: boolean): void {
  if (!hasField(host, field)) return;
  const value = fieldOf(host, field);
  const at = pointer(host.location, field);
  if (requireObject && !isObject(value)) {
    mismatch(host.diags, at, field, "a JSON object", value);
    return;
  }
  checkPayloadTemplate(host.diags, at, value);
}
