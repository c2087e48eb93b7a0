import { describe, expect, it } from "vitest";
import type { AttributeValue, Item } from "../attribute-value.js";
import type { Condition } from "./condition-ast.js";
import { parseCondition } from "./condition-parser.js";
import { evaluateCondition } from "./evaluate-condition.js";
import { ExpressionContext } from "./expression-context.js";

const ctx = (values: Record<string, AttributeValue> = {}, names: Record<string, string> = {}): ExpressionContext => new ExpressionContext(names, values);

const parse = (source: string, values: Record<string, AttributeValue> = {}, names: Record<string, string> = {}): Condition =>
  parseCondition(source, ctx(values, names));

const errorOf = (source: string, values: Record<string, AttributeValue> = {}, names: Record<string, string> = {}): string => {
  try {
    parse(source, values, names);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error(`'${source}' parsed`);
};

const ITEM: Item = {
  id: { S: "u1" },
  age: { N: "36.5" },
  name: { S: "Ada Lovelace" },
  tags: { L: [{ S: "a" }, { N: "2" }, { M: { k: { S: "v" } } }] },
  colors: { SS: ["red", "blue"] },
  lucky: { NS: ["7", "13"] },
  photo: { B: Buffer.from("png-bytes").toString("base64") },
  profile: { M: { city: { S: "Paris" }, langs: { L: [{ S: "fr" }] } } },
  active: { BOOL: true },
};

const holds = (source: string, values: Record<string, AttributeValue> = {}, names: Record<string, string> = {}): boolean =>
  evaluateCondition(parse(source, values, names), ITEM);

describe("condition grammar", () => {
  it("parses precedence: NOT binds tighter than AND, AND tighter than OR", () => {
    const c = parse("a = :x OR b = :x AND NOT c = :x", { ":x": { S: "x" } });
    expect(c.kind).toBe("or");
    const right = (c as { right: Condition }).right;
    expect(right.kind).toBe("and");
    expect((right as { right: Condition }).right.kind).toBe("not");
  });

  it("reads keywords in any case, document paths with #names, maps and list indexes", () => {
    const c = parse("#p.city = :c and tags[2].k between :a AND :b", { ":c": { S: "x" }, ":a": { S: "a" }, ":b": { S: "b" } }, { "#p": "profile" });
    expect(c).toMatchObject({
      kind: "and",
      left: { kind: "compare", left: { kind: "path", path: [{ kind: "name", name: "profile" }, { kind: "name", name: "city" }] } },
      right: { kind: "between", operand: { path: [{ name: "tags" }, { kind: "index", index: 2 }, { name: "k" }] } },
    });
  });

  it("reports syntax errors with the offending token and the text near it", () => {
    expect(errorOf("a = = :v", { ":v": { S: "v" } })).toBe('Syntax error; token: "=", near: "= = :v"');
    expect(errorOf("a = ")).toBe('Syntax error; token: "<EOF>", near: "= "');
    expect(errorOf("a =")).toBe('Syntax error; token: "<EOF>", near: "="');
    expect(errorOf("a = 5")).toBe('Syntax error; token: "5", near: "= 5"');
    expect(errorOf("hits : incr")).toBe('Syntax error; token: ":", near: "hits : incr"');
    expect(errorOf("a = :v :w", { ":v": { S: "v" }, ":w": { S: "w" } })).toBe('Syntax error; token: ":w", near: ":v :w"');
    expect(errorOf("my-attr = :v", { ":v": { S: "v" } })).toBe('Syntax error; token: "-", near: "my-attr"');
    expect(errorOf("attribute_exists()")).toBe('Syntax error; token: ")", near: "()"');
    expect(errorOf("(a = :v", { ":v": { S: "v" } })).toBe('Syntax error; token: "<EOF>", near: ":v"');
  });

  it("rejects an empty expression", () => {
    expect(errorOf("")).toBe("The expression can not be empty;");
  });

  it("reports semantic problems with DynamoDB's messages", () => {
    const v = { ":v": { S: "v" } as AttributeValue };
    expect(errorOf("name = :v", v)).toBe("Attribute name is a reserved keyword; reserved keyword: name");
    expect(errorOf("#n = :v", v)).toBe("An expression attribute name used in the document path is not defined; attribute name: #n");
    expect(errorOf("a = :nope")).toBe("An expression attribute value used in expression is not defined; attribute value: :nope");
    expect(errorOf("nofunc(a)")).toBe("Invalid function name; function: nofunc");
    expect(errorOf("begins_with(a)")).toBe("Incorrect number of operands for operator or function; operator or function: begins_with, number of operands: 1");
    expect(errorOf("attribute_exists(:v)", v)).toBe("Operator or function requires a document path; operator or function: attribute_exists");
    expect(errorOf("begins_with(a, :n)", { ":n": { N: "1" } })).toBe("Incorrect operand type for operator or function; operator or function: begins_with, operand type: N");
    expect(errorOf("attribute_type(a, :t)", { ":t": { S: "STRING" } })).toBe("Invalid attribute type name found; type: STRING, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}");
    expect(errorOf("size(:n) > :n", { ":n": { N: "1" } })).toBe("Incorrect operand type for operator or function; operator or function: size, operand type: N");
    expect(errorOf("a = a")).toBe("The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [a]");
    expect(errorOf("contains(a, :v) = :v", v)).toBe("The function is not allowed to be used this way in an expression; function: contains");
    expect(errorOf("size(a)")).toBe("The function is not allowed to be used this way in an expression; function: size");
    expect(errorOf("((a = :v))", v)).toBe("The expression has redundant parentheses;");
    expect(errorOf("(a) = :v", v)).toBe("The expression has redundant parentheses;");
  });

  it("checks BETWEEN bounds when they are literal", () => {
    expect(errorOf("a BETWEEN :hi AND :lo", { ":lo": { N: "1" }, ":hi": { N: "10" } })).toBe(
      "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:10}, upper bound operand: AttributeValue: {N:1}",
    );
    expect(errorOf("a BETWEEN :lo AND :s", { ":lo": { N: "1" }, ":s": { S: "x" } })).toBe(
      "The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:x}",
    );
  });

  it("reports one problem, by DynamoDB's precedence", () => {
    // An unknown function outranks a reserved word, which outranks an undefined placeholder.
    expect(errorOf("name = :nope AND nofunc(a)")).toBe("Invalid function name; function: nofunc");
    expect(errorOf("name = :nope")).toBe("Attribute name is a reserved keyword; reserved keyword: name");
    // A syntax error wins over everything.
    expect(errorOf("name = :nope AND")).toBe('Syntax error; token: "<EOF>", near: "AND"');
  });

  it("marks placeholders used", () => {
    const c = ctx({ ":a": { S: "x" }, ":b": { S: "y" } }, { "#a": "a", "#b": "b" });
    parseCondition("#a = :a", c);
    expect([...c.usedNames]).toEqual(["#a"]);
    expect([...c.usedValues]).toEqual([":a"]);
  });
});

describe("condition evaluation", () => {
  it("compares numbers numerically, strings and binaries by bytes", () => {
    expect(holds("age > :n", { ":n": { N: "9" } })).toBe(true);
    expect(holds("age < :n", { ":n": { N: "100" } })).toBe(true);
    expect(holds("age = :n", { ":n": { N: "36.50" } })).toBe(false); // placeholders are not normalized by the parser itself
    expect(holds("age = :n", { ":n": { N: "36.5" } })).toBe(true);
    expect(holds("#n >= :s", { ":s": { S: "Ada" } }, { "#n": "name" })).toBe(true);
    expect(holds("#n < :s", { ":s": { S: "B" } }, { "#n": "name" })).toBe(true);
  });

  it("makes ordering comparisons across types false and <> true", () => {
    expect(holds("age < :s", { ":s": { S: "x" } })).toBe(false);
    expect(holds("age >= :s", { ":s": { S: "x" } })).toBe(false);
    expect(holds("age <> :s", { ":s": { S: "x" } })).toBe(true);
    expect(holds("gone <> :s", { ":s": { S: "x" } })).toBe(true);
    expect(holds("gone = :s", { ":s": { S: "x" } })).toBe(false);
  });

  it("evaluates BETWEEN, IN and the boolean operators", () => {
    expect(holds("age BETWEEN :a AND :b", { ":a": { N: "36.5" }, ":b": { N: "40" } })).toBe(true);
    expect(holds("age BETWEEN :a AND :b", { ":a": { N: "37" }, ":b": { N: "40" } })).toBe(false);
    expect(holds("age IN (:a, :b)", { ":a": { N: "1" }, ":b": { N: "36.5" } })).toBe(true);
    expect(holds("NOT age IN (:a)", { ":a": { N: "1" } })).toBe(true);
    expect(holds("(age = :a OR active = :t) AND NOT attribute_exists(gone)", { ":a": { N: "1" }, ":t": { BOOL: true } })).toBe(true);
  });

  it("evaluates the functions", () => {
    expect(holds("attribute_exists(profile.city) AND attribute_not_exists(profile.zip)")).toBe(true);
    expect(holds("attribute_type(tags, :l) AND attribute_type(lucky, :ns)", { ":l": { S: "L" }, ":ns": { S: "NS" } })).toBe(true);
    expect(holds("begins_with(#n, :p)", { ":p": { S: "Ada " } }, { "#n": "name" })).toBe(true);
    expect(holds("begins_with(photo, :p)", { ":p": { B: Buffer.from("png").toString("base64") } })).toBe(true);
    expect(holds("contains(#n, :s)", { ":s": { S: "Love" } }, { "#n": "name" })).toBe(true);
    expect(holds("contains(colors, :s) AND contains(lucky, :n)", { ":s": { S: "red" }, ":n": { N: "13" } })).toBe(true);
    expect(holds("contains(tags, :m)", { ":m": { M: { k: { S: "v" } } } })).toBe(true);
    expect(holds("contains(colors, :n)", { ":n": { N: "1" } })).toBe(false);
    expect(holds("size(tags) = :three AND size(#n) = :twelve AND size(profile) = :two", { ":three": { N: "3" }, ":twelve": { N: "12" }, ":two": { N: "2" } }, { "#n": "name" })).toBe(true);
    expect(holds("size(photo) = :nine", { ":nine": { N: "9" } })).toBe(true);
    expect(holds("size(age) = :n", { ":n": { N: "1" } })).toBe(false);
  });

  it("treats an absent item as empty", () => {
    expect(evaluateCondition(parse("attribute_not_exists(id)"), {})).toBe(true);
    expect(evaluateCondition(parse("attribute_exists(id)"), {})).toBe(false);
  });
});
