/**
 * QueryLanguage: "JSONPath" (the default) or "JSONata", at the top level and per state.
 * A state without its own inherits the top-level value (nested states too); under a JSONata
 * top level no state may choose JSONPath.
 * https://docs.aws.amazon.com/step-functions/latest/dg/statemachine-structure.html
 */
import { pointer, type Diagnostics } from "../../diagnostics.js";
import type { QueryLanguage } from "../../model.js";
import type { JsonObject } from "../../../json.js";
import { checkEnum, has } from "../checks.js";
import { CODES } from "../codes.js";

export const QUERY_LANGUAGES: readonly QueryLanguage[] = ["JSONPath", "JSONata"];

/** The definition's QueryLanguage; JSONPath when absent or invalid (the invalid value is reported). */
export function topLevelLanguage(diags: Diagnostics, definition: JsonObject): QueryLanguage {
  if (!has(definition, "QueryLanguage")) return "JSONPath";
  const value = definition["QueryLanguage"];
  return checkEnum(diags, "/QueryLanguage", "QueryLanguage", value, QUERY_LANGUAGES) ? value : "JSONPath";
}

/** A state's effective QueryLanguage. */
export function stateLanguage(diags: Diagnostics, location: string, state: JsonObject, top: QueryLanguage): QueryLanguage {
  if (!has(state, "QueryLanguage")) return top;
  const at = pointer(location, "QueryLanguage");
  const value = state["QueryLanguage"];
  if (!checkEnum(diags, at, "QueryLanguage", value, QUERY_LANGUAGES)) return top;
  if (top === "JSONata" && value === "JSONPath") {
    diags.error(at, CODES.Schema, `QueryLanguage must be "JSONata" when the state machine's top-level QueryLanguage is "JSONata", found "JSONPath".`);
    return top;
  }
  return value;
}
