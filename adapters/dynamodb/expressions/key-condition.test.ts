import { describe, expect, it } from "vitest";
import type { AttributeValue } from "../attribute-value.js";
import type { TableSchema } from "../table-store.js";
import { parseCondition } from "./condition-parser.js";
import { ExpressionContext } from "./expression-context.js";
import { keyQuery, keyTerms } from "./key-condition.js";

const SCHEMA: TableSchema = { partitionKey: { name: "pk", type: "S" }, sortKey: { name: "sk", type: "N" } };
const VALUES: Record<string, AttributeValue> = { ":p": { S: "p1" }, ":a": { N: "1" }, ":b": { N: "5" }, ":s": { S: "x" } };

const query = (source: string, schema: TableSchema = SCHEMA) => keyQuery(schema, keyTerms(parseCondition(source, new ExpressionContext({}, VALUES))));

const errorOf = (source: string, schema: TableSchema = SCHEMA): string => {
  try {
    query(source, schema);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error(`'${source}' accepted`);
};

describe("KeyConditionExpression", () => {
  it("turns key conditions into a partition and a sort-key range", () => {
    expect(query("pk = :p")).toEqual({ partition: "p1", range: {} });
    expect(query("pk = :p AND sk BETWEEN :a AND :b")).toEqual({ partition: "p1", range: { lower: { value: "1", inclusive: true }, upper: { value: "5", inclusive: true } } });
    expect(query("sk > :a AND pk = :p").range).toEqual({ lower: { value: "1", inclusive: false } });
    expect(query("pk = :p AND :a >= sk").range).toEqual({ upper: { value: "1", inclusive: true } });
    expect(query("pk = :p AND sk = :a").range).toEqual({ lower: { value: "1", inclusive: true }, upper: { value: "1", inclusive: true } });
    expect(query("pk = :p AND begins_with(sk, :s)", { ...SCHEMA, sortKey: { name: "sk", type: "S" } }).range).toEqual({ prefix: "x" });
  });

  it("rejects what a key condition cannot say, with DynamoDB's messages", () => {
    expect(errorOf("pk = :p OR sk = :a")).toBe("Invalid operator used in KeyConditionExpression: OR");
    expect(errorOf("NOT pk = :p")).toBe("Invalid operator used in KeyConditionExpression: NOT");
    expect(errorOf("pk IN (:p)")).toBe("Invalid operator used in KeyConditionExpression: IN");
    expect(errorOf("pk <> :p")).toBe("Invalid operator used in KeyConditionExpression: <>");
    expect(errorOf("attribute_exists(pk)")).toBe("Invalid operator used in KeyConditionExpression: attribute_exists");
    expect(errorOf("pk = :p AND size(sk) = :a")).toBe("KeyConditionExpressions cannot contain nested operations");
    expect(errorOf("pk = :p AND sk = pk")).toBe("Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition");
    expect(errorOf("pk = :p AND :a = :b")).toBe("Invalid condition in KeyConditionExpression: No key attribute specified");
    expect(errorOf("pk = :p AND sk.x = :a")).toBe("KeyConditionExpressions cannot have conditions on nested attributes");
    expect(errorOf("pk = :p AND pk = :p")).toBe("KeyConditionExpressions must only contain one condition per key");
    expect(errorOf("pk = :p AND :a BETWEEN sk AND :b")).toBe("Invalid condition in KeyConditionExpression: BETWEEN operator must have the key attribute as its first operand");
    expect(errorOf("sk = :a")).toBe("Query condition missed key schema element: pk");
    expect(errorOf("pk = :p AND qty = :a")).toBe("Query condition missed key schema element: sk");
    expect(errorOf("pk > :p")).toBe("Query key condition not supported");
    expect(errorOf("pk = :p AND sk = :s")).toBe("One or more parameter values were invalid: Condition parameter type does not match schema type");
    expect(errorOf("pk = :p AND sk = :a", { partitionKey: { name: "pk", type: "S" } })).toBe("Query key condition not supported");
  });
});
