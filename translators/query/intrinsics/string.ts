/**
 * States.StringSplit: splits a string on delimiter characters.
 * https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html#asl-intrsc-func-string-operation
 *
 * As recorded on AWS: every character of the second argument is a delimiter on its own
 * ("This.is+a,test=string" split on ".+,=" gives five words), and empty pieces are dropped
 * (",,," yields nothing), like Java's StringTokenizer.
 */
import type { Json } from "../../json.js";
import { stringArg } from "./args.js";
import type { CallEnv, IntrinsicName, IntrinsicSpec } from "./types.js";

function split(args: readonly Json[], env: CallEnv): Json {
  const text = stringArg(env, args, 0);
  const delimiters = new Set(Array.from(stringArg(env, args, 1)));
  const pieces: string[] = [];
  let piece = "";
  for (const char of text) {
    if (!delimiters.has(char)) {
      piece += char;
      continue;
    }
    if (piece !== "") pieces.push(piece);
    piece = "";
  }
  if (piece !== "") pieces.push(piece);
  return pieces;
}

export const STRING_INTRINSICS = {
  "States.StringSplit": { arity: [2, 2], run: split },
} satisfies Partial<Record<IntrinsicName, IntrinsicSpec>>;
