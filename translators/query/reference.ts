/**
 * JSONPath references as ASL uses them in JSONPath states: `$...` reads the state's input,
 * `$$...` the context object, `$name...` a workflow variable.
 * https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html
 */
import type { Json } from "../json.js";
import { compilePath, PathSyntaxError, type CompiledPath } from "./jsonpath.js";
import type { EvalScope } from "./scope.js";

export type ReferenceKind = "input" | "context" | "variable";

export interface CompiledReference {
  readonly text: string;
  readonly kind: ReferenceKind;
  /** The variable's name, for kind "variable". */
  readonly variable: string | undefined;
  /** The path applied to the root ($, $$ or the variable's value). */
  readonly path: CompiledPath;
  /** The selected value, or undefined when nothing is selected. */
  get(scope: EvalScope): Json | undefined;
}

const VARIABLE = /^\$([A-Za-z_][A-Za-z0-9_]*)/;

/** True when `text` reads something: `$`, `$$`, or `$name` followed by an optional path. */
export const looksLikeReference = (text: string): boolean => text.startsWith("$");

/** Compiles a reference; throws PathSyntaxError when it is not valid. */
export function compileReference(text: string): CompiledReference {
  if (text.startsWith("$$")) {
    const path = compilePath(text.slice(1));
    return { text, kind: "context", variable: undefined, path, get: (s) => path.get(s.context) };
  }
  const v = VARIABLE.exec(text);
  if (v) {
    const name = v[1] as string;
    const path = compilePath("$" + text.slice(v[0].length));
    return {
      text,
      kind: "variable",
      variable: name,
      path,
      get: (s) => (Object.prototype.hasOwnProperty.call(s.vars, name) ? path.get(s.vars[name] as Json) : undefined),
    };
  }
  if (!text.startsWith("$")) throw new PathSyntaxError(text, "a path must start with '$'");
  const path = compilePath(text);
  return { text, kind: "input", variable: undefined, path, get: (s) => path.get(s.input) };
}
