/**
 * Assign: an object whose keys are variable names. Names follow Unicode identifier rules
 * (ID_Start then ID_Continue characters), are at most 80 characters, and `states` is reserved
 * ($states). In JSONPath states a key ending in `.$` takes a path or intrinsic function.
 * https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html
 */
import { pointer, type Diagnostics } from "../../diagnostics.js";
import type { QueryLanguage } from "../../model.js";
import { checkObject } from "../checks.js";
import { CODES } from "../codes.js";
import { checkDynamicValue, checkPayloadTemplate } from "./payload.js";
import { fieldOf, hasField, type Host } from "./host.js";

const MAX_NAME_LENGTH = 80;
/** Unicode identifiers (UAX #31); a leading underscore is accepted as in JavaScript. */
const IDENTIFIER = /^[\p{ID_Start}_]\p{ID_Continue}*$/u;
const RESERVED = new Set(["states"]);

/** Checks the Assign field of a state or a Catcher/Choice rule held by `host`. */
export function checkAssignField(host: Host): void {
  if (hasField(host, "Assign")) checkAssign(host.diags, pointer(host.location, "Assign"), fieldOf(host, "Assign"), host.language);
}

/** Checks one Assign object. */
export function checkAssign(diags: Diagnostics, location: string, value: unknown, language: QueryLanguage): void {
  if (!checkObject(diags, location, "Assign", value)) return;
  const seen = new Set<string>();
  for (const [key, item] of Object.entries(value)) {
    const at = pointer(location, key);
    const dynamic = language === "JSONPath" && key.endsWith(".$");
    const name = dynamic ? key.slice(0, -2) : key;
    checkVariableName(diags, at, name, language);
    if (seen.has(name)) diags.error(at, CODES.Schema, `Assign sets variable '${name}' more than once.`);
    seen.add(name);
    if (dynamic) checkDynamicValue(diags, at, key, item);
    else if (language === "JSONPath") checkPayloadTemplate(diags, at, item);
  }
}

function checkVariableName(diags: Diagnostics, location: string, name: string, language: QueryLanguage): void {
  const hint = language === "JSONata" && name.endsWith(".$") ? " (JSONata states do not use '.$' keys: write the value as '{% ... %}')" : "";
  if (!IDENTIFIER.test(name)) {
    diags.error(location, CODES.Schema, `Variable name ${JSON.stringify(name)} is invalid: it must start with a letter or '_' and hold only letters, digits and '_'${hint}.`);
  } else if (name.length > MAX_NAME_LENGTH) {
    diags.error(location, CODES.Schema, `Variable name '${name}' is ${name.length} characters long; the maximum is ${MAX_NAME_LENGTH}.`);
  } else if (RESERVED.has(name)) {
    diags.error(location, CODES.Schema, `Variable name '${name}' is reserved ($${name} is set by Step Functions).`);
  }
}
