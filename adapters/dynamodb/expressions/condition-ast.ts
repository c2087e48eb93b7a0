/**
 * The parsed form of condition expressions (ConditionExpression, FilterExpression and
 * KeyConditionExpression share one grammar).
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html
 */
import type { AttributeType, AttributeValue } from "../attribute-value.js";
import type { DocumentPath } from "./document-path.js";

export type Comparator = "=" | "<>" | "<" | "<=" | ">" | ">=";

export const COMPARATORS: readonly Comparator[] = ["=", "<>", "<", "<=", ">", ">="];

/** Functions that are conditions, and `size`, the one that is an operand. */
export type ConditionFunction = "attribute_exists" | "attribute_not_exists" | "attribute_type" | "begins_with" | "contains";
export type FunctionName = ConditionFunction | "size";

/** How many operands each function takes. */
export const FUNCTION_ARITY: Readonly<Record<FunctionName, number>> = {
  attribute_exists: 1,
  attribute_not_exists: 1,
  attribute_type: 2,
  begins_with: 2,
  contains: 2,
  size: 1,
};

export const isFunctionName = (name: string): name is FunctionName => Object.hasOwn(FUNCTION_ARITY, name);

export type Operand =
  | { readonly kind: "path"; readonly path: DocumentPath }
  /** `value` is absent when the placeholder is undefined (the expression is then rejected). */
  | { readonly kind: "value"; readonly placeholder: string; readonly value: AttributeValue | undefined }
  | { readonly kind: "call"; readonly name: string; readonly args: readonly Operand[] };

export type Condition =
  | { readonly kind: "compare"; readonly op: Comparator; readonly left: Operand; readonly right: Operand }
  | { readonly kind: "between"; readonly operand: Operand; readonly low: Operand; readonly high: Operand }
  | { readonly kind: "in"; readonly operand: Operand; readonly list: readonly Operand[] }
  | { readonly kind: "function"; readonly name: string; readonly args: readonly Operand[] }
  | { readonly kind: "and" | "or"; readonly left: Condition; readonly right: Condition }
  | { readonly kind: "not"; readonly condition: Condition };

/** The type an operand is known to have before any item is seen (values, `size`). */
export function staticType(o: Operand): AttributeType | undefined {
  if (o.kind === "value") return o.value === undefined ? undefined : (Object.keys(o.value)[0] as AttributeType);
  if (o.kind === "call" && o.name === "size") return "N";
  return undefined;
}

/** Every document path a condition reads (for key-attribute checks). */
export function conditionPaths(c: Condition): DocumentPath[] {
  const ofOperand = (o: Operand): DocumentPath[] => (o.kind === "path" ? [o.path] : o.kind === "call" ? o.args.flatMap(ofOperand) : []);
  switch (c.kind) {
    case "compare":
      return [...ofOperand(c.left), ...ofOperand(c.right)];
    case "between":
      return [c.operand, c.low, c.high].flatMap(ofOperand);
    case "in":
      return [c.operand, ...c.list].flatMap(ofOperand);
    case "function":
      return c.args.flatMap(ofOperand);
    case "and":
    case "or":
      return [...conditionPaths(c.left), ...conditionPaths(c.right)];
    case "not":
      return conditionPaths(c.condition);
  }
}
