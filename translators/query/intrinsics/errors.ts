/**
 * Load-time errors of intrinsic calls. Run-time failures are `StatesError`s (see args.ts).
 */

/** Raised when an intrinsic call cannot be parsed or names an unknown function. */
export class IntrinsicSyntaxError extends Error {
  constructor(
    readonly text: string,
    detail: string,
  ) {
    super(`Invalid intrinsic function call '${text}': ${detail}`);
    this.name = "IntrinsicSyntaxError";
  }
}

/**
 * A problem found while parsing or preparing part of a call. `compileIntrinsic` turns it
 * into an IntrinsicSyntaxError that names the whole expression.
 */
export class SyntaxProblem extends Error {
  constructor(detail: string) {
    super(detail);
    this.name = "SyntaxProblem";
  }
}
