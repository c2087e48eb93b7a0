/**
 * KeyConditionExpression: the condition grammar, restricted to an equality on the partition
 * key and at most one of `=`, `<`, `<=`, `>`, `>=`, BETWEEN, begins_with on the sort key,
 * joined by AND. Turns a parsed condition into the sort-key range a Query reads, with
 * DynamoDB's messages for everything else.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Query.KeyConditionExpressions.html
 */
import { payloadOf, typeOf, type AttributeValue } from "../attribute-value.js";
import { DynamoDbError } from "../dynamodb-error.js";
import { keyAttributes } from "../table-keys.js";
import type { KeySchema, SortKeyRange } from "../table-store.js";
import type { Condition, Operand } from "./condition-ast.js";
import { ExpressionError } from "./expression-error.js";

type KeyOperator = "=" | "<" | "<=" | ">" | ">=" | "BETWEEN" | "BEGINS_WITH";

interface KeyTerm {
  readonly op: KeyOperator;
  readonly values: readonly AttributeValue[];
}

export interface KeyQuery {
  /** The partition key's payload. */
  readonly partition: string;
  readonly range: SortKeyRange;
}

const FLIPPED: Record<string, KeyOperator> = { "=": "=", "<": ">", "<=": ">=", ">": "<", ">=": "<=" };

/** Splits a key condition into one term per key attribute (throws ExpressionError). */
export function keyTerms(c: Condition): Map<string, KeyTerm> {
  const terms = new Map<string, KeyTerm>();
  collect(c, terms);
  return terms;
}

const invalid = (message: string): ExpressionError => new ExpressionError(message);

function collect(c: Condition, terms: Map<string, KeyTerm>): void {
  switch (c.kind) {
    case "and":
      collect(c.left, terms);
      collect(c.right, terms);
      return;
    case "or":
    case "not":
    case "in":
      throw invalid(`Invalid operator used in KeyConditionExpression: ${c.kind.toUpperCase()}`);
    case "compare":
      if (c.op === "<>") throw invalid("Invalid operator used in KeyConditionExpression: <>");
      return add(terms, [c.left, c.right], (first) => (first ? (c.op as KeyOperator) : (FLIPPED[c.op] as KeyOperator)));
    case "between":
      if (c.operand.kind !== "path") throw invalid("Invalid condition in KeyConditionExpression: BETWEEN operator must have the key attribute as its first operand");
      return add(terms, [c.operand, c.low, c.high], () => "BETWEEN");
    case "function":
      if (c.name !== "begins_with") throw invalid(`Invalid operator used in KeyConditionExpression: ${c.name}`);
      if (c.args[0]?.kind !== "path") throw invalid("Invalid condition in KeyConditionExpression: begins_with operator must have the key attribute as its first operand");
      return add(terms, c.args, () => "BEGINS_WITH");
  }
}

function add(terms: Map<string, KeyTerm>, operands: readonly Operand[], operator: (pathFirst: boolean) => KeyOperator): void {
  if (operands.some((o) => o.kind === "call")) throw invalid("KeyConditionExpressions cannot contain nested operations");
  const paths = operands.filter((o) => o.kind === "path");
  if (paths.length > 1) throw invalid("Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition");
  const path = paths[0];
  if (!path) throw invalid("Invalid condition in KeyConditionExpression: No key attribute specified");
  if (path.path.length > 1) throw invalid("KeyConditionExpressions cannot have conditions on nested attributes");
  const head = path.path[0];
  const name = head?.kind === "name" ? head.name : "";
  if (terms.has(name)) throw invalid("KeyConditionExpressions must only contain one condition per key");
  const values = operands.filter((o) => o !== path).map((o) => (o.kind === "value" ? o.value : undefined)) as AttributeValue[];
  terms.set(name, { op: operator(operands[0] === path), values });
}

/** Checks the terms against the table's keys (DynamoDB's messages) and builds the range. */
export function keyQuery(schema: KeySchema, terms: Map<string, KeyTerm>): KeyQuery {
  if (terms.size !== 1 && terms.size !== 2) throw DynamoDbError.validation("Conditions can be of length 1 or 2 only");
  const keys = keyAttributes(schema);
  for (const [i, k] of keys.entries()) {
    const isPartition = i === 0;
    if (isPartition && keys.length === 1 && terms.size > 1) throw DynamoDbError.validation("Query key condition not supported");
    const term = terms.get(k.name);
    if (!term) {
      if (isPartition || terms.size > 1) throw DynamoDbError.validation(`Query condition missed key schema element: ${k.name}`);
      continue;
    }
    if (term.values.some((v) => typeOf(v) !== k.type)) {
      throw DynamoDbError.validation("One or more parameter values were invalid: Condition parameter type does not match schema type");
    }
    if (isPartition && term.op !== "=") throw DynamoDbError.validation("Query key condition not supported");
    if (!isPartition && term.op === "BEGINS_WITH" && k.type === "N") throw DynamoDbError.validation("Query key condition not supported");
  }
  const partition = terms.get(schema.partitionKey.name) as KeyTerm;
  const sort = schema.sortKey ? terms.get(schema.sortKey.name) : undefined;
  return { partition: payloadOf(partition.values[0] as AttributeValue) as string, range: sort ? rangeOf(sort) : {} };
}

function rangeOf(term: KeyTerm): SortKeyRange {
  const [a, b] = term.values.map((v) => payloadOf(v) as string) as [string, string | undefined];
  switch (term.op) {
    case "=":
      return { lower: { value: a, inclusive: true }, upper: { value: a, inclusive: true } };
    case "<":
      return { upper: { value: a, inclusive: false } };
    case "<=":
      return { upper: { value: a, inclusive: true } };
    case ">":
      return { lower: { value: a, inclusive: false } };
    case ">=":
      return { lower: { value: a, inclusive: true } };
    case "BETWEEN":
      return { lower: { value: a, inclusive: true }, upper: { value: b as string, inclusive: true } };
    case "BEGINS_WITH":
      return { prefix: a };
  }
}
