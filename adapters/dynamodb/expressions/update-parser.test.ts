import { describe, expect, it } from "vitest";
import type { AttributeValue, Item } from "../attribute-value.js";
import { DynamoDbError } from "../dynamodb-error.js";
import { applyUpdate } from "./apply-update.js";
import { ExpressionContext } from "./expression-context.js";
import { parseUpdate, type UpdateAction } from "./update-parser.js";

type Values = Record<string, AttributeValue>;

const parse = (source: string, values: Values = {}, names: Record<string, string> = {}): UpdateAction[] =>
  parseUpdate(source, new ExpressionContext(names, values));

const errorOf = (source: string, values: Values = {}, names: Record<string, string> = {}): string => {
  try {
    parse(source, values, names);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error(`'${source}' parsed`);
};

const update = (item: Item, source: string, values: Values = {}, names: Record<string, string> = {}): Item =>
  applyUpdate(item, parse(source, values, names));

const failure = (item: Item, source: string, values: Values = {}): string => {
  try {
    update(item, source, values);
  } catch (e) {
    expect(e).toBeInstanceOf(DynamoDbError);
    return (e as Error).message;
  }
  throw new Error(`'${source}' applied`);
};

const N = (n: string): AttributeValue => ({ N: n });
const S = (s: string): AttributeValue => ({ S: s });

describe("update grammar", () => {
  it("parses the four clauses in any order, keywords in any case", () => {
    const actions = parse("remove a, b.c ADD n :one set d = :one, e = f + :one DELETE s :set", { ":one": N("1"), ":set": { SS: ["x"] } });
    expect(actions.map((a) => a.kind)).toEqual(["REMOVE", "REMOVE", "ADD", "SET", "SET", "DELETE"]);
    expect(actions[4]).toMatchObject({ kind: "SET", value: { kind: "+", left: { kind: "path" }, right: { kind: "value" } } });
  });

  it("parses functions, nested", () => {
    const [a] = parse("SET l = list_append(if_not_exists(l, :empty), :more)", { ":empty": { L: [] }, ":more": { L: [S("x")] } });
    expect(a).toMatchObject({ kind: "SET", value: { kind: "list_append", left: { kind: "if_not_exists", path: [{ name: "l" }] } } });
  });

  it("reports syntax errors as DynamoDB does", () => {
    expect(errorOf("ADD hits : incr", { ":incr": N("1") })).toBe('Syntax error; token: ":", near: "hits : incr"');
    expect(errorOf("SET a = :v +", { ":v": N("1") })).toBe('Syntax error; token: "<EOF>", near: "+"');
    expect(errorOf("SET a = b + c + d")).toBe('Syntax error; token: "+", near: "c + d"');
    expect(errorOf("INVALID SYNTAX HERE")).toBe('Syntax error; token: "INVALID", near: "INVALID SYNTAX"');
    expect(errorOf("SET a :v", { ":v": N("1") })).toBe('Syntax error; token: ":v", near: "a :v"');
    expect(errorOf("REMOVE")).toBe('Syntax error; token: "<EOF>", near: "REMOVE"');
    expect(errorOf("SET a = :v, ", { ":v": N("1") })).toBe('Syntax error; token: "<EOF>", near: ", "');
    expect(errorOf("")).toBe("The expression can not be empty;");
  });

  it("reports semantic problems with DynamoDB's messages", () => {
    const v = { ":v": S("v") };
    expect(errorOf("SET a = :v SET b = :v", v)).toBe('The "SET" section can only be used once in an update expression;');
    expect(errorOf("SET a = :v REMOVE a.b", v)).toBe("Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]");
    expect(errorOf("SET a.b = :v REMOVE a[0]", v)).toBe("Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a, [0]]");
    expect(errorOf("ADD a :v", v)).toBe("Incorrect operand type for operator or function; operator: ADD, operand type: STRING");
    expect(errorOf("DELETE a :n", { ":n": N("1") })).toBe("Incorrect operand type for operator or function; operator: DELETE, operand type: NUMBER");
    expect(errorOf("SET a = :v + :v", v)).toBe("Incorrect operand type for operator or function; operator or function: +, operand type: S");
    expect(errorOf("SET a = list_append(:v, b)", v)).toBe("Incorrect operand type for operator or function; operator or function: list_append, operand type: S");
    expect(errorOf("SET a = if_not_exists(:v, :v)", v)).toBe("Operator or function requires a document path; operator or function: if_not_exists");
    expect(errorOf("SET a = list_append(b)")).toBe("Incorrect number of operands for operator or function; operator or function: list_append, number of operands: 1");
    expect(errorOf("SET a = IF_NOT_EXISTS(a, :v)", v)).toBe("Invalid function name; function: IF_NOT_EXISTS");
    expect(errorOf("SET #a = :nope", {}, {})).toBe("An expression attribute name used in the document path is not defined; attribute name: #a");
    expect(errorOf("SET a = :nope")).toBe("An expression attribute value used in expression is not defined; attribute value: :nope");
    expect(errorOf("SET size = :v", v)).toBe("Attribute name is a reserved keyword; reserved keyword: size");
  });
});

describe("applying updates", () => {
  const item: Item = {
    id: S("k"),
    n: N("10"),
    l: { L: [S("a"), S("b"), S("c"), S("d")] },
    m: { M: { x: N("1") } },
    ss: { SS: ["a", "b"] },
    ns: { NS: ["1", "2"] },
    s: S("text"),
  };

  it("computes every SET value from the item as it was", () => {
    const after = update(item, "SET n = n + :one, dup = n, rest = n - :half", { ":one": N("1"), ":half": N("0.5") });
    expect(after).toMatchObject({ n: N("11"), dup: N("10"), rest: N("9.5") });
    expect(item["n"]).toEqual(N("10"));
  });

  it("SET with if_not_exists and list_append", () => {
    const after = update(item, "SET n = if_not_exists(n, :z), fresh = if_not_exists(fresh, :z), l = list_append(:first, l)", { ":z": N("0"), ":first": { L: [S("0")] } });
    expect(after).toMatchObject({ n: N("10"), fresh: N("0"), l: { L: [S("0"), S("a"), S("b"), S("c"), S("d")] } });
  });

  it("SET on list elements: replaces in place, appends past the end in index order", () => {
    const after = update(item, "SET l[1] = :x, l[20] = :z, l[10] = :y", { ":x": S("x"), ":y": S("y"), ":z": S("z") });
    expect(after["l"]).toEqual({ L: [S("a"), S("x"), S("c"), S("d"), S("y"), S("z")] });
  });

  it("REMOVE of list elements counts indexes in the original list", () => {
    expect(update(item, "REMOVE l[0], l[2]")["l"]).toEqual({ L: [S("b"), S("d")] });
    expect(update(item, "REMOVE l[2], l[0], l[9]")["l"]).toEqual({ L: [S("b"), S("d")] });
  });

  it("REMOVE of attributes and map entries; a missing one is fine", () => {
    const after = update(item, "REMOVE s, m.x, nothing");
    expect(after["s"]).toBeUndefined();
    expect(after["m"]).toEqual({ M: {} });
  });

  it("ADD adds to numbers, creates missing ones and extends sets", () => {
    const after = update(item, "ADD n :five, tally :five, ss :more, fresh :set", { ":five": N("5"), ":more": { SS: ["b", "c"] }, ":set": { NS: ["3"] } });
    expect(after).toMatchObject({ n: N("15"), tally: N("5"), ss: { SS: ["a", "b", "c"] }, fresh: { NS: ["3"] } });
  });

  it("DELETE removes set elements and the attribute once empty", () => {
    const after = update(item, "DELETE ss :a, ns :both, nothing :a", { ":a": { SS: ["a"] }, ":both": { NS: ["1", "2"] } });
    expect(after["ss"]).toEqual({ SS: ["b"] });
    expect(after["ns"]).toBeUndefined();
  });

  it("adds decimals exactly", () => {
    expect(update({ n: N("0.1") }, "SET n = n + :v", { ":v": N("0.2") })["n"]).toEqual(N("0.3"));
    expect(update({ n: N("99999999999999999999999999999999999999") }, "SET n = n - :v", { ":v": N("1") })["n"]).toEqual(N("99999999999999999999999999999999999998"));
  });

  it("fails as DynamoDB does", () => {
    expect(failure(item, "SET x = nope + :one", { ":one": N("1") })).toBe("The provided expression refers to an attribute that does not exist in the item");
    expect(failure(item, "SET x = s + :one", { ":one": N("1") })).toBe("An operand in the update expression has an incorrect data type");
    expect(failure(item, "SET x = list_append(s, :l)", { ":l": { L: [] } })).toBe("An operand in the update expression has an incorrect data type");
    expect(failure(item, "ADD s :one", { ":one": N("1") })).toBe("An operand in the update expression has an incorrect data type");
    expect(failure(item, "ADD ss :n", { ":n": { NS: ["1"] } })).toBe("An operand in the update expression has an incorrect data type");
    expect(failure(item, "DELETE ss :n", { ":n": { NS: ["1"] } })).toBe("An operand in the update expression has an incorrect data type");
    expect(failure(item, "SET nope.x = :one", { ":one": N("1") })).toBe("The document path provided in the update expression is invalid for update");
    expect(failure(item, "SET s[0] = :one", { ":one": N("1") })).toBe("The document path provided in the update expression is invalid for update");
    expect(failure({ n: N("9.9999999999999999999999999999999999999E+125") }, "SET n = n + :big", { ":big": N("1E+125") })).toBe(
      "Number overflow. Attempting to store a number with magnitude larger than supported range",
    );
  });
});
