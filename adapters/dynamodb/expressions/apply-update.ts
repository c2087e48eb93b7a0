/**
 * Applies a parsed update expression to an item. As DynamoDB does: every SET value is computed
 * from the item as it was before the update; list indexes refer to the original list (REMOVEs
 * of one list apply from the highest index down, SETs past the end append in index order);
 * ADD creates a missing number or set, DELETE empties a set away.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.UpdateExpressions.html
 */
import { isSetType, payloadOf, setOwn, setValue, typeOf, type AttributeValue, type Item } from "../attribute-value.js";
import { DynamoDbError } from "../dynamodb-error.js";
import { addNumbers } from "../numbers.js";
import { readPath, type DocumentPath, type PathElement } from "./document-path.js";
import type { UpdateAction, UpdateValue } from "./update-parser.js";

const NOT_IN_ITEM = "The provided expression refers to an attribute that does not exist in the item";
const WRONG_TYPE = "An operand in the update expression has an incorrect data type";
const INVALID_PATH = "The document path provided in the update expression is invalid for update";

type Mutable = Record<string, AttributeValue>;

/** The item after the update (a new object; `item` is not changed). Throws ValidationException. */
export function applyUpdate(item: Item, actions: readonly UpdateAction[]): Item {
  const sets = actions.flatMap((a) => (a.kind === "SET" ? [{ path: a.path, value: compute(a.value, item) }] : []));
  const result = structuredClone(item) as Mutable;
  for (const s of orderAppends(sets)) write(result, s.path, s.value);
  for (const a of actions) {
    if (a.kind === "ADD") add(result, a.path, a.value);
    else if (a.kind === "DELETE") deleteFromSet(result, a.path, a.value);
  }
  for (const a of orderRemovals(actions.filter((a) => a.kind === "REMOVE"))) remove(result, a.path);
  return result;
}

function compute(v: UpdateValue, item: Item): AttributeValue {
  switch (v.kind) {
    case "value":
      return v.value as AttributeValue;
    case "path": {
      const found = readPath(item, v.path);
      if (found === undefined) throw DynamoDbError.validation(NOT_IN_ITEM);
      return found;
    }
    case "if_not_exists":
      return readPath(item, v.path) ?? compute(v.fallback, item);
    case "list_append": {
      const [l, r] = [compute(v.left, item), compute(v.right, item)];
      if (!("L" in l) || !("L" in r)) throw DynamoDbError.validation(WRONG_TYPE);
      return { L: [...l.L, ...r.L] };
    }
    case "+":
    case "-": {
      const [l, r] = [compute(v.left, item), compute(v.right, item)];
      if (!("N" in l) || !("N" in r)) throw DynamoDbError.validation(WRONG_TYPE);
      return { N: addNumbers(l.N, r.N, v.kind === "-") };
    }
  }
}

const lastIndex = (path: DocumentPath): number => {
  const last = path[path.length - 1];
  return last?.kind === "index" ? last.index : -1;
};

/** SETs of list elements go in index order, so several appends keep their numbering's order. */
const orderAppends = <T extends { path: DocumentPath }>(sets: T[]): T[] => [...sets].sort((a, b) => lastIndex(a.path) - lastIndex(b.path));

/** REMOVEs of list elements go from the highest index down, so indexes keep meaning the original list. */
const orderRemovals = <T extends { path: DocumentPath }>(removes: T[]): T[] => [...removes].sort((a, b) => lastIndex(b.path) - lastIndex(a.path));

/** The container a path's last element lives in (the item itself for a top-level name). */
function parentOf(item: Mutable, path: DocumentPath): AttributeValue | undefined {
  return path.length === 1 ? { M: item } : readPath(item, path.slice(0, -1));
}

function write(item: Mutable, path: DocumentPath, value: AttributeValue): void {
  const parent = parentOf(item, path);
  const last = path[path.length - 1] as PathElement;
  if (last.kind === "name" && parent && "M" in parent) return setOwn(parent.M as Mutable, last.name, value);
  if (last.kind === "index" && parent && "L" in parent) {
    const list = parent.L as AttributeValue[];
    if (last.index < list.length) list[last.index] = value;
    else list.push(value);
    return;
  }
  throw DynamoDbError.validation(INVALID_PATH);
}

function remove(item: Mutable, path: DocumentPath): void {
  const parent = parentOf(item, path);
  const last = path[path.length - 1] as PathElement;
  if (last.kind === "name" && parent && "M" in parent) {
    delete (parent.M as Mutable)[last.name];
    return;
  }
  if (last.kind === "index" && parent && "L" in parent) {
    (parent.L as AttributeValue[]).splice(last.index, 1);
    return;
  }
  throw DynamoDbError.validation(INVALID_PATH);
}

/** ADD: a number is added to (0 when missing); a set gains the elements it lacks. */
function add(item: Mutable, path: DocumentPath, operand: AttributeValue): void {
  const existing = readPath(item, path);
  if (existing === undefined) return write(item, path, operand);
  if (typeOf(existing) !== typeOf(operand)) throw DynamoDbError.validation(WRONG_TYPE);
  if ("N" in existing && "N" in operand) return write(item, path, { N: addNumbers(existing.N, operand.N) });
  const t = typeOf(existing);
  if (!isSetType(t)) throw DynamoDbError.validation(WRONG_TYPE);
  const have = payloadOf(existing) as string[];
  const more = (payloadOf(operand) as string[]).filter((e) => !have.includes(e));
  write(item, path, setValue(t, [...have, ...more]));
}

/** DELETE: removes elements from a set; a set left empty is removed. */
function deleteFromSet(item: Mutable, path: DocumentPath, operand: AttributeValue): void {
  if (parentOf(item, path) === undefined) throw DynamoDbError.validation(INVALID_PATH);
  const existing = readPath(item, path);
  if (existing === undefined) return;
  const t = typeOf(existing);
  if (t !== typeOf(operand) || !isSetType(t)) throw DynamoDbError.validation(WRONG_TYPE);
  const drop = payloadOf(operand) as string[];
  const left = (payloadOf(existing) as string[]).filter((e) => !drop.includes(e));
  if (left.length === 0) remove(item, path);
  else write(item, path, setValue(t, left));
}
