/** Builders and views for the validator's tests. */
import type { Diagnostic } from "../../diagnostics.js";
import { validateDefinition } from "../index.js";

type Obj = Record<string, unknown>;

/** A definition whose StartAt is its first state. */
export const machine = (states: Obj, extra: Obj = {}): Obj => ({ StartAt: Object.keys(states)[0], States: states, ...extra });

/** A definition holding `state` as "A", followed by an end state "Done" when A goes Next. */
export const single = (state: Obj, extra: Obj = {}): Obj =>
  machine(state["Next"] === "Done" ? { A: state, Done: { Type: "Succeed" } } : { A: state }, extra);

export const errorsOf = (raw: unknown): Diagnostic[] => validateDefinition(raw).filter((d) => d.severity === "ERROR");

/** Every error as "CODE location", in order. */
export const problems = (raw: unknown): string[] => errorsOf(raw).map((d) => `${d.code} ${d.location}`);

/** Every warning as "CODE location". */
export const warnings = (raw: unknown): string[] =>
  validateDefinition(raw)
    .filter((d) => d.severity === "WARNING")
    .map((d) => `${d.code} ${d.location}`);

/** The messages of every error. */
export const messages = (raw: unknown): string[] => errorsOf(raw).map((d) => d.message);

export const SCHEMA = "SCHEMA_VALIDATION_FAILED";
