/**
 * The one gateway to `jsonpath-plus` (STYLE.md 3). Simple paths (`$.a.b[0]`, `$['x y']`)
 * compile to direct accessors; only paths with wildcards, filters, slices, unions or
 * recursive descent go through the library.
 * Semantics: https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-paths.html
 */
import { JSONPath } from "jsonpath-plus";
import { isObject, type Json } from "../json.js";

export type PathSegment = string | number;

export interface CompiledPath {
  /** The path as written. */
  readonly text: string;
  /** A definite path selects at most one node and yields it unwrapped; others yield an array. */
  readonly definite: boolean;
  /** Segments after `$` when the path is simple (a reference path), else undefined. */
  readonly segments: readonly PathSegment[] | undefined;
  /** The selected value, or `undefined` when a definite path selects nothing. */
  get(root: Json): Json | undefined;
}

export class PathSyntaxError extends Error {
  constructor(readonly path: string, detail: string) {
    super(`Invalid JSONPath '${path}': ${detail}`);
    this.name = "PathSyntaxError";
  }
}

const NAME = /^[^.[\]()*?@,:'"\s$][^.[\]()*?@,:'"\s]*/;

/** Splits a simple path into segments, or returns undefined when it is not simple. */
export function parseSimplePath(text: string): PathSegment[] | undefined {
  if (!text.startsWith("$")) return undefined;
  const out: PathSegment[] = [];
  let i = 1;
  while (i < text.length) {
    const rest = text.slice(i);
    if (rest[0] === ".") {
      const m = NAME.exec(rest.slice(1));
      if (!m) return undefined;
      out.push(m[0]);
      i += 1 + m[0].length;
      continue;
    }
    const idx = /^\[(\d+)\]/.exec(rest);
    if (idx) {
      out.push(Number(idx[1]));
      i += idx[0].length;
      continue;
    }
    const quoted = /^\[(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\]/.exec(rest);
    if (quoted) {
      // Inside quotes only the quote itself is unescaped (AWS keeps `\"` in `['a\"b']` as is).
      out.push(quoted[1] !== undefined ? quoted[1].replace(/\\'/g, "'") : (quoted[2] ?? "").replace(/\\"/g, '"'));
      i += quoted[0].length;
      continue;
    }
    return undefined;
  }
  return out;
}

function getSegments(root: Json, segments: readonly PathSegment[]): Json | undefined {
  let cur: Json | undefined = root;
  for (const seg of segments) {
    if (typeof seg === "number") {
      if (!Array.isArray(cur) || seg >= cur.length) return undefined;
      cur = cur[seg];
    } else {
      if (!isObject(cur) || !Object.prototype.hasOwnProperty.call(cur, seg)) return undefined;
      cur = cur[seg];
    }
  }
  return cur;
}

/** True when the path can select more than one node (its result is then always an array). */
const isIndefinite = (text: string): boolean => /\*|\.\.|\[\?|\[[^\]'"]*[:,][^\]]*\]|\[-/.test(text);

const cache = new Map<string, CompiledPath>();

/** Compiles a JSONPath once; throws `PathSyntaxError` when it is not a valid path. */
export function compilePath(text: string): CompiledPath {
  const hit = cache.get(text);
  if (hit) return hit;
  const compiled = compileUncached(text);
  if (cache.size < 10_000) cache.set(text, compiled);
  return compiled;
}

function compileUncached(text: string): CompiledPath {
  if (!text.startsWith("$")) throw new PathSyntaxError(text, "a path must start with '$'");
  const segments = parseSimplePath(text);
  if (segments) {
    return { text, definite: true, segments, get: (root) => getSegments(root, segments) };
  }
  try {
    JSONPath.toPathArray(text);
  } catch (e) {
    throw new PathSyntaxError(text, (e as Error).message);
  }
  if (/\(\s*\)|\[\s*\]$/.test(text)) throw new PathSyntaxError(text, "empty expression");
  const definite = !isIndefinite(text);
  return {
    text,
    definite,
    segments: undefined,
    get(root) {
      const found = JSONPath({ path: text, json: root as object, wrap: true, eval: "safe" }) as Json[] | undefined;
      const list = Array.isArray(found) ? found : [];
      if (definite) return list.length === 0 ? undefined : list[0];
      return list;
    },
  };
}

/** A reference path: simple segments only (ResultPath, Choice Variable). */
export function isReferencePath(text: string): boolean {
  return parseSimplePath(text) !== undefined;
}

/**
 * Returns a copy of `root` with `value` placed at `segments`, creating objects on the way.
 * Returns undefined when an intermediate node is not an object (States.ResultPathMatchFailure).
 */
export function setAtPath(root: Json, segments: readonly PathSegment[], value: Json): Json | undefined {
  if (segments.length === 0) return value;
  const [head, ...rest] = segments as [PathSegment, ...PathSegment[]];
  if (typeof head === "number") {
    if (!Array.isArray(root) || head >= root.length) return undefined;
    const inner = setAtPath(root[head] as Json, rest, value);
    if (inner === undefined) return undefined;
    const copy = root.slice();
    copy[head] = inner;
    return copy;
  }
  if (!isObject(root)) return undefined;
  const child = Object.prototype.hasOwnProperty.call(root, head) ? (root[head] as Json) : {};
  const inner = rest.length === 0 ? value : setAtPath(child, rest, value);
  if (inner === undefined) return undefined;
  return { ...root, [head]: inner };
}
