/**
 * Argument checks shared by the intrinsic implementations, and the run-time failure they
 * raise: `States.IntrinsicFailure`, which the ASL spec defines as "Within a Payload
 * Template, the attempt to invoke an Intrinsic Function failed" (catchable, retriable).
 * https://states-language.net/#appendix-a
 */
import { StatesError, STATES_ERRORS } from "../../errors.js";
import { isObject, toJsonText, type Json, type JsonObject } from "../../json.js";
import type { CallEnv } from "./types.js";

/** The failure of one call, naming the call as written. */
export const intrinsicFailure = (env: CallEnv, detail: string): StatesError =>
  new StatesError(STATES_ERRORS.IntrinsicFailure, `Invalid arguments in ${env.text}: ${detail}`);

/** The JSON type of a value, in JSON's words. */
export function jsonType(v: Json): "null" | "boolean" | "number" | "string" | "array" | "object" {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v as "boolean" | "number" | "string" | "object";
}

const ORDINALS = ["first", "second", "third"];
const MAX_SHOWN = 100;

/** "a string", "the number 3", ... for causes; long values are cut. */
function describe(v: Json): string {
  const text = toJsonText(v);
  return `${jsonType(v)} ${text.length > MAX_SHOWN ? text.slice(0, MAX_SHOWN) + "..." : text}`;
}

/** The failure for argument `i` not being `expected`. */
export const badArgument = (env: CallEnv, args: readonly Json[], i: number, expected: string): StatesError =>
  intrinsicFailure(env, `the ${ORDINALS[i] ?? `#${i + 1}`} argument must be ${expected}, but was ${describe(arg(args, i))}`);

/** Argument `i` (arity is checked at load time, so it exists). */
export const arg = (args: readonly Json[], i: number): Json => args[i] ?? null;

export function arrayArg(env: CallEnv, args: readonly Json[], i: number): Json[] {
  const v = arg(args, i);
  if (!Array.isArray(v)) throw badArgument(env, args, i, "an array");
  return v;
}

export function objectArg(env: CallEnv, args: readonly Json[], i: number): JsonObject {
  const v = arg(args, i);
  if (!isObject(v)) throw badArgument(env, args, i, "a JSON object");
  return v;
}

export function stringArg(env: CallEnv, args: readonly Json[], i: number): string {
  const v = arg(args, i);
  if (typeof v !== "string") throw badArgument(env, args, i, "a string");
  return v;
}

export function numberArg(env: CallEnv, args: readonly Json[], i: number): number {
  const v = arg(args, i);
  if (typeof v !== "number") throw badArgument(env, args, i, "a number");
  return v;
}

export const INT32_MIN = -2147483648;
export const INT32_MAX = 2147483647;

/**
 * An integer argument. AWS rounds non-integers "off to the nearest integer" where its page
 * says so; it runs on Java, whose Math.round (halves toward +infinity) JS's Math.round
 * matches: the recorded cases give MathAdd(-1.5, 0) = -1 and MathAdd(2.5, 0) = 3.
 */
export function integerArg(env: CallEnv, args: readonly Json[], i: number, round: boolean): number {
  const v = numberArg(env, args, i);
  const n = round ? Math.round(v) + 0 : v;
  if (!Number.isInteger(n)) throw badArgument(env, args, i, "an integer");
  if (n < INT32_MIN || n > INT32_MAX) throw badArgument(env, args, i, `an integer from ${INT32_MIN} to ${INT32_MAX}`);
  return n;
}

/** Checks a string argument against AWS's 10,000-character limit. */
export function limitedString(env: CallEnv, args: readonly Json[], i: number, limit: number): string {
  const s = stringArg(env, args, i);
  if (s.length > limit) throw intrinsicFailure(env, `the input string must be at most ${limit} characters, but has ${s.length}`);
  return s;
}
