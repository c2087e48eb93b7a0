/**
 * Types shared by the JSONata modules; `jsonata.ts` re-exports the public ones.
 * https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html
 */
import type { Json, JsonObject } from "../json.js";
import type { Randomness } from "./scope.js";

/** What `$states` and `$name` variables are bound to while a JSONata field is evaluated. */
export interface JsonataBindings {
  /** `$states`: only the members present are bound (`result` after a task, `errorOutput` in a Catch). */
  readonly states: {
    readonly input: Json;
    readonly context: JsonObject;
    readonly result?: Json | undefined;
    readonly errorOutput?: Json | undefined;
  };
  /** Workflow variables, each bound as `$name`. */
  readonly vars: Readonly<Record<string, Json>>;
  /** The only source of `$random()`, `$uuid()` and `$shuffle()`. */
  readonly randomness: Randomness;
  /**
   * Epoch milliseconds that `$now()` and `$millis()` return (the engine's clock at this step).
   * Without it they return `$states.context.State.EnteredTime`, else `Execution.StartTime`,
   * so evaluation never reads the system clock.
   */
  readonly now?: number;
}

/** The result types AWS names in "returned an unexpected result type. Expected '...'" messages. */
export type JsonataResultType = "array" | "object" | "string" | "number" | "integer" | "boolean";

/** A field value compiled for a JSONata state: literal JSON with `{% %}` strings at any depth. */
export interface CompiledJsonataValue {
  /** True when the value holds no expression at all. */
  readonly constant: boolean;
  /** The field AWS names in messages and in `EvaluationFailed.location`, e.g. "Output/FunctionResult". */
  readonly field: string;
  /** The text AWS quotes: the expression inside `{% %}` (trimmed), or the value as JSON text. */
  readonly text: string;
  /** The `$states.<member>` names the value's expressions read (`input`, `result`, ...). */
  readonly statesMembers: ReadonlySet<string>;
  /** Throws JsonataEvaluationError (States.QueryEvaluationError) with AWS's message. */
  evaluate(bindings: JsonataBindings): Json;
}
