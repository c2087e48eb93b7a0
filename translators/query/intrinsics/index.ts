/**
 * The 18 intrinsic functions (States.Format … States.UUID), parsed once into a call tree.
 * https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html
 * STUB: owned by the intrinsics work; signature is the contract.
 */
import type { Json } from "../../json.js";
import type { EvalScope } from "../scope.js";

export interface CompiledIntrinsic {
  readonly text: string;
  /** Throws StatesError (e.g. States.IntrinsicFailure) at run time. */
  evaluate(scope: EvalScope): Json;
}

/** Raised when an intrinsic call cannot be parsed or names an unknown function. */
export class IntrinsicSyntaxError extends Error {
  constructor(readonly text: string, detail: string) {
    super(`Invalid intrinsic function call '${text}': ${detail}`);
    this.name = "IntrinsicSyntaxError";
  }
}

export const isIntrinsicCall = (text: string): boolean => text.startsWith("States.");

export function compileIntrinsic(text: string): CompiledIntrinsic {
  throw new IntrinsicSyntaxError(text, "intrinsic functions are not implemented yet");
}
