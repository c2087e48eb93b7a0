/**
 * Small type and range checks shared by every validator. Each reports one diagnostic
 * (SCHEMA_VALIDATION_FAILED) naming the field, what was expected and what was found,
 * and returns whether the value passed.
 */
import type { Diagnostics } from "../diagnostics.js";
import { isObject, type JsonObject } from "../../json.js";
import { CODES } from "./codes.js";

/** AWS's largest accepted value for second counts (timeouts, intervals, waits). */
export const MAX_SECONDS = 99_999_999;

/** How a found value is named in messages: `"abc"`, `12`, `true`, `null`, `an object`, `an array`. */
export function found(value: unknown): string {
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return "an array";
  if (isObject(value)) return "an object";
  const text = JSON.stringify(value);
  return text.length > 60 ? text.slice(0, 57) + "..." : text;
}

/** Reports a schema error: `<field> must be <expected>, found <value>`. */
export function mismatch(diags: Diagnostics, location: string, field: string, expected: string, value: unknown): false {
  diags.error(location, CODES.Schema, `${field} must be ${expected}, found ${found(value)}.`);
  return false;
}

export function checkString(diags: Diagnostics, location: string, field: string, value: unknown, nonEmpty = false): value is string {
  if (typeof value === "string" && (!nonEmpty || value.length > 0)) return true;
  return mismatch(diags, location, field, nonEmpty ? "a non-empty string" : "a string", value);
}

export function checkBoolean(diags: Diagnostics, location: string, field: string, value: unknown): value is boolean {
  return typeof value === "boolean" || mismatch(diags, location, field, "a boolean", value);
}

export function checkObject(diags: Diagnostics, location: string, field: string, value: unknown): value is JsonObject {
  return isObject(value) || mismatch(diags, location, field, "a JSON object", value);
}

export function checkArray(diags: Diagnostics, location: string, field: string, value: unknown, nonEmpty = false): value is unknown[] {
  if (Array.isArray(value) && (!nonEmpty || value.length > 0)) return true;
  return mismatch(diags, location, field, nonEmpty ? "a non-empty array" : "an array", value);
}

/** An integer in [min, max]. */
export function checkInteger(diags: Diagnostics, location: string, field: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): value is number {
  if (typeof value === "number" && Number.isInteger(value) && value >= min && value <= max) return true;
  return mismatch(diags, location, field, `an integer ${rangeText(min, max)}`, value);
}

export function checkEnum<T extends string>(diags: Diagnostics, location: string, field: string, value: unknown, allowed: readonly T[]): value is T {
  if (typeof value === "string" && (allowed as readonly string[]).includes(value)) return true;
  return mismatch(diags, location, field, `one of ${allowed.map((a) => `"${a}"`).join(", ")}`, value);
}

const rangeText = (min: number, max: number): string =>
  max >= Number.MAX_SAFE_INTEGER ? `>= ${min}` : `between ${min} and ${max}`;

/** Own-property test that never reads the prototype chain. */
export const has = (object: object, key: string): boolean => Object.prototype.hasOwnProperty.call(object, key);

/**
 * A JSONata-state value written as an expression, `{% ... %}`. Only the form is recognized
 * here: the expression itself is compiled (and its syntax checked) by query/jsonata.ts, which
 * the validator does not load.
 */
export const isExpression = (value: unknown): value is string =>
  typeof value === "string" && value.startsWith("{%") && value.endsWith("%}");
