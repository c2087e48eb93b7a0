/**
 * Reading request fields with AWS's checks. A wrong type is a SerializationException (the
 * SDK never sends one, hand-made requests can); a broken constraint a ValidationException.
 */
import { ApiError, validationError } from "./errors.js";

export type Body = Readonly<Record<string, unknown>>;

function wrongType(field: string, expected: string): ApiError {
  return new ApiError("SerializationException", `Field '${field}' must be ${expected}`);
}

export function optionalString(body: Body, field: string, maxLength = 1_000_000): string | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw wrongType(field, "a string");
  if (v.length > maxLength) throw validationError(field, v, `Member must have length less than or equal to ${maxLength}`);
  return v;
}

export function requiredString(body: Body, field: string, maxLength?: number): string {
  const v = optionalString(body, field, maxLength);
  if (v === undefined) throw validationError(field, undefined, "Member must not be null");
  if (v.length === 0) throw validationError(field, v, "Member must have length greater than or equal to 1");
  return v;
}

export function optionalBoolean(body: Body, field: string): boolean | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "boolean") throw wrongType(field, "a boolean");
  return v;
}

export function optionalInteger(body: Body, field: string, min: number, max: number): number | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number" || !Number.isInteger(v)) throw wrongType(field, "an integer");
  if (v < min) throw validationError(field, v, `Member must have value greater than or equal to ${min}`);
  if (v > max) throw validationError(field, v, `Member must have value less than or equal to ${max}`);
  return v;
}

export function optionalObject(body: Body, field: string): Body | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "object" || Array.isArray(v)) throw wrongType(field, "an object");
  return v as Body;
}

export function optionalArray(body: Body, field: string): unknown[] | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw wrongType(field, "a list");
  return v;
}

export function optionalEnum<T extends string>(body: Body, field: string, allowed: readonly T[]): T | undefined {
  const v = optionalString(body, field);
  if (v === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(v)) {
    throw validationError(field, v, `Member must satisfy enum value set: [${allowed.join(", ")}]`);
  }
  return v as T;
}

/**
 * Names of state machines, executions, activities, versions' aliases: 1–80 characters, no
 * whitespace, brackets, wildcards, special or control characters (AWS's naming rules).
 */
const BAD_NAME = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/u;

export function checkName(name: string, what: string, maxLength = 80): void {
  if (name.length < 1 || name.length > maxLength || BAD_NAME.test(name)) {
    throw new ApiError("InvalidName", `Invalid Name: '${name}'`);
  }
  void what;
}
