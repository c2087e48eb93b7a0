/**
 * Numeric fields with a `*Path` twin: TimeoutSeconds/TimeoutSecondsPath, Seconds/SecondsPath,
 * MaxConcurrency/MaxConcurrencyPath, ToleratedFailure*, MaxItems, MaxItemsPerBatch, ...
 * The literal must be in range; in JSONata states it may be a `{% %}` expression instead; the
 * Path twin (JSONPath only) is a reference path; the two exclude each other.
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-map.html
 */
import { pointer } from "../../diagnostics.js";
import { mismatch, isExpression } from "../checks.js";
import { fieldOf, hasField, type Host } from "./host.js";
import { checkExclusive } from "./exclusive.js";
import { checkPathField } from "./paths.js";

export interface NumericSpec {
  readonly field: string;
  /** The `*Path` twin, when the field has one. */
  readonly pathField?: string;
  readonly integer: boolean;
  readonly min: number;
  readonly max?: number;
  /** True when even JSONata states must give a literal (Retry fields). */
  readonly literalOnly?: boolean;
}

/** Checks the field and its Path twin; returns the literal value when it is a valid number. */
export function checkNumeric(host: Host, spec: NumericSpec): number | undefined {
  if (spec.pathField !== undefined) {
    checkPathField(host, spec.pathField, "reference");
    checkExclusive(host, [spec.field, spec.pathField]);
  }
  if (!hasField(host, spec.field)) return undefined;
  const value = fieldOf(host, spec.field);
  const expressions = host.language === "JSONata" && spec.literalOnly !== true;
  if (expressions && isExpression(value)) return undefined;
  const max = spec.max ?? Number.MAX_SAFE_INTEGER;
  if (typeof value === "number" && (!spec.integer || Number.isInteger(value)) && value >= spec.min && value <= max) return value;
  mismatch(host.diags, pointer(host.location, spec.field), spec.field, expected(spec, expressions), value);
  return undefined;
}

function expected(spec: NumericSpec, expressions: boolean): string {
  const kind = spec.integer ? "an integer" : "a number";
  const range = spec.max === undefined ? `>= ${spec.min}` : `between ${spec.min} and ${spec.max}`;
  return `${kind} ${range}` + (expressions ? " or a JSONata expression ('{% ... %}')" : "");
}
