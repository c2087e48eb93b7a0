/**
 * Structural validation of a whole Amazon States Language definition, both query languages:
 * every problem at once, each with an AWS ValidateStateMachineDefinition code and a JSON
 * pointer. Expression syntax (JSONata, intrinsic functions) and Task resources are checked
 * by their own modules.
 * https://states-language.net/spec.html
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-amazon-states-language.html
 */
import { Diagnostics, type Diagnostic } from "../diagnostics.js";
import { isObject } from "../../json.js";
import { parseDefinitionText } from "../parse.js";
import { mismatch } from "./checks.js";
import { CODES } from "./codes.js";
import type { ValidationContext } from "./context.js";
import { topLevelLanguage } from "./fields/query-language.js";
import { validateMachine } from "./machine.js";
import { collectStateNames } from "./names.js";

export { CODES } from "./codes.js";

/**
 * Returns every problem of `raw`, a parsed definition (a string is parsed first); `[]` when
 * it is valid. Warnings (severity "WARNING") do not make a definition invalid.
 */
export function validateDefinition(raw: unknown): Diagnostic[] {
  if (typeof raw === "string") {
    const parsed = parseDefinitionText(raw);
    if (parsed.value === undefined) return parsed.diagnostics;
    return [...parsed.diagnostics, ...validateDefinition(parsed.value)];
  }
  const diags = new Diagnostics();
  if (raw === undefined || raw === null) {
    diags.error("", CODES.MissingDescription, "The state machine definition is empty: expected a JSON object with StartAt and States.");
  } else if (!isObject(raw)) {
    mismatch(diags, "", "The state machine definition", "a JSON object with StartAt and States", raw);
  } else {
    const ctx = createContext(diags, topLevelLanguage(diags, raw));
    collectStateNames(ctx, raw, "");
    validateMachine(ctx, raw, "", "top");
  }
  return diags.items;
}

function createContext(diags: Diagnostics, topLanguage: ValidationContext["topLanguage"]): ValidationContext {
  const ctx: ValidationContext = {
    diags,
    topLanguage,
    stateNames: new Map(),
    labels: new Map(),
    validateSubMachine: (machine, location, kind) => validateMachine(ctx, machine, location, kind),
  };
  return ctx;
}
