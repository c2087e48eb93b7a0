/** A definition that does not load becomes InvalidDefinition, with every problem and its location. */
import { DefinitionError, type Diagnostic } from "../../translators/asl/diagnostics.js";
import type { CompiledStateMachine } from "../../translators/load.js";
import { expressProblems } from "../../translators/asl/validate/express.js";
import type { Engine, StateMachineType } from "../engine/engine.js";
import { ApiError } from "./errors.js";

/** AWS's wording: `Invalid State Machine Definition: 'CODE: message at /path'`. */
export function describeDiagnostics(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === "ERROR");
  return `Invalid State Machine Definition: '${errors.map((d) => `${d.code}: ${d.message} at ${d.location || "/"}`).join(", ")}'`;
}

/** Compiles `definition` or throws InvalidDefinition (also for what an EXPRESS machine cannot run). */
export function compileOrThrow(engine: Engine, definition: string, type: StateMachineType): CompiledStateMachine {
  let compiled: CompiledStateMachine;
  try {
    compiled = engine.compile(definition);
  } catch (e) {
    if (e instanceof DefinitionError) throw new ApiError("InvalidDefinition", describeDiagnostics(e.diagnostics));
    throw e;
  }
  const express = type === "EXPRESS" ? expressProblems(definition) : [];
  if (express.length > 0) throw new ApiError("InvalidDefinition", describeDiagnostics(express));
  return compiled;
}
