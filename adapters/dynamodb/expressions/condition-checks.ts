/**
 * The checks DynamoDB makes on a parsed condition before reading any item: known functions,
 * operand counts and types, functions used where they don't belong, distinct operands and
 * BETWEEN bounds. Each records a problem (see expression-error.ts) with DynamoDB's wording.
 */
import { ATTRIBUTE_TYPES, compareScalars, payloadOf, typeOf, type AttributeValue } from "../attribute-value.js";
import { pathText, samePath } from "./document-path.js";
import { FUNCTION_ARITY, isFunctionName, staticType, type Operand } from "./condition-ast.js";
import type { Problems } from "./expression-error.js";

/** A function call's own checks: name, operand count, distinct operands, operand types. */
export function checkCall(name: string, args: readonly Operand[], problems: Problems): void {
  if (!isFunctionName(name)) {
    problems.add("unknownFunction", `Invalid function name; function: ${name}`);
    return;
  }
  checkMisused(args, problems);
  if (FUNCTION_ARITY[name] !== args.length) {
    problems.add("operandCount", `Incorrect number of operands for operator or function; operator or function: ${name}, number of operands: ${args.length}`);
    return;
  }
  checkDistinct(name, args, problems);
  const wrongType = (type: string): void =>
    problems.add("function", `Incorrect operand type for operator or function; operator or function: ${name}, operand type: ${type}`);
  const [first, second] = args as [Operand, Operand | undefined];
  switch (name) {
    case "attribute_exists":
    case "attribute_not_exists":
      if (first.kind !== "path") problems.add("function", `Operator or function requires a document path; operator or function: ${name}`);
      return;
    case "begins_with":
      for (const a of args) {
        const t = staticType(a);
        if (t && t !== "S" && t !== "B") return wrongType(t);
      }
      return;
    case "attribute_type":
      return checkTypeName(second as Operand, problems, wrongType);
    case "size": {
      const t = staticType(first);
      if (t === "N" || t === "BOOL" || t === "NULL") wrongType(t);
      return;
    }
    case "contains":
      return;
  }
}

function checkTypeName(operand: Operand, problems: Problems, wrongType: (type: string) => void): void {
  const t = staticType(operand);
  if (t !== "S") return wrongType(t ?? "{NS,SS,L,BS,N,M,B,BOOL,NULL,S}");
  const name = (operand as { value: { S: string } }).value.S;
  if (!(ATTRIBUTE_TYPES as readonly string[]).includes(name)) {
    problems.add("function", `Invalid attribute type name found; type: ${name}, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}`);
  }
}

/** Condition functions may not be operands of a comparison or of another function. */
export function checkMisused(operands: readonly Operand[], problems: Problems): void {
  for (const o of operands) {
    if (o.kind === "call" && o.name !== "size" && isFunctionName(o.name)) {
      problems.add("misusedFunction", `The function is not allowed to be used this way in an expression; function: ${o.name}`);
    }
  }
}

/** `a = a`, `begins_with(a, a)`: the first operand must differ from the others. */
export function checkDistinct(operator: string, args: readonly Operand[], problems: Problems): void {
  const [first, second] = args;
  if (args.length !== 2 || first?.kind !== "path" || second?.kind !== "path" || !samePath(first.path, second.path)) return;
  problems.add(
    "distinct",
    `The first operand must be distinct from the remaining operands for this operator or function; operator: ${operator}, first operand: ${pathText(first.path)}`,
  );
}

const shown = (v: AttributeValue): string => `AttributeValue: {${typeOf(v)}:${String(payloadOf(v))}}`;

/** BETWEEN's literal bounds must have one type and be in order. */
export function checkBetween(low: Operand, high: Operand, problems: Problems): void {
  if (low.kind !== "value" || high.kind !== "value" || !low.value || !high.value) return;
  const [a, b] = [low.value, high.value];
  const bounds = `lower bound operand: ${shown(a)}, upper bound operand: ${shown(b)}`;
  if (typeOf(a) !== typeOf(b)) {
    problems.add("function", `The BETWEEN operator requires same data type for lower and upper bounds; ${bounds}`);
    return;
  }
  const t = typeOf(a);
  if ((t === "S" || t === "N" || t === "B") && compareScalars(t, payloadOf(a) as string, payloadOf(b) as string) > 0) {
    problems.add("function", `The BETWEEN operator requires upper bound to be greater than or equal to lower bound; ${bounds}`);
  }
}
