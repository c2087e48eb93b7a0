/** A definition that does not load becomes InvalidDefinition, with every problem and its location. */
import { DefinitionError, type Diagnostic } from "../../translators/asl/diagnostics.js";
import type { CompiledStateMachine } from "../../translators/load.js";
import type { Engine } from "../engine/engine.js";
import { ApiError } from "./errors.js";

/** AWS's wording: `Invalid State Machine Definition: 'CODE: message at /path'`. */
export function describeDiagnostics(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === "ERROR");
  return `Invalid State Machine Definition: '${errors.map((d) => `${d.code}: ${d.message} at ${d.location || "/"}`).join(", ")}'`;
}

/** Compiles `definition` or throws InvalidDefinition. */
export function compileOrThrow(engine: Engine, definition: string): CompiledStateMachine {
  try {
    return engine.compile(definition);
  } catch (e) {
    if (e instanceof DefinitionError) throw new ApiError("InvalidDefinition", describeDiagnostics(e.diagnostics));
    throw e;
  }
}
