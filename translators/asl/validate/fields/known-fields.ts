/**
 * Which fields an object may carry, by query language. A field of the other language gets
 * its own message ("JSONata fields in a JSONPath state, and the reverse"), an unknown field
 * another; AWS reports both as SCHEMA_VALIDATION_FAILED.
 * https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html
 */
import { pointer, type Diagnostics } from "../../diagnostics.js";
import type { QueryLanguage } from "../../model.js";
import type { JsonObject } from "../../../json.js";
import { CODES } from "../codes.js";

/** The fields an object allows in both query languages, and in one of them only. */
export interface FieldSets {
  readonly both: readonly string[];
  readonly JSONPath: readonly string[];
  readonly JSONata: readonly string[];
}

const OTHER: Record<QueryLanguage, QueryLanguage> = { JSONPath: "JSONata", JSONata: "JSONPath" };

/** The fields allowed for `language`. */
export const allowedFields = (sets: FieldSets, language: QueryLanguage): ReadonlySet<string> =>
  new Set([...sets.both, ...sets[language]]);

/**
 * Reports every field of `object` that `sets` does not allow for `language`.
 * `owner` completes "Field 'X' is not supported …", e.g. "by Task states", "in a Retrier".
 */
export function checkKnownFields(
  diags: Diagnostics,
  location: string,
  object: JsonObject,
  sets: FieldSets,
  language: QueryLanguage,
  owner: string,
): void {
  const allowed = allowedFields(sets, language);
  const other = OTHER[language];
  for (const key of Object.keys(object)) {
    if (allowed.has(key)) continue;
    const at = pointer(location, key);
    if (sets[other].includes(key)) {
      diags.error(at, CODES.Schema, `Field '${key}' is only supported in ${other} states, but this state uses ${language}.`);
    } else {
      diags.error(at, CODES.Schema, `Field '${key}' is not supported ${owner}.`);
    }
  }
}
