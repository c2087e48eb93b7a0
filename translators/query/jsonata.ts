/**
 * The one gateway to `jsonata` (STYLE.md 3), with Step Functions' extra functions.
 * https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html
 * STUB: owned by the JSONata work; signatures are the contract.
 */
import type { Json, JsonObject } from "../json.js";
import type { Randomness } from "./scope.js";

/** What `$states` and `$name` variables are bound to while a JSONata field is evaluated. */
export interface JsonataBindings {
  readonly states: {
    readonly input: Json;
    readonly context: JsonObject;
    readonly result?: Json;
    readonly errorOutput?: Json;
  };
  readonly vars: Readonly<Record<string, Json>>;
  readonly randomness: Randomness;
}

/** A field value compiled for a JSONata state: literal JSON with `{% %}` strings at any depth. */
export interface CompiledJsonataValue {
  /** True when the value holds no expression at all. */
  readonly constant: boolean;
  /** Throws StatesError States.QueryEvaluationError with AWS's message. */
  evaluate(bindings: JsonataBindings): Json;
}

export class JsonataSyntaxError extends Error {
  constructor(readonly expression: string, detail: string) {
    super(`Invalid JSONata expression '${expression}': ${detail}`);
    this.name = "JsonataSyntaxError";
  }
}

/** `{% ... %}` */
export const isJsonataExpression = (v: unknown): v is string =>
  typeof v === "string" && v.startsWith("{%") && v.endsWith("%}");

/** `field` names the value in error messages, e.g. "Output", "Items", "Arguments/Payload". */
export function compileJsonataValue(value: Json, field: string): CompiledJsonataValue {
  void field;
  return { constant: true, evaluate: () => value };
}
