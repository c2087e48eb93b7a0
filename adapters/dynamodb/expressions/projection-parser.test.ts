import { describe, expect, it } from "vitest";
import type { Item } from "../attribute-value.js";
import { ExpressionContext } from "./expression-context.js";
import { parseProjection, project } from "./projection-parser.js";

const paths = (source: string, names: Record<string, string> = {}) => parseProjection(source, new ExpressionContext(names));

const errorOf = (source: string, names: Record<string, string> = {}): string => {
  try {
    paths(source, names);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error(`'${source}' parsed`);
};

const ITEM: Item = {
  id: { S: "1" },
  l: { L: [{ S: "a" }, { M: { x: { N: "1" }, y: { N: "2" } } }, { S: "c" }] },
  m: { M: { a: { S: "A" }, b: { M: { c: { S: "C" } } } } },
};

describe("ProjectionExpression", () => {
  it("projects names, map entries and list elements (which close up in index order)", () => {
    expect(project(ITEM, paths("#i, m.b.c, l[2], l[0], l[1].y, nope", { "#i": "id" }))).toEqual({
      id: { S: "1" },
      m: { M: { b: { M: { c: { S: "C" } } } } },
      l: { L: [{ S: "a" }, { M: { y: { N: "2" } } }, { S: "c" }] },
    });
  });

  it("leaves out what the item lacks", () => {
    expect(project(ITEM, paths("l[7], m.zz, zz"))).toEqual({});
  });

  it("reports DynamoDB's errors", () => {
    expect(errorOf("a, a.b")).toBe("Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]");
    expect(errorOf("a.b, a[1]")).toBe("Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a, [1]]");
    expect(errorOf("a, #b")).toBe("An expression attribute name used in the document path is not defined; attribute name: #b");
    expect(errorOf("a, name")).toBe("Attribute name is a reserved keyword; reserved keyword: name");
    expect(errorOf("a, :v")).toBe('Syntax error; token: ":v", near: ", :v"');
    expect(errorOf("a[x]")).toBe('Syntax error; token: "x", near: "[x]"');
    expect(errorOf("a,")).toBe('Syntax error; token: "<EOF>", near: ","');
  });
});
