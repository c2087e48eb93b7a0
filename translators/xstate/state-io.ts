/**
 * The data flow around a state's work, compiled once per state.
 * JSONPath: InputPath → Parameters → (work) → ResultSelector → ResultPath → OutputPath.
 * JSONata: Arguments → (work) → Output, with Assign beside Output.
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-input-output-filtering.html
 * https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html
 */
import { StatesError, STATES_ERRORS } from "../errors.js";
import { jsonTextOf, type Json, type JsonObject } from "../json.js";
import type { QueryLanguage, State } from "../asl/model.js";
import { compileAssign } from "../dataflow/assign.js";
import { compilePayloadTemplate } from "../dataflow/payload-template.js";
import { compileResultPath, compileSelectPath } from "../dataflow/paths.js";
import { compileJsonataValue } from "../query/jsonata.js";
import type { ActorData } from "./actor-data.js";
import { bindingsOf, scopeOf, type CompileServices } from "./step.js";

/** AWS's payload limit for state input/output and task results. */
export const PAYLOAD_LIMIT_BYTES = 256 * 1024;

type Fields = Partial<Record<string, unknown>>;

export interface StateIO {
  readonly language: QueryLanguage;
  /** The effective input: InputPath (JSONPath) or the raw input (JSONata). */
  effectiveInput(d: ActorData, services: CompileServices): Json;
  /** Parameters / Arguments applied to the effective input (identity when absent); `context` overrides `$$`. */
  parameters(d: ActorData, effective: Json, services: CompileServices, context?: JsonObject): Json;
  /** From the state's result to its output and assigned variables. */
  finish(d: ActorData, result: Json, services: CompileServices): { output: Json; assigned: JsonObject | undefined };
}

export interface StateIOOptions {
  /** Field holding the payload template: Parameters/Arguments for most states. */
  readonly parametersField?: "Parameters" | "Arguments" | "ItemSelector";
  /** JSONata: what the output is when Output is absent. */
  readonly defaultOutput: "result" | "input";
}

export function compileStateIO(state: State, language: QueryLanguage, options: StateIOOptions): StateIO {
  return language === "JSONata" ? compileJsonataIO(state as unknown as Fields, options) : compileJsonPathIO(state as unknown as Fields, options);
}

function compileJsonPathIO(s: Fields, options: StateIOOptions): StateIO {
  const inputPath = compileSelectPath(s["InputPath"] as string | null | undefined);
  const params = options.parametersField && s[options.parametersField] !== undefined
    ? compilePayloadTemplate(s[options.parametersField] as Json)
    : undefined;
  const selector = s["ResultSelector"] !== undefined ? compilePayloadTemplate(s["ResultSelector"] as Json) : undefined;
  const resultPath = compileResultPath(s["ResultPath"] as string | null | undefined);
  const outputPath = compileSelectPath(s["OutputPath"] as string | null | undefined);
  const assign = compileAssign(s["Assign"] as JsonObject | undefined, "JSONPath");
  return {
    language: "JSONPath",
    effectiveInput: (d, services) => inputPath(scopeOf(d, d.input, services)),
    parameters: (d, effective, services, context) => (params ? params(scopeOf(d, effective, services, context)) : effective),
    finish(d, result, services) {
      const selected = selector ? selector(scopeOf(d, result, services)) : result;
      const assigned = assign?.(scopeOf(d, selected, services), bindingsOf(d, services));
      const placed = resultPath(d.input, selected);
      const output = outputPath(scopeOf(d, placed, services));
      checkSize(output);
      return { output, assigned };
    },
  };
}

function compileJsonataIO(s: Fields, options: StateIOOptions): StateIO {
  const field = options.parametersField === "ItemSelector" ? "ItemSelector" : "Arguments";
  const args = s[field] !== undefined ? compileJsonataValue(s[field] as Json, field) : undefined;
  const output = s["Output"] !== undefined ? compileJsonataValue(s["Output"] as Json, "Output") : undefined;
  const assign = compileAssign(s["Assign"] as JsonObject | undefined, "JSONata");
  return {
    language: "JSONata",
    effectiveInput: (d) => d.input,
    parameters: (d, effective, services, context) =>
      args ? args.evaluate(bindingsOf(d, services, context ? { context } : {})) : effective,
    finish(d, result, services) {
      const b = bindingsOf(d, services, options.defaultOutput === "result" ? { result } : {});
      const assigned = assign?.(scopeOf(d, result, services), b);
      const out = output ? output.evaluate(b) : options.defaultOutput === "result" ? result : d.input;
      checkSize(out);
      return { output: out, assigned };
    },
  };
}

/** States.DataLimitExceeded when a payload (a long string too) is over 256 KiB (a quick length test first). */
export function checkSize(value: Json, what = "state output"): void {
  if (typeof value !== "object" && typeof value !== "string") return;
  if (value === null) return;
  const text = jsonTextOf(value);
  if (text.length * 3 < PAYLOAD_LIMIT_BYTES) return;
  if (Buffer.byteLength(text, "utf8") > PAYLOAD_LIMIT_BYTES) {
    throw new StatesError(
      STATES_ERRORS.DataLimitExceeded,
      `The ${what} has a size exceeding the maximum number of bytes service limit (${PAYLOAD_LIMIT_BYTES}).`,
    );
  }
}
