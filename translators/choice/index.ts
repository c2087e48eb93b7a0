/**
 * JSONPath Choice rules: every comparison operator, their `Path` variants, `Is*`,
 * `StringMatches`, `And`/`Or`/`Not`.
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html
 * STUB: owned by the Choice work; signatures are the contract.
 */
import type { Diagnostics } from "../asl/diagnostics.js";
import type { ChoiceRule } from "../asl/model.js";
import type { EvalScope } from "../query/scope.js";

export interface CompiledChoiceRule {
  /** Throws StatesError (States.Runtime) when a path it must read is missing. */
  evaluate(scope: EvalScope): boolean;
}

/**
 * Checks one rule of a JSONPath Choice state. `topLevel` rules carry `Next` (and may carry
 * `Assign`, `Comment`); nested rules (inside And/Or/Not) must not carry `Next`.
 */
export function validateChoiceRule(rule: unknown, location: string, diags: Diagnostics, topLevel: boolean): void {
  void rule;
  void location;
  void diags;
  void topLevel;
}

/** Compiles a validated rule's condition (not its Next/Assign). */
export function compileChoiceRule(rule: ChoiceRule): CompiledChoiceRule {
  void rule;
  throw new Error("choice rules are not implemented yet");
}
