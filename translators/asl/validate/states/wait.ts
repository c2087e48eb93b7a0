/**
 * Wait: exactly one of Seconds (integer 0..99999999), Timestamp (RFC 3339, uppercase T and
 * Z), SecondsPath or TimestampPath (JSONPath only, reference paths). In JSONata states
 * Seconds and Timestamp may be `{% %}` expressions.
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-wait.html
 */
import { pointer } from "../../diagnostics.js";
import { MAX_SECONDS, mismatch, isExpression } from "../checks.js";
import { CODES } from "../codes.js";
import { fieldOf, hasField, stateHost, type Host } from "../fields/host.js";
import { checkNumeric } from "../fields/numeric.js";
import { checkPathField } from "../fields/paths.js";
import { BASE_FIELDS, FLOW_FIELDS, IO_PATHS, type StateSpec } from "./spec.js";

const WAIT_FIELDS = ["Seconds", "Timestamp", "SecondsPath", "TimestampPath"];

/** RFC 3339 date-time as AWS accepts it: uppercase T, and Z or a numeric offset. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export const waitState: StateSpec = {
  fields: {
    both: [...BASE_FIELDS, ...FLOW_FIELDS, "Seconds", "Timestamp"],
    JSONPath: [...IO_PATHS, "SecondsPath", "TimestampPath"],
    JSONata: ["Output"],
  },
  transition: "next-or-end",
  validate(input) {
    const host = stateHost(input);
    checkExactlyOne(host);
    checkNumeric(host, { field: "Seconds", integer: true, min: 0, max: MAX_SECONDS });
    checkTimestamp(host);
    checkPathField(host, "SecondsPath", "reference");
    checkPathField(host, "TimestampPath", "reference");
  },
};

function checkExactlyOne(host: Host): void {
  const present = WAIT_FIELDS.filter((f) => hasField(host, f));
  const names = WAIT_FIELDS.filter((f) => host.allowed.has(f)).join(", ");
  if (present.length === 0) {
    host.diags.error(host.location, CODES.Schema, `A Wait state must have exactly one of ${names}, found none.`);
  }
  for (const extra of present.slice(1)) {
    host.diags.error(pointer(host.location, extra), CODES.Schema, `A Wait state must have exactly one of ${names}, found ${present.join(" and ")}.`);
  }
}

function checkTimestamp(host: Host): void {
  if (!hasField(host, "Timestamp")) return;
  const value = fieldOf(host, "Timestamp");
  if (host.language === "JSONata" && isExpression(value)) return;
  if (typeof value === "string" && TIMESTAMP.test(value) && !Number.isNaN(Date.parse(value))) return;
  const expected = "an RFC 3339 timestamp such as \"2026-03-14T01:59:00Z\"" + (host.language === "JSONata" ? " or a JSONata expression" : "");
  mismatch(host.diags, pointer(host.location, "Timestamp"), "Timestamp", expected, value);
}
