/**
 * States.Format: the first argument with each `{}` replaced by the next argument's value.
 * https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html#asl-intrsc-func-generic
 *
 * Values are printed the way AWS (a Java service) prints them, as recorded in the
 * conformance cases: strings bare, `null`, numbers as Java prints them, and objects and
 * arrays in Java's Map/List style: `{Arg1=1, Arg2=[]}`.
 */
import type { Json } from "../../json.js";
import { intrinsicFailure, stringArg } from "./args.js";
import { SyntaxProblem } from "./errors.js";
import type { ArgNode } from "./parser.js";
import type { CallEnv, IntrinsicImpl, IntrinsicName, IntrinsicSpec } from "./types.js";

/** Java's Double.toString: scientific notation outside [1e-3, 1e7), as in `1.0E-4`. */
function javaNumber(n: number): string {
  if (Number.isInteger(n)) return Math.abs(n) < 1e21 ? String(n + 0) : BigInt(n).toString();
  const abs = Math.abs(n);
  if (abs >= 1e-3 && abs < 1e7) return String(n);
  const [mantissa = "0", exponent = "0"] = n.toExponential().split("e");
  return `${mantissa.includes(".") ? mantissa : mantissa + ".0"}E${Number(exponent)}`;
}

/** A value as Java's String.valueOf prints the Map/List/scalar AWS builds from JSON. */
export function javaString(v: Json): string {
  if (typeof v === "string") return v;
  if (typeof v === "number") return javaNumber(v);
  if (v === null || typeof v === "boolean") return String(v);
  if (Array.isArray(v)) return `[${v.map(javaString).join(", ")}]`;
  return `{${Object.entries(v).map(([k, x]) => `${k}=${javaString(x)}`).join(", ")}}`;
}

/** Interleaves the template's pieces (text between placeholders) with the values. */
function fill(env: CallEnv, pieces: readonly string[], values: readonly Json[]): string {
  if (pieces.length - 1 !== values.length) {
    throw intrinsicFailure(env, `the template has ${pieces.length - 1} placeholder(s) '{}' but ${values.length} value(s) were given`);
  }
  return pieces.reduce((out, piece, i) => out + (i === 0 ? "" : javaString(values[i - 1] as Json)) + piece, "");
}

/** A template read at run time (from a path or a nested call): every `{}` is a placeholder. */
const runFormat: IntrinsicImpl = (args, env) => {
  const template = stringArg(env, args, 0);
  return fill(env, template.split("{}"), args.slice(1));
};

/**
 * A literal template is split once; escaped braces (`\{`, `\}`) are never placeholders.
 * A placeholder count that differs from the value count fails at run time, not at load
 * time: AWS's own nine-call example formats '{}.{}.{}' with two values.
 */
function prepareFormat(args: readonly ArgNode[]): IntrinsicImpl {
  const first = args[0];
  if (first?.kind === "literal") throw new SyntaxProblem("the first argument of States.Format must be a string");
  if (first?.kind !== "string") return runFormat;
  const pieces = first.template;
  return (values, env) => fill(env, pieces, values.slice(1));
}

export const FORMAT_INTRINSICS = {
  "States.Format": { arity: [1, Infinity], run: runFormat, prepare: prepareFormat },
} satisfies Partial<Record<IntrinsicName, IntrinsicSpec>>;
