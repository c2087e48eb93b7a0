/**
 * Intrinsics for JSON data: States.StringToJson, States.JsonToString, States.JsonMerge.
 * https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html#asl-intrsc-func-json-manipulate
 */
import { toJsonText, type Json } from "../../json.js";
import { arg, badArgument, intrinsicFailure, objectArg, stringArg } from "./args.js";
import { SyntaxProblem } from "./errors.js";
import type { ArgNode } from "./parser.js";
import type { CallEnv, IntrinsicImpl, IntrinsicName, IntrinsicSpec } from "./types.js";

/** JSON text to a value; `-0` reads as 0 (AWS returns 0 for "-0"). */
function parse(args: readonly Json[], env: CallEnv): Json {
  const text = stringArg(env, args, 0);
  try {
    return JSON.parse(text, (_key, v: Json) => (Object.is(v, -0) ? 0 : v)) as Json;
  } catch (e) {
    throw intrinsicFailure(env, `the string is not valid JSON: ${(e as Error).message}`);
  }
}

/**
 * Shallow merge: the second object's fields replace the first's; nested objects are not
 * merged. AWS supports only shallow mode, so the third argument must be `false`.
 */
const merge: IntrinsicImpl = (args, env) => {
  const first = objectArg(env, args, 0);
  const second = objectArg(env, args, 1);
  const deep = arg(args, 2);
  if (typeof deep !== "boolean") throw badArgument(env, args, 2, "a boolean");
  if (deep) throw intrinsicFailure(env, "only shallow merging is supported, so the third argument must be false");
  return { ...first, ...second };
};

/** A literal third argument is checked when the definition loads. */
function prepareMerge(args: readonly ArgNode[]): IntrinsicImpl {
  const deep = args[2];
  if (deep?.kind === "literal" && deep.value !== false) {
    throw new SyntaxProblem("the third argument of States.JsonMerge must be false (only shallow merging is supported)");
  }
  if (deep?.kind === "string") throw new SyntaxProblem("the third argument of States.JsonMerge must be a boolean");
  return merge;
}

export const JSON_INTRINSICS = {
  "States.StringToJson": { arity: [1, 1], run: parse },
  "States.JsonToString": { arity: [1, 1], run: (args) => toJsonText(arg(args, 0)) },
  "States.JsonMerge": { arity: [3, 3], run: merge, prepare: prepareMerge },
} satisfies Partial<Record<IntrinsicName, IntrinsicSpec>>;
