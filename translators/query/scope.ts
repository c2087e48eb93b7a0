import type { Json, JsonObject } from "../json.js";

/**
 * Injected non-determinism: translators never call Math.random or crypto.randomUUID
 * themselves (STYLE.md 6), so tests can make runs repeatable.
 */
export interface Randomness {
  /** A float in [0, 1). */
  random(): number;
  /** A version-4 UUID string. */
  uuid(): string;
}

/** Everything an expression may read while a state runs. */
export interface EvalScope {
  /** `$` in JSONPath (the state's effective input at this step of the data flow). */
  readonly input: Json;
  /** `$$`, the context object. */
  readonly context: JsonObject;
  /** Workflow variables in scope (`$name`). */
  readonly vars: Readonly<Record<string, Json>>;
  readonly randomness: Randomness;
}
