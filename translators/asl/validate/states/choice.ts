/**
 * Choice: Choices (a non-empty array of rules) and an optional Default; no Next or End.
 * JSONPath rules are checked by the Choice module (`validateChoiceRule`), JSONata rules by
 * ./choice-rules.ts; the transitions of both are recorded here for the scope's graph check.
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html
 */
import { pointer } from "../../diagnostics.js";
import { isObject } from "../../../json.js";
import { validateChoiceRule } from "../../../choice/index.js";
import { checkArray, has } from "../checks.js";
import { CODES } from "../codes.js";
import { addEdge, present, type StateInput } from "../context.js";
import { checkAssign } from "../fields/assign.js";
import { checkTarget } from "../fields/transitions.js";
import { checkJsonataRule } from "./choice-rules.js";
import { BASE_FIELDS, IO_PATHS, type StateSpec } from "./spec.js";

export const choiceState: StateSpec = {
  fields: {
    both: [...BASE_FIELDS, "Choices", "Default", "Assign"],
    JSONPath: [...IO_PATHS],
    JSONata: ["Output"],
  },
  transition: "none",
  validate(input) {
    checkChoices(input);
    if (present(input, "Default")) checkTarget(input, input.state["Default"], pointer(input.location, "Default"), "Default");
  },
};

function checkChoices(input: StateInput): void {
  const diags = input.ctx.diags;
  if (!has(input.state, "Choices")) {
    diags.error(input.location, CODES.Schema, "A Choice state must have Choices (a non-empty array of Choice rules), found none.");
    return;
  }
  const at = pointer(input.location, "Choices");
  const choices = input.state["Choices"];
  if (!checkArray(diags, at, "Choices", choices, true)) return;
  choices.forEach((rule, i) => {
    if (input.language === "JSONata") checkJsonataRule(input, rule, pointer(at, i));
    else checkJsonPathRule(input, rule, pointer(at, i));
  });
}

/**
 * The Choice module checks the rule, its Next and that Assign is an object; the transition and
 * the variables Assign sets are checked here.
 */
function checkJsonPathRule(input: StateInput, rule: unknown, location: string): void {
  validateChoiceRule(rule, location, input.ctx.diags, true);
  if (!isObject(rule)) return;
  const next = rule["Next"];
  if (typeof next === "string" && next.length > 0) addEdge(input, next, pointer(location, "Next"));
  if (isObject(rule["Assign"])) checkAssign(input.ctx.diags, pointer(location, "Assign"), rule["Assign"], "JSONPath");
}
