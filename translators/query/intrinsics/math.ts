/**
 * Intrinsics for math: States.MathRandom, States.MathAdd.
 * https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html#asl-intrsc-func-math-operation
 *
 * Both take integers and round other numbers "off to the nearest integer" (Java rounding:
 * halves toward +infinity). MathAdd rounds each argument, then adds: the recorded case
 * MathAdd(-0.5, 0.5) is 1, not 0.
 */
import type { Json } from "../../json.js";
import { badArgument, integerArg, numberArg } from "./args.js";
import { JavaRandom } from "./java-random.js";
import type { CallEnv, IntrinsicName, IntrinsicSpec } from "./types.js";

/**
 * An integer in [start, end). Without a seed it draws from the injected randomness; with
 * one it is java.util.Random(seed)'s draw, so the same seed always gives the same number.
 */
function random(args: readonly Json[], env: CallEnv): Json {
  const start = integerArg(env, args, 0, true);
  const end = integerArg(env, args, 1, true);
  if (end <= start) throw badArgument(env, args, 1, `an integer greater than the start (${start})`);
  if (args.length < 3) return start + Math.floor(env.randomness.random() * (end - start));
  const seed = Math.round(numberArg(env, args, 2));
  if (!Number.isSafeInteger(seed)) throw badArgument(env, args, 2, "an integer");
  return new JavaRandom(BigInt(seed)).nextIntBetween(start, end);
}

function add(args: readonly Json[], env: CallEnv): Json {
  return integerArg(env, args, 0, true) + integerArg(env, args, 1, true);
}

export const MATH_INTRINSICS = {
  "States.MathRandom": { arity: [2, 3], run: random },
  "States.MathAdd": { arity: [2, 2], run: add },
} satisfies Partial<Record<IntrinsicName, IntrinsicSpec>>;
