/**
 * Shared types of the intrinsic-function table: the 18 names AWS defines and the shape of
 * one entry (arity, run-time implementation, optional load-time preparation).
 * https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html
 */
import type { Json } from "../../json.js";
import type { Randomness } from "../scope.js";
import type { ArgNode } from "./parser.js";

/** Every intrinsic AWS defines for JSONPath states, in the order of AWS's page. */
export const INTRINSIC_NAMES = [
  "States.Format",
  "States.StringToJson",
  "States.JsonToString",
  "States.Array",
  "States.ArrayPartition",
  "States.ArrayContains",
  "States.ArrayRange",
  "States.ArrayGetItem",
  "States.ArrayLength",
  "States.ArrayUnique",
  "States.Base64Encode",
  "States.Base64Decode",
  "States.Hash",
  "States.JsonMerge",
  "States.MathRandom",
  "States.MathAdd",
  "States.StringSplit",
  "States.UUID",
] as const;

export type IntrinsicName = (typeof INTRINSIC_NAMES)[number];

/** What an implementation may see besides its argument values. */
export interface CallEnv {
  readonly name: IntrinsicName;
  /** The call as written (nested calls included), for error causes. */
  readonly text: string;
  readonly randomness: Randomness;
}

/** Runs one call on its evaluated arguments; throws StatesError on bad arguments. */
export type IntrinsicImpl = (args: readonly Json[], env: CallEnv) => Json;

export interface IntrinsicSpec {
  /** Fewest and most arguments (Infinity: variadic). Checked when the definition loads. */
  readonly arity: readonly [min: number, max: number];
  readonly run: IntrinsicImpl;
  /**
   * Optional load-time step over the parsed arguments: validates what is knowable before
   * run time (throw SyntaxProblem) and may return a specialised implementation.
   */
  readonly prepare?: (args: readonly ArgNode[]) => IntrinsicImpl;
}
