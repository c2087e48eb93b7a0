/**
 * ProjectionExpression: `path ( "," path )*`, and projecting an item onto those paths (list
 * elements picked by index close up, in index order).
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ProjectionExpressions.html
 */
import { getAttr, setOwn, type AttributeValue, type Item } from "../attribute-value.js";
import { checkPathsDisjoint, parsePath, readPath, type DocumentPath } from "./document-path.js";
import type { ExpressionContext } from "./expression-context.js";
import { ExpressionError, Problems, type ProblemKind } from "./expression-error.js";
import { TokenStream } from "./tokenizer.js";

const PRECEDENCE: readonly (ProblemKind | readonly ProblemKind[])[] = ["reserved", "attrName", "pathOverlap", "pathConflict"];

/** Parses a projection; throws ExpressionError with DynamoDB's message. */
export function parseProjection(source: string, context: ExpressionContext): DocumentPath[] {
  if (source === "") throw new ExpressionError("The expression can not be empty;");
  const tokens = new TokenStream(source);
  const problems = new Problems();
  const paths = [parsePath(tokens, context, problems)];
  while (tokens.at(",")) {
    tokens.next();
    paths.push(parsePath(tokens, context, problems));
  }
  tokens.expectEnd();
  checkPathsDisjoint(paths, problems);
  problems.raise(PRECEDENCE);
  return paths;
}

/** Sparse lists while building, closed up at the end. */
type Building = { M: Record<string, Building | AttributeValue> } | { L: (Building | AttributeValue)[] };

/** The parts of `item` that the paths name (attributes that don't exist are left out). */
export function project(item: Item, paths: readonly DocumentPath[]): Item {
  const root: Building = { M: {} };
  for (const path of paths) {
    const value = readPath(item, path);
    if (value !== undefined) place(root, path, value);
  }
  return (close(root) as { M: Item }).M;
}

function place(root: Building, path: DocumentPath, value: AttributeValue): void {
  let node: Building = root;
  for (const [i, e] of path.entries()) {
    const last = i === path.length - 1;
    const next = path[i + 1];
    const fresh = (): Building => (next?.kind === "index" ? { L: [] } : { M: {} });
    if (e.kind === "name" && "M" in node) {
      const child = getAttr(node.M as Item, e.name) as Building | undefined;
      const target = last ? value : (child ?? fresh());
      setOwn(node.M, e.name, target);
      node = target as Building;
    } else if (e.kind === "index" && "L" in node) {
      const target = last ? value : (node.L[e.index] ?? fresh());
      node.L[e.index] = target;
      node = target as Building;
    }
  }
}

function close(v: Building | AttributeValue): AttributeValue {
  if ("L" in v) return { L: (v.L as (Building | AttributeValue)[]).filter((e) => e !== undefined).map(close) };
  if ("M" in v) return { M: Object.fromEntries(Object.entries(v.M as Record<string, Building>).map(([k, e]) => [k, close(e)])) };
  return v;
}
