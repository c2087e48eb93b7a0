/**
 * ValidateStateMachineDefinition: every problem of a definition as diagnostics, never an
 * InvalidDefinition error. `result` is FAIL only when there is an ERROR (warnings alone
 * leave it OK); `severity` is the lowest severity listed (ERROR, the default, lists errors
 * only); at most `maxResults` (0 or absent: 100) are listed, `truncated` says when more exist.
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_ValidateStateMachineDefinition.html
 */
import type { Diagnostic } from "../../../translators/asl/diagnostics.js";
import { expressProblems } from "../../../translators/asl/validate/express.js";
import { validateDefinition } from "../../../translators/asl/validate/index.js";
import { checkDefinition } from "../../../translators/load.js";
import type { StateMachineType } from "../../engine/engine.js";
import type { ActionTable, ApiContext } from "../context.js";
import { ApiError } from "../errors.js";
import { optionalEnum, optionalInteger, type Body } from "../fields.js";
import { MAX_DEFINITION_LENGTH } from "./state-machines.js";

const DEFAULT_MAX_RESULTS = 100;

/** One diagnostic as the API returns it; `location` is a JSON pointer, "/" for the whole definition. */
function toWire(d: Diagnostic): Record<string, string> {
  return { severity: d.severity, code: d.code, message: d.message, location: d.location || "/" };
}

/** AWS answers an empty definition with this one diagnostic (recorded), not MISSING_DESCRIPTION. */
const EMPTY_DEFINITION = { severity: "ERROR", code: "SCHEMA_VALIDATION_FAILED", message: "Definition must be a valid JSON object" };

/** Structure first; compile-time problems (expressions, paths) once the structure holds. */
export function diagnose(definition: string, type: StateMachineType, ctx: ApiContext): Diagnostic[] {
  const found = validateDefinition(definition);
  if (found.some((d) => d.severity === "ERROR")) return found;
  const randomness = { random: () => ctx.engine.random(), uuid: () => ctx.engine.uuid() };
  const compiled = checkDefinition(definition, { randomness }).filter((d) => d.severity === "ERROR");
  const express = type === "EXPRESS" ? expressProblems(definition) : [];
  return [...found, ...compiled, ...express];
}

/** `definition` is sensitive: AWS's validation messages leave its value out. */
export function readDefinition(body: Body): string {
  const v = body["definition"];
  const invalid = (constraint: string): ApiError => new ApiError("ValidationException", `1 validation error detected: Value at 'definition' failed to satisfy constraint: ${constraint}`);
  if (v === undefined || v === null) throw invalid("Member must not be null");
  if (typeof v !== "string") throw new ApiError("SerializationException", "Field 'definition' must be a string");
  if (v.length > MAX_DEFINITION_LENGTH) throw invalid(`Member must have length less than or equal to ${MAX_DEFINITION_LENGTH}`);
  return v;
}

export const validateActions: ActionTable = {
  ValidateStateMachineDefinition(body, ctx) {
    // An empty definition is not a ValidationException here: AWS answers it with a diagnostic.
    const definition = readDefinition(body);
    const type = optionalEnum(body, "type", ["STANDARD", "EXPRESS"] as const) ?? "STANDARD";
    const severity = optionalEnum(body, "severity", ["ERROR", "WARNING"] as const) ?? "ERROR";
    const maxResults = optionalInteger(body, "maxResults", 0, DEFAULT_MAX_RESULTS) || DEFAULT_MAX_RESULTS;
    if (definition.trim() === "") return { result: "FAIL", diagnostics: [EMPTY_DEFINITION], truncated: false };
    const all = diagnose(definition, type, ctx);
    const listed = all.filter((d) => severity === "WARNING" || d.severity === "ERROR");
    return {
      result: all.some((d) => d.severity === "ERROR") ? "FAIL" : "OK",
      diagnostics: listed.slice(0, maxResults).map(toWire),
      truncated: listed.length > maxResults,
    };
  },
};
