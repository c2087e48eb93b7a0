/**
 * ErrorEquals of Retriers and Catchers: a non-empty array of error names. `States.ALL` must
 * appear alone and only in the last Retrier (or Catcher).
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
 */
import type { Diagnostics } from "../../diagnostics.js";
import { pointer } from "../../diagnostics.js";
import { STATES_ERRORS } from "../../../errors.js";
import { checkArray, checkString } from "../checks.js";
import { CODES } from "../codes.js";

/** `owner` is "Retrier" or "Catcher"; `list` is "Retry" or "Catch". */
export function checkErrorEquals(diags: Diagnostics, location: string, value: unknown, isLast: boolean, owner: string, list: string): void {
  if (!checkArray(diags, location, "ErrorEquals", value, true)) return;
  value.forEach((name, i) => checkString(diags, pointer(location, i), "An error name", name, true));
  if (!value.includes(STATES_ERRORS.ALL)) return;
  if (value.length > 1) {
    diags.error(location, CODES.Schema, `ErrorEquals must hold ${STATES_ERRORS.ALL} alone, found ${value.length} error names.`);
  }
  if (!isLast) {
    diags.error(location, CODES.Schema, `A ${owner} whose ErrorEquals holds ${STATES_ERRORS.ALL} must be the last one in ${list}.`);
  }
}
