/**
 * Path fields of JSONPath states. `InputPath`/`OutputPath` take any path (`$`, `$$` or a
 * variable `$name`, or null); `ResultPath` a reference path into the state input (or null);
 * the `*Path` variants of values (SecondsPath, MaxConcurrencyPath, ...) reference paths;
 * `ErrorPath`/`CausePath` a reference path or an intrinsic function.
 * https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-paths.html
 */
import { pointer, type Diagnostics } from "../../diagnostics.js";
import { compileReference, type CompiledReference } from "../../../query/reference.js";
import { isReferencePath, PathSyntaxError } from "../../../query/jsonpath.js";
import { isIntrinsicCall } from "../../../query/intrinsics/index.js";
import { has, mismatch } from "../checks.js";
import { CODES } from "../codes.js";
import type { Host } from "./host.js";

/**
 * - `path`: any JSONPath, context path or variable path;
 * - `reference`: a reference path (one node: no wildcard, filter, slice or union), of $, $$ or a variable;
 * - `result`: a reference path into the state input (ResultPath);
 * - `reference-or-intrinsic`: a reference path, or an intrinsic function call (ErrorPath, CausePath).
 */
export type PathRule = "path" | "reference" | "result" | "reference-or-intrinsic";

const EXPECTED: Record<PathRule, string> = {
  path: "a JSONPath (starting with '$')",
  reference: "a reference path (starting with '$')",
  result: "a reference path (starting with '$')",
  "reference-or-intrinsic": "a reference path or an intrinsic function",
};

/** Checks one path value; `nullable` admits null (InputPath, OutputPath, ResultPath). */
export function checkPath(diags: Diagnostics, location: string, field: string, value: unknown, rule: PathRule, nullable = false): boolean {
  if (value === null && nullable) return true;
  if (typeof value !== "string") return mismatch(diags, location, field, EXPECTED[rule] + (nullable ? " or null" : ""), value);
  if (rule === "reference-or-intrinsic" && isIntrinsicCall(value)) return true;
  const compiled = compile(value);
  if (typeof compiled === "string") {
    diags.error(location, CODES.Schema, `${field} must be ${EXPECTED[rule]}, found ${JSON.stringify(value)}: ${compiled}.`);
    return false;
  }
  if (rule !== "path" && !isReferencePath(compiled.path.text)) {
    diags.error(location, CODES.Schema, `${field} must be a reference path (a single node: no wildcards, filters, slices or unions), found ${JSON.stringify(value)}.`);
    return false;
  }
  if (rule === "result" && compiled.kind !== "input") {
    diags.error(location, CODES.Schema, `${field} must be a reference path into the state input ('$...'), found ${JSON.stringify(value)}.`);
    return false;
  }
  return true;
}

/** Checks `field` of `host` when present and allowed. */
export function checkPathField(host: Host, field: string, rule: PathRule, nullable = false): void {
  if (!has(host.object, field) || !host.allowed.has(field)) return;
  checkPath(host.diags, pointer(host.location, field), field, host.object[field], rule, nullable);
}

/** The compiled reference, or why it is not one. */
function compile(text: string): CompiledReference | string {
  try {
    return compileReference(text);
  } catch (e) {
    if (e instanceof PathSyntaxError) return e.message.replace(`Invalid JSONPath '${e.path}': `, "");
    return e instanceof Error ? e.message : String(e);
  }
}
