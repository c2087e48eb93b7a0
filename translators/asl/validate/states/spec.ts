/**
 * What each state-type module provides: its field table by query language, whether it ends
 * with Next/End, and its own checks. Field tables follow the per-type pages of
 * https://docs.aws.amazon.com/step-functions/latest/dg/workflow-states.html
 */
import type { StateInput } from "../context.js";
import type { FieldSets } from "../fields/known-fields.js";

export interface StateSpec {
  readonly fields: FieldSets;
  /** "next-or-end": exactly one of Next / "End": true; "none": neither (Choice, Succeed, Fail). */
  readonly transition: "next-or-end" | "none";
  /** Type-specific checks (common fields and Next/End are checked before). */
  validate(input: StateInput): void;
}

/** Fields every state type has. */
export const BASE_FIELDS = ["Type", "Comment", "QueryLanguage"] as const;
/** Fields of states that continue: Next/End and Assign. */
export const FLOW_FIELDS = ["Next", "End", "Assign"] as const;
/** JSONPath input/output filters. */
export const IO_PATHS = ["InputPath", "OutputPath"] as const;
