/**
 * A state's data flow, as translators/xstate/state-io.ts composes it from the same compiled
 * pieces, with every intermediate value kept for InspectionData.
 * JSONPath: InputPath → Parameters → (work) → ResultSelector → ResultPath → OutputPath.
 * JSONata: Arguments → (work) → Output, with Assign beside Output.
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-input-output-filtering.html
 * https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html
 */
import type { QueryLanguage, State } from "../asl/model.js";
import { compileAssign } from "../dataflow/assign.js";
import { compilePayloadTemplate } from "../dataflow/payload-template.js";
import { compileResultPath, compileSelectPath } from "../dataflow/paths.js";
import type { Json, JsonObject } from "../json.js";
import { compileJsonataValue } from "../query/jsonata.js";
import type { ActorData } from "../xstate/actor-data.js";
import { checkSize } from "../xstate/state-io.js";
import { bindingsOf, scopeOf, type CompileServices } from "../xstate/step.js";
import type { Inspection } from "./model.js";

export interface TracedIO {
  /** InputPath (recorded as afterInputPath); JSONata: the raw input, nothing recorded. */
  effectiveInput(d: ActorData, context: JsonObject, inspection: Inspection): Json;
  /** Parameters (afterParameters) or Arguments (afterArguments) over the effective input. */
  payload(d: ActorData, effective: Json, context: JsonObject, inspection: Inspection): Json;
  /** From the work's result to the state's output and assigned variables. */
  finish(d: ActorData, result: Json, context: JsonObject, inspection: Inspection): { output: Json; assigned: JsonObject | undefined };
}

export interface TracedIOOptions {
  readonly parametersField?: "Parameters" | "Arguments";
  /** JSONata: what the output is when Output is absent. */
  readonly defaultOutput: "result" | "input";
}

type Fields = Partial<Record<string, unknown>>;

export function compileTracedIO(state: State, language: QueryLanguage, options: TracedIOOptions, services: CompileServices): TracedIO {
  const fields = state as unknown as Fields;
  return language === "JSONata" ? jsonataIO(fields, options, services) : jsonPathIO(fields, options, services);
}

function jsonPathIO(s: Fields, options: TracedIOOptions, services: CompileServices): TracedIO {
  const inputPath = compileSelectPath(s["InputPath"] as string | null | undefined);
  const template = options.parametersField && s[options.parametersField] !== undefined ? compilePayloadTemplate(s[options.parametersField] as Json) : undefined;
  const selector = s["ResultSelector"] !== undefined ? compilePayloadTemplate(s["ResultSelector"] as Json) : undefined;
  const resultPath = compileResultPath(s["ResultPath"] as string | null | undefined);
  const outputPath = compileSelectPath(s["OutputPath"] as string | null | undefined);
  const assign = compileAssign(s["Assign"] as JsonObject | undefined, "JSONPath");
  return {
    effectiveInput(d, context, inspection) {
      return (inspection.afterInputPath = inputPath(scopeOf(d, d.input, services, context)));
    },
    payload(d, effective, context, inspection) {
      return (inspection.afterParameters = template ? template(scopeOf(d, effective, services, context)) : effective);
    },
    finish(d, result, context, inspection) {
      const selected = (inspection.afterResultSelector = selector ? selector(scopeOf(d, result, services, context)) : result);
      const assigned = assign?.(scopeOf(d, selected, services, context), bindingsOf(d, services, { context }));
      const placed = (inspection.afterResultPath = resultPath(d.input, selected));
      const output = outputPath(scopeOf(d, placed, services, context));
      checkSize(output);
      return { output, assigned };
    },
  };
}

function jsonataIO(s: Fields, options: TracedIOOptions, services: CompileServices): TracedIO {
  const args = s["Arguments"] !== undefined ? compileJsonataValue(s["Arguments"] as Json, "Arguments") : undefined;
  const output = s["Output"] !== undefined ? compileJsonataValue(s["Output"] as Json, "Output") : undefined;
  const assign = compileAssign(s["Assign"] as JsonObject | undefined, "JSONata");
  return {
    effectiveInput: (d) => d.input,
    payload(d, effective, context, inspection) {
      return (inspection.afterArguments = args ? args.evaluate(bindingsOf(d, services, { context })) : effective);
    },
    finish(d, result, context) {
      const withResult = options.defaultOutput === "result";
      const b = bindingsOf(d, services, withResult ? { result, context } : { context });
      const assigned = assign?.(scopeOf(d, result, services, context), b);
      const out = output ? output.evaluate(b) : withResult ? result : d.input;
      checkSize(out);
      return { output: out, assigned };
    },
  };
}
