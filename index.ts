/** The `aslan` package API. */
import { Engine, type EngineOptions } from "./runtime/index.js";

export * from "./runtime/index.js";
export * from "./translators/index.js";

/** A long-lived embedded engine (state machines, executions, callbacks). */
export function createEngine(options: EngineOptions = {}): Engine {
  return new Engine(options);
}
