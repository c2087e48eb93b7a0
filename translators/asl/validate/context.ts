/**
 * What validators share while one definition is walked: the diagnostics, the machine's
 * query language, names seen across every scope, and the transitions of the current scope.
 */
import type { Diagnostics } from "../diagnostics.js";
import type { QueryLanguage, StateType } from "../model.js";
import type { JsonObject } from "../../json.js";

/** The kind of (sub)machine: the definition itself, a Parallel branch, or a Map's ItemProcessor/Iterator. */
export type MachineKind = "top" | "branch" | "processor";

/** One definition-wide walk. */
export interface ValidationContext {
  readonly diags: Diagnostics;
  /** The top-level QueryLanguage; states without their own inherit it (nested states too). */
  readonly topLanguage: QueryLanguage;
  /** Every state name seen so far (names are unique in the whole machine) → its pointer. */
  readonly stateNames: Map<string, string>;
  /** Every Map Label seen so far → its pointer. */
  readonly labels: Map<string, string>;
  /** Validates a nested machine with its own scope (injected, so states need not import machine.ts). */
  validateSubMachine(raw: unknown, location: string, kind: MachineKind): void;
}

/** A transition found in a state, checked once the whole scope is known. */
export interface Edge {
  readonly from: string;
  readonly to: string;
  /** Pointer of the field naming the target, e.g. /States/A/Catch/0/Next. */
  readonly location: string;
}

/** The states of one (sub)machine: transitions may only name states of the same scope. */
export interface Scope {
  /** Pointer of the (sub)machine object ("" for the definition). */
  readonly base: string;
  readonly names: ReadonlySet<string>;
  readonly edges: Edge[];
}

/** Everything a state validator needs about the state at hand. */
export interface StateInput {
  readonly ctx: ValidationContext;
  readonly scope: Scope;
  readonly name: string;
  readonly type: StateType;
  readonly state: JsonObject;
  /** Pointer of the state, e.g. /States/Charge. */
  readonly location: string;
  /** The state's effective query language. */
  readonly language: QueryLanguage;
  /** Fields allowed for this state type and query language. */
  readonly allowed: ReadonlySet<string>;
}

/** True when the state carries `field` and it is allowed there (disallowed ones are already reported). */
export const present = (input: StateInput, field: string): boolean =>
  Object.prototype.hasOwnProperty.call(input.state, field) && input.allowed.has(field);

/** Records a transition to be checked against the scope. */
export const addEdge = (input: StateInput, to: string, location: string): void => {
  input.scope.edges.push({ from: input.name, to, location });
};
