/**
 * Compiles a validated JSONPath Choice rule's condition into a predicate over an EvalScope.
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html
 *
 * - And/Or evaluate their rules in order and stop at the first that decides (the docs' own
 *   example guards a StringEquals with an IsPresent in the same And).
 * - A Variable (or `...Path` operand) that selects nothing fails the state with States.Runtime
 *   "Invalid path '<path>': The choice state's condition path references an invalid value."
 *   Only IsPresent may read a missing Variable.
 */
import type { ChoiceRule } from "../asl/model.js";
import { StatesError, STATES_ERRORS } from "../errors.js";
import type { Json } from "../json.js";
import { compileReference, type CompiledReference } from "../query/reference.js";
import type { EvalScope } from "../query/scope.js";
import { classifyOperator, COMPARE, TYPE_TEST, type OperatorKey } from "./operators.js";

/** A compiled rule condition (what the contract in ./index.ts names CompiledChoiceRule). */
export interface CompiledCondition {
  /** Throws StatesError (States.Runtime) when a path it must read is missing. */
  evaluate(scope: EvalScope): boolean;
}

/** The run-time error for a path that selects nothing. */
export const invalidPathError = (path: string): StatesError =>
  new StatesError(
    STATES_ERRORS.Runtime,
    `Invalid path '${path}': The choice state's condition path references an invalid value.`,
  );

/** Reads a path that must select something. */
function read(ref: CompiledReference, scope: EvalScope): Json {
  const value = ref.get(scope);
  if (value === undefined) throw invalidPathError(ref.text);
  return value;
}

/** The first data-test operator among a rule's keys (validation guarantees there is exactly one). */
function operatorOf(rule: ChoiceRule): { key: string; op: OperatorKey } {
  for (const key of Object.keys(rule)) {
    const op = classifyOperator(key);
    if (op) return { key, op };
  }
  throw new Error(`choice rule has no operator: ${JSON.stringify(rule)}`);
}

function compileComparison(rule: ChoiceRule): CompiledCondition {
  const variable = compileReference(rule.Variable as string);
  const { key, op } = operatorOf(rule);
  const operand = rule[key] as Json;
  switch (op.kind) {
    case "isPresent":
      return { evaluate: (s) => (variable.get(s) !== undefined) === operand };
    case "typeTest": {
      const test = TYPE_TEST[op.operator];
      return { evaluate: (s) => test(read(variable, s)) === operand };
    }
    case "compare": {
      const test = COMPARE[op.operator](operand);
      return { evaluate: (s) => test(read(variable, s)) };
    }
    case "comparePath": {
      const other = compileReference(operand as string);
      const bind = COMPARE[op.operator];
      return {
        evaluate: (s) => {
          const value = read(variable, s);
          return bind(read(other, s))(value);
        },
      };
    }
  }
}

/** Compiles a validated rule's condition (not its Next/Assign). */
export function compileCondition(rule: ChoiceRule): CompiledCondition {
  if (rule.And !== undefined) {
    const parts = rule.And.map(compileCondition);
    return { evaluate: (s) => parts.every((p) => p.evaluate(s)) };
  }
  if (rule.Or !== undefined) {
    const parts = rule.Or.map(compileCondition);
    return { evaluate: (s) => parts.some((p) => p.evaluate(s)) };
  }
  if (rule.Not !== undefined) {
    const inner = compileCondition(rule.Not);
    return { evaluate: (s) => !inner.evaluate(s) };
  }
  return compileComparison(rule);
}
