/**
 * JSONPath Choice rules: every comparison operator, their `Path` variants, `Is*`,
 * `StringMatches`, `And`/`Or`/`Not`.
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html
 *
 * Validation lives in ./validate.ts, the operator table in ./operators.ts, timestamps in
 * ./timestamp.ts, StringMatches patterns in ./string-matches.ts, compilation in ./compile.ts.
 */
import type { ChoiceRule } from "../asl/model.js";
import type { EvalScope } from "../query/scope.js";
import { compileCondition } from "./compile.js";

export { validateChoiceRule } from "./validate.js";
export { invalidPathError } from "./compile.js";
export { parseTimestamp, isTimestamp, compareInstants, type Instant } from "./timestamp.js";
export { COMPARISON_OPERATORS, TYPE_TEST_OPERATORS, type ComparisonOperator, type TypeTestOperator } from "./operators.js";

export interface CompiledChoiceRule {
  /** Throws StatesError (States.Runtime) when a path it must read is missing. */
  evaluate(scope: EvalScope): boolean;
}

/**
 * Compiles a validated rule's condition (not its Next/Assign). Paths, literals, patterns and
 * timestamps are compiled here once; `evaluate` only reads the scope.
 */
export function compileChoiceRule(rule: ChoiceRule): CompiledChoiceRule {
  return compileCondition(rule);
}
