/**
 * A JSONata field value as written: literal JSON with `{% %}` strings at any depth of objects and
 * arrays. Keys are never evaluated (JSONata states have no `.$` keys) and plain strings are
 * literals. Each nested expression is named by its own field: `Output/a/b[0]`.
 * https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html#writing-jsonata-expressions-in-json-strings
 */
import type { Json, JsonObject } from "../json.js";
import { JsonataSyntaxError } from "./jsonata-errors.js";

/** One parsed expression, evaluated against an environment the gateway prepares. */
export interface TemplateExpression<E> {
  readonly statesMembers: ReadonlySet<string>;
  /** Throws JsonataEvaluationError; never returns undefined. */
  evaluate(env: E): Json;
}

/** Where an expression sits, for messages (`field`) and definition errors (`pointer`). */
export interface TemplateLocation {
  readonly field: string;
  readonly pointer: string;
}

export type ExpressionCompiler<E> = (text: string, where: TemplateLocation) => TemplateExpression<E>;

export interface CompiledTemplate<E> {
  readonly constant: boolean;
  readonly text: string;
  readonly statesMembers: ReadonlySet<string>;
  evaluate(env: E): Json;
}

const OPEN = "{%";
const CLOSE = "%}";

const isExpressionText = (v: string): boolean =>
  v.length >= OPEN.length + CLOSE.length && v.startsWith(OPEN) && v.endsWith(CLOSE);

/** `{% ... %}`: starts with `{%` and ends with `%}`, no surrounding spaces. */
export const isJsonataExpression = (v: unknown): v is string => typeof v === "string" && isExpressionText(v);

/** The expression inside `{% %}`, trimmed: the text AWS quotes in its messages. */
export const expressionText = (v: string): string => v.slice(OPEN.length, -CLOSE.length).trim();

const escapePointer = (key: string): string => key.replace(/~/g, "~0").replace(/\//g, "~1");

/** "Arguments/Items[2]" → "/Arguments/Items/2" */
export const pointerOf = (field: string): string => `/${field.replace(/\[(\d+)\]/g, "/$1")}`;

/**
 * Compiles every `{% %}` string in `value` with `compile`, once. Throws JsonataSyntaxError for a
 * string that opens `{%` without closing it (AWS: "Improperly opening or closing the expression
 * will result in a validation error"), besides whatever `compile` throws.
 */
export function compileTemplate<E>(value: Json, where: TemplateLocation, compile: ExpressionCompiler<E>): CompiledTemplate<E> {
  const members = new Set<string>();
  let constant = true;
  const build = (v: Json, at: TemplateLocation): ((env: E) => Json) => {
    if (typeof v === "string") return buildString(v, at);
    if (Array.isArray(v)) return buildArray(v, at);
    if (v !== null && typeof v === "object") return buildObject(v, at);
    return () => v;
  };
  const buildString = (v: string, at: TemplateLocation): ((env: E) => Json) => {
    if (!isExpressionText(v)) {
      if (v.startsWith(OPEN)) throw new JsonataSyntaxError(v, `The expression must end with '${CLOSE}'`, at);
      return () => v;
    }
    const expr = compile(expressionText(v), at);
    expr.statesMembers.forEach((m) => members.add(m));
    constant = false;
    return (env) => expr.evaluate(env);
  };
  const buildArray = (items: readonly Json[], at: TemplateLocation): ((env: E) => Json) => {
    const parts = items.map((item, i) => build(item, { field: `${at.field}[${i}]`, pointer: `${at.pointer}/${i}` }));
    return (env) => parts.map((p) => p(env));
  };
  const buildObject = (obj: JsonObject, at: TemplateLocation): ((env: E) => Json) => {
    const parts = Object.entries(obj).map(
      ([k, item]) => [k, build(item, { field: `${at.field}/${k}`, pointer: `${at.pointer}/${escapePointer(k)}` })] as const,
    );
    return (env) => Object.fromEntries(parts.map(([k, p]) => [k, p(env)])) as JsonObject;
  };
  const root = build(value, where);
  const text = isJsonataExpression(value) ? expressionText(value) : JSON.stringify(value);
  return { constant, text, statesMembers: members, evaluate: constant ? () => value : root };
}
