/**
 * Fields that exclude each other: a value and its *Path twin (TimeoutSeconds and
 * TimeoutSecondsPath, Error and ErrorPath, ...), ItemProcessor and the legacy Iterator,
 * ItemSelector and the legacy Parameters.
 * https://states-language.net/spec.html
 */
import { pointer } from "../../diagnostics.js";
import { CODES } from "../codes.js";
import { hasField, type Host } from "./host.js";

/** Reports every present field of `fields` after the first: they exclude each other. */
export function checkExclusive(host: Host, fields: readonly string[]): void {
  const present = fields.filter((f) => hasField(host, f));
  for (const extra of present.slice(1)) {
    host.diags.error(
      pointer(host.location, extra),
      CODES.Schema,
      `Fields ${present.map((f) => `'${f}'`).join(" and ")} exclude each other: use only one of ${fields.map((f) => `'${f}'`).join(", ")}.`,
    );
  }
}
