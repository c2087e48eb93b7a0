/**
 * Retry: an array of Retriers. ErrorEquals (required), IntervalSeconds (integer >= 1),
 * MaxAttempts (integer >= 0), BackoffRate (>= 1.0), MaxDelaySeconds (integer >= 1),
 * JitterStrategy (FULL | NONE), Comment.
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html#error-handling-retrying-after-an-error
 */
import { pointer } from "../../diagnostics.js";
import { MAX_SECONDS, checkArray, checkEnum, checkObject, checkString, has } from "../checks.js";
import { CODES } from "../codes.js";
import { checkErrorEquals } from "./error-equals.js";
import { fieldOf, hasField, subHost, type Host } from "./host.js";
import { checkKnownFields, type FieldSets } from "./known-fields.js";
import { checkNumeric } from "./numeric.js";

const RETRIER_FIELDS: FieldSets = {
  both: ["ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate", "MaxDelaySeconds", "JitterStrategy", "Comment"],
  JSONPath: [],
  JSONata: [],
};

/** AWS: MaxDelaySeconds must be less than 31622401 (one year and a day). */
const MAX_DELAY_SECONDS = 31_622_400;

/** Checks the Retry field of a Task, Parallel or Map state. */
export function checkRetry(host: Host): void {
  if (!hasField(host, "Retry")) return;
  const value = fieldOf(host, "Retry");
  const at = pointer(host.location, "Retry");
  if (!checkArray(host.diags, at, "Retry", value)) return;
  value.forEach((raw, i) => checkRetrier(host, raw, pointer(at, i), i === value.length - 1));
}

function checkRetrier(host: Host, raw: unknown, location: string, isLast: boolean): void {
  const diags = host.diags;
  if (!checkObject(diags, location, "A Retrier", raw)) return;
  checkKnownFields(diags, location, raw, RETRIER_FIELDS, host.language, "in a Retrier");
  if (has(raw, "ErrorEquals")) checkErrorEquals(diags, pointer(location, "ErrorEquals"), raw["ErrorEquals"], isLast, "Retrier", "Retry");
  else diags.error(location, CODES.Schema, "A Retrier must have ErrorEquals (a non-empty array of error names), found none.");
  const r = subHost(host, raw, location, RETRIER_FIELDS);
  checkNumeric(r, { field: "IntervalSeconds", integer: true, min: 1, max: MAX_SECONDS, literalOnly: true });
  checkNumeric(r, { field: "MaxAttempts", integer: true, min: 0, max: MAX_SECONDS, literalOnly: true });
  checkNumeric(r, { field: "BackoffRate", integer: false, min: 1, literalOnly: true });
  checkNumeric(r, { field: "MaxDelaySeconds", integer: true, min: 1, max: MAX_DELAY_SECONDS, literalOnly: true });
  if (has(raw, "JitterStrategy")) checkEnum(diags, pointer(location, "JitterStrategy"), "JitterStrategy", raw["JitterStrategy"], ["FULL", "NONE"]);
  if (has(raw, "Comment")) checkString(diags, pointer(location, "Comment"), "Comment", raw["Comment"]);
}
