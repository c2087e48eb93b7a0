/**
 * Evaluates a parsed condition against an item (an absent item is an empty one). Missing
 * attributes make comparisons false, except `<>`, which is then true; ordering comparisons
 * need two scalars (S, N or B) of one type.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html
 */
import { bytesOf, compareScalars, payloadOf, typeOf, valuesEqual, type AttributeValue, type Item } from "../attribute-value.js";
import type { Comparator, Condition, Operand } from "./condition-ast.js";
import { readPath } from "./document-path.js";

export function evaluateCondition(c: Condition, item: Item): boolean {
  switch (c.kind) {
    case "and":
      return evaluateCondition(c.left, item) && evaluateCondition(c.right, item);
    case "or":
      return evaluateCondition(c.left, item) || evaluateCondition(c.right, item);
    case "not":
      return !evaluateCondition(c.condition, item);
    case "compare":
      return compare(c.op, resolve(c.left, item), resolve(c.right, item));
    case "between": {
      const v = resolve(c.operand, item);
      return compare(">=", v, resolve(c.low, item)) && compare("<=", v, resolve(c.high, item));
    }
    case "in": {
      const v = resolve(c.operand, item);
      return v !== undefined && c.list.some((o) => compare("=", v, resolve(o, item)));
    }
    case "function":
      return callFunction(c.name, c.args.map((a) => resolve(a, item)), c.args[0]?.kind === "path");
  }
}

function resolve(o: Operand, item: Item): AttributeValue | undefined {
  if (o.kind === "path") return readPath(item, o.path);
  if (o.kind === "value") return o.value;
  const arg = o.args[0] ? resolve(o.args[0], item) : undefined;
  return o.name === "size" && arg !== undefined ? sizeOf(arg) : undefined;
}

/** `size()`: string length, bytes of a binary, elements of a set, list or map. */
function sizeOf(v: AttributeValue): AttributeValue | undefined {
  const p = payloadOf(v);
  switch (typeOf(v)) {
    case "S":
      return { N: String((p as string).length) };
    case "B":
      return { N: String(bytesOf("B", p as string).length) };
    case "SS":
    case "NS":
    case "BS":
    case "L":
      return { N: String((p as unknown[]).length) };
    case "M":
      return { N: String(Object.keys(p as Item).length) };
    default:
      return undefined;
  }
}

function compare(op: Comparator, a: AttributeValue | undefined, b: AttributeValue | undefined): boolean {
  if (op === "=") return a !== undefined && b !== undefined && valuesEqual(a, b);
  if (op === "<>") return a === undefined || b === undefined || !valuesEqual(a, b);
  if (a === undefined || b === undefined) return false;
  const t = typeOf(a);
  if (t !== typeOf(b) || (t !== "S" && t !== "N" && t !== "B")) return false;
  const order = compareScalars(t, payloadOf(a) as string, payloadOf(b) as string);
  return op === "<" ? order < 0 : op === "<=" ? order <= 0 : op === ">" ? order > 0 : order >= 0;
}

function callFunction(name: string, args: (AttributeValue | undefined)[], firstIsPath: boolean): boolean {
  const [a, b] = args;
  switch (name) {
    case "attribute_exists":
      return firstIsPath && a !== undefined;
    case "attribute_not_exists":
      return firstIsPath && a === undefined;
    case "attribute_type":
      return a !== undefined && b !== undefined && "S" in b && typeOf(a) === b.S;
    case "begins_with":
      return a !== undefined && b !== undefined && beginsWith(a, b);
    case "contains":
      return a !== undefined && b !== undefined && contains(a, b);
    default:
      return false;
  }
}

function beginsWith(a: AttributeValue, prefix: AttributeValue): boolean {
  const t = typeOf(a);
  if ((t !== "S" && t !== "B") || typeOf(prefix) !== t) return false;
  const whole = bytesOf(t, payloadOf(a) as string);
  const start = bytesOf(t, payloadOf(prefix) as string);
  return whole.subarray(0, start.length).equals(start);
}

/** A substring of a string or binary, an element of a set, or an element of a list. */
function contains(a: AttributeValue, operand: AttributeValue): boolean {
  const t = typeOf(a);
  const ot = typeOf(operand);
  const p = payloadOf(a);
  if ((t === "S" || t === "B") && ot === t) return bytesOf(t, p as string).includes(bytesOf(t, payloadOf(operand) as string));
  if (t === "SS" || t === "NS" || t === "BS") return ot === t[0] && (p as string[]).includes(payloadOf(operand) as string);
  if (t === "L") return (p as AttributeValue[]).some((e) => valuesEqual(e, operand));
  return false;
}
