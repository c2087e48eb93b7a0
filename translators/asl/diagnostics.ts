/**
 * Definition errors (STYLE.md 7, 8): every problem found when a definition is loaded,
 * each with a JSON pointer into the definition. Validation collects them all.
 * Shape follows AWS ValidateStateMachineDefinition's diagnostics (severity, code, message, location).
 */
export type Severity = "ERROR" | "WARNING";

export interface Diagnostic {
  readonly severity: Severity;
  /** AWS-style code, e.g. SCHEMA_VALIDATION_FAILED, MISSING_TRANSITION_TARGET. */
  readonly code: string;
  /** A JSON pointer into the definition, e.g. /States/Charge/Retry/0/BackoffRate. */
  readonly location: string;
  /** One sentence: the field, what was expected, what was found. */
  readonly message: string;
}

/** Collects diagnostics while a definition is walked. */
export class Diagnostics {
  readonly items: Diagnostic[] = [];
  error(location: string, code: string, message: string): void {
    this.items.push({ severity: "ERROR", code, location, message });
  }
  warning(location: string, code: string, message: string): void {
    this.items.push({ severity: "WARNING", code, location, message });
  }
  get hasErrors(): boolean {
    return this.items.some((d) => d.severity === "ERROR");
  }
}

/** Escapes one JSON pointer token (RFC 6901). */
export const pointerToken = (key: string | number): string =>
  String(key).replace(/~/g, "~0").replace(/\//g, "~1");

export const pointer = (base: string, ...keys: (string | number)[]): string =>
  base + keys.map((k) => "/" + pointerToken(k)).join("");

/** Thrown when a definition cannot be loaded; carries every diagnostic. */
export class DefinitionError extends Error {
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(
      "Invalid state machine definition:\n" +
        diagnostics.map((d) => `  ${d.severity} ${d.location || "/"}: ${d.message} [${d.code}]`).join("\n"),
    );
    this.name = "DefinitionError";
  }
}
