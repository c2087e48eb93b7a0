/**
 * One validator per state type (a typed table: adding a StateType without one fails to
 * compile), and the steps every state goes through: object shape, Type, QueryLanguage,
 * allowed fields, common fields, Next/End, then the type's own checks.
 * https://docs.aws.amazon.com/step-functions/latest/dg/workflow-states.html
 */
import { pointer } from "../../diagnostics.js";
import type { StateType } from "../../model.js";
import { checkEnum, checkObject, has } from "../checks.js";
import { CODES } from "../codes.js";
import type { Scope, StateInput, ValidationContext } from "../context.js";
import { checkCommonFields } from "../fields/common.js";
import { allowedFields, checkKnownFields } from "../fields/known-fields.js";
import { stateLanguage } from "../fields/query-language.js";
import { checkNextOrEnd } from "../fields/transitions.js";
import { choiceState } from "./choice.js";
import { failState } from "./fail.js";
import { mapState } from "./map.js";
import { parallelState } from "./parallel.js";
import { passState } from "./pass.js";
import type { StateSpec } from "./spec.js";
import { succeedState } from "./succeed.js";
import { taskState } from "./task.js";
import { waitState } from "./wait.js";

export const STATE_SPECS = {
  Pass: passState,
  Task: taskState,
  Choice: choiceState,
  Wait: waitState,
  Succeed: succeedState,
  Fail: failState,
  Parallel: parallelState,
  Map: mapState,
} as const satisfies Record<StateType, StateSpec>;

export const STATE_TYPES = Object.keys(STATE_SPECS) as StateType[];

/** Validates the state `name` of `scope`, found at `location`. */
export function validateState(ctx: ValidationContext, scope: Scope, name: string, raw: unknown, location: string): void {
  const { diags } = ctx;
  if (!checkObject(diags, location, `State '${name}'`, raw)) return;
  if (!has(raw, "Type")) {
    diags.error(location, CODES.Schema, `State '${name}' must have Type (one of ${STATE_TYPES.join(", ")}), found none.`);
    return;
  }
  const type = raw["Type"];
  if (!checkEnum(diags, pointer(location, "Type"), "Type", type, STATE_TYPES)) return;
  const spec: StateSpec = STATE_SPECS[type];
  const language = stateLanguage(diags, location, raw, ctx.topLanguage);
  checkKnownFields(diags, location, raw, spec.fields, language, `by ${type} states`);
  const allowed = allowedFields(spec.fields, language);
  const input: StateInput = { ctx, scope, name, type, state: raw, location, language, allowed };
  checkCommonFields(input);
  if (spec.transition === "next-or-end") checkNextOrEnd(input);
  spec.validate(input);
}
