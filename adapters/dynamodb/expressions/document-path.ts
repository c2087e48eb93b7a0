/**
 * Document paths (`a.b[2].#c`): the grammar every expression shares, and reading a path
 * out of an item.
 *   path    := element ( "." element | "[" digits "]" )*
 *   element := name | #placeholder
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.Attributes.html
 */
import { getAttr, type AttributeValue, type Item } from "../attribute-value.js";
import type { ExpressionContext } from "./expression-context.js";
import type { Problems } from "./expression-error.js";
import { isReservedWord } from "./reserved-words.js";
import type { TokenStream } from "./tokenizer.js";

export type PathElement = { readonly kind: "name"; readonly name: string } | { readonly kind: "index"; readonly index: number };

export type DocumentPath = readonly PathElement[];

/** Can the next token start a document path? */
export function atPath(tokens: TokenStream): boolean {
  const t = tokens.peek();
  return (t.kind === "name" && !tokens.at("(", 1)) || t.kind === "attrName";
}

export function parsePath(tokens: TokenStream, context: ExpressionContext, problems: Problems): DocumentPath {
  const path: PathElement[] = [parseElement(tokens, context, problems)];
  for (;;) {
    if (tokens.at(".")) {
      tokens.next();
      path.push(parseElement(tokens, context, problems));
    } else if (tokens.at("[")) {
      tokens.next();
      const t = tokens.peek();
      if (t.kind !== "number") throw tokens.syntaxError();
      tokens.next();
      tokens.expect("]");
      path.push({ kind: "index", index: Number(t.text) });
    } else return path;
  }
}

function parseElement(tokens: TokenStream, context: ExpressionContext, problems: Problems): PathElement {
  const t = tokens.peek();
  if (t.kind === "name") {
    tokens.next();
    if (isReservedWord(t.text)) problems.add("reserved", `Attribute name is a reserved keyword; reserved keyword: ${t.text}`);
    return { kind: "name", name: t.text };
  }
  if (t.kind === "attrName") {
    tokens.next();
    return { kind: "name", name: context.name(t.text, problems) ?? "" };
  }
  throw tokens.syntaxError();
}

/** A path as DynamoDB prints it in messages: `[a, b, [2]]`. */
export const pathText = (path: DocumentPath): string =>
  `[${path.map((e) => (e.kind === "name" ? e.name : `[${e.index}]`)).join(", ")}]`;

export const samePath = (a: DocumentPath, b: DocumentPath): boolean =>
  a.length === b.length && a.every((e, i) => pathElementsEqual(e, b[i] as PathElement));

export function pathElementsEqual(a: PathElement, b: PathElement): boolean {
  return a.kind === "name" ? b.kind === "name" && a.name === b.name : b.kind === "index" && a.index === b.index;
}

/** The value at `path` in `item`, if there is one. */
export function readPath(item: Item, path: DocumentPath): AttributeValue | undefined {
  let current: AttributeValue | undefined = { M: item };
  for (const e of path) {
    if (current === undefined) return undefined;
    if (e.kind === "name") current = "M" in current ? getAttr(current.M, e.name) : undefined;
    else current = "L" in current ? current.L[e.index] : undefined;
  }
  return current;
}

/**
 * Paths an update or projection names must neither overlap (`a` and `a.b`) nor conflict
 * (`a.b` and `a[0]`); records DynamoDB's problem for the first pair that does.
 */
export function checkPathsDisjoint(paths: readonly DocumentPath[], problems: Problems): void {
  for (const [j, two] of paths.entries()) {
    for (const one of paths.slice(0, j)) {
      const problem = relation(one, two);
      if (problem === "overlap") {
        problems.add("pathOverlap", `Two document paths overlap with each other; must remove or rewrite one of these paths; path one: ${pathText(one)}, path two: ${pathText(two)}`);
      } else if (problem === "conflict") {
        problems.add("pathConflict", `Two document paths conflict with each other; must remove or rewrite one of these paths; path one: ${pathText(one)}, path two: ${pathText(two)}`);
      }
      if (problem) return;
    }
  }
}

function relation(a: DocumentPath, b: DocumentPath): "overlap" | "conflict" | undefined {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i] as PathElement;
    const y = b[i] as PathElement;
    if (x.kind !== y.kind) return "conflict";
    if (!pathElementsEqual(x, y)) return undefined;
  }
  return "overlap";
}
