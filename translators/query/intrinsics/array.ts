/**
 * Intrinsics for arrays: States.Array, ArrayPartition, ArrayContains, ArrayRange,
 * ArrayGetItem, ArrayLength, ArrayUnique.
 * https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html#asl-intrsc-func-arrays
 */
import { jsonEquals, type Json } from "../../json.js";
import { arg, arrayArg, badArgument, integerArg, intrinsicFailure } from "./args.js";
import type { CallEnv, IntrinsicName, IntrinsicSpec } from "./types.js";

/** AWS: "The newly generated array can't contain more than 1000 items." */
export const MAX_RANGE_ITEMS = 1000;

/** Chunks of `size` items; the last may be shorter. Size: positive integer (rounded). */
function partition(args: readonly Json[], env: CallEnv): Json {
  const items = arrayArg(env, args, 0);
  const size = integerArg(env, args, 1, true);
  if (size <= 0) throw badArgument(env, args, 1, "a positive integer");
  const chunks: Json[] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/** start, start+step, ... up to and including end; step is a non-zero integer. */
function range(args: readonly Json[], env: CallEnv): Json {
  const [start, end, step] = [0, 1, 2].map((i) => integerArg(env, args, i, true)) as [number, number, number];
  if (step === 0) throw badArgument(env, args, 2, "a non-zero integer");
  const count = (end - start) / step < 0 ? 0 : Math.floor((end - start) / step) + 1;
  if (count > MAX_RANGE_ITEMS) {
    throw intrinsicFailure(env, `the range would have ${count} items, but at most ${MAX_RANGE_ITEMS} are allowed`);
  }
  return Array.from({ length: count }, (_, i) => start + i * step);
}

/** The item at a zero-based index, which must exist. */
function getItem(args: readonly Json[], env: CallEnv): Json {
  const items = arrayArg(env, args, 0);
  const index = integerArg(env, args, 1, false);
  if (index < 0 || index >= items.length) {
    throw intrinsicFailure(env, `the index ${index} is out of bounds for an array of length ${items.length}`);
  }
  return items[index] as Json;
}

/** A stable text key for deep equality (object keys sorted). */
function canonical(v: Json): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v !== null && typeof v === "object") {
    const keys = Object.keys(v).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(v[k] as Json)}`).join(",")}}`;
  }
  return JSON.stringify(v);
}

/** First occurrences only, in order; duplicates are deep-equal values. */
function unique(args: readonly Json[], env: CallEnv): Json {
  const seen = new Set<string>();
  return arrayArg(env, args, 0).filter((item) => {
    const key = canonical(item);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export const ARRAY_INTRINSICS = {
  "States.Array": { arity: [0, Infinity], run: (args) => [...args] },
  "States.ArrayPartition": { arity: [2, 2], run: partition },
  "States.ArrayContains": {
    arity: [2, 2],
    run: (args, env) => arrayArg(env, args, 0).some((item) => jsonEquals(item, arg(args, 1))),
  },
  "States.ArrayRange": { arity: [3, 3], run: range },
  "States.ArrayGetItem": { arity: [2, 2], run: getItem },
  "States.ArrayLength": { arity: [1, 1], run: (args, env) => arrayArg(env, args, 0).length },
  "States.ArrayUnique": { arity: [1, 1], run: unique },
} satisfies Partial<Record<IntrinsicName, IntrinsicSpec>>;
