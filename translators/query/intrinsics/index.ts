/**
 * The 18 intrinsic functions (States.Format … States.UUID), parsed once into a call tree.
 * https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html
 *
 * Load time: `compileIntrinsic` parses the call, checks names, argument counts and what
 * literals make knowable, and compiles paths; problems are IntrinsicSyntaxErrors.
 * Run time: bad argument values raise StatesError `States.IntrinsicFailure`; a path that
 * selects nothing raises `States.Runtime`.
 */
import type { Json } from "../../json.js";
import type { EvalScope } from "../scope.js";
import { compileCall } from "./compile.js";
import { IntrinsicSyntaxError, SyntaxProblem } from "./errors.js";
import { parseIntrinsic } from "./parser.js";

export { IntrinsicSyntaxError } from "./errors.js";
export { INTRINSIC_NAMES, type IntrinsicName } from "./types.js";

export interface CompiledIntrinsic {
  readonly text: string;
  /** Throws StatesError (e.g. States.IntrinsicFailure) at run time. */
  evaluate(scope: EvalScope): Json;
}

/** True when a `.$` value is an intrinsic call rather than a path. */
export const isIntrinsicCall = (text: string): boolean => text.startsWith("States.");

/** Parses and compiles an intrinsic call once; throws IntrinsicSyntaxError. */
export function compileIntrinsic(text: string): CompiledIntrinsic {
  try {
    const evaluate = compileCall(parseIntrinsic(text));
    return { text, evaluate };
  } catch (e) {
    if (e instanceof SyntaxProblem) throw new IntrinsicSyntaxError(text, e.message);
    throw e;
  }
}
