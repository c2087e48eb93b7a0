/**
 * Intrinsic for hash calculation: States.Hash(data, algorithm), a lowercase hex digest of
 * the UTF-8 bytes of the data.
 * https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html#asl-intrsc-func-hash-calc
 *
 * The ASL spec: "The length of the stringified version of the first argument must be 10,000
 * characters or less." A string is hashed as it is; another value as its JSON text.
 */
import { createHash } from "node:crypto";
import { toJsonText, type Json } from "../../json.js";
import { arg, badArgument, intrinsicFailure, stringArg } from "./args.js";
import type { CallEnv, IntrinsicName, IntrinsicSpec } from "./types.js";

export const MAX_HASH_INPUT = 10_000;

/** AWS's algorithm names → node:crypto's. */
const ALGORITHMS: Readonly<Record<string, string>> = {
  MD5: "md5",
  "SHA-1": "sha1",
  "SHA-256": "sha256",
  "SHA-384": "sha384",
  "SHA-512": "sha512",
};

function hash(args: readonly Json[], env: CallEnv): Json {
  const data = arg(args, 0);
  const text = typeof data === "string" ? data : toJsonText(data);
  if (text.length > MAX_HASH_INPUT) {
    throw intrinsicFailure(env, `the input data must be at most ${MAX_HASH_INPUT} characters, but has ${text.length}`);
  }
  const name = stringArg(env, args, 1);
  const algorithm = Object.hasOwn(ALGORITHMS, name) ? ALGORITHMS[name] : undefined;
  if (algorithm === undefined) throw badArgument(env, args, 1, `one of ${Object.keys(ALGORITHMS).join(", ")}`);
  return createHash(algorithm).update(text, "utf8").digest("hex");
}

export const HASH_INTRINSICS = {
  "States.Hash": { arity: [2, 2], run: hash },
} satisfies Partial<Record<IntrinsicName, IntrinsicSpec>>;
