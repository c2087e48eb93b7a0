/**
 * Turns a parsed call into an evaluator, once: names and argument counts are checked,
 * paths are compiled with `compileReference`, literals are fixed values.
 * https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html
 */
import { StatesError, STATES_ERRORS } from "../../errors.js";
import { toJsonText, type Json } from "../../json.js";
import { compileReference, type CompiledReference } from "../reference.js";
import type { EvalScope } from "../scope.js";
import { SyntaxProblem } from "./errors.js";
import type { ArgNode, CallNode } from "./parser.js";
import { INTRINSICS, isIntrinsicName } from "./table.js";

export type Evaluator = (scope: EvalScope) => Json;

/** Compiles a call and, recursively, its arguments; throws SyntaxProblem. */
export function compileCall(node: CallNode): Evaluator {
  const { name, text } = node;
  if (!isIntrinsicName(name)) throw new SyntaxProblem(`unknown intrinsic function '${name}'`);
  const spec = INTRINSICS[name];
  const [min, max] = spec.arity;
  const count = node.args.length;
  if (count < min || count > max) throw new SyntaxProblem(`${name} takes ${arityText(min, max)}, but ${count} were given`);
  const run = spec.prepare ? spec.prepare(node.args) : spec.run;
  const args = node.args.map(compileArg);
  return (scope) => run(args.map((evaluate) => evaluate(scope)), { name, text, randomness: scope.randomness });
}

function arityText(min: number, max: number): string {
  if (min === max) return `${min} argument${min === 1 ? "" : "s"}`;
  return max === Infinity ? `at least ${min} argument${min === 1 ? "" : "s"}` : `${min} to ${max} arguments`;
}

function compileArg(node: ArgNode): Evaluator {
  switch (node.kind) {
    case "literal":
    case "string": {
      const value = node.value;
      return () => value;
    }
    case "path":
      return compilePathArg(node.text);
    case "call":
      return compileCall(node.call);
  }
}

function compilePathArg(text: string): Evaluator {
  let ref: CompiledReference;
  try {
    ref = compileReference(text);
  } catch (e) {
    throw new SyntaxProblem((e as Error).message);
  }
  return (scope) => {
    const value = ref.get(scope);
    if (value === undefined) throw pathNotFound(ref, scope);
    return value;
  };
}

/** States.Runtime, as for any payload path that selects nothing. */
function pathNotFound(ref: CompiledReference, scope: EvalScope): StatesError {
  const where =
    ref.kind === "variable"
      ? `the variable '$${ref.variable ?? ""}'`
      : `the input '${toJsonText(ref.kind === "context" ? scope.context : scope.input)}'`;
  return new StatesError(
    STATES_ERRORS.Runtime,
    `The JSONPath '${ref.text}' given as an intrinsic function argument could not be found in ${where}`,
  );
}
