/**
 * JSONata results to plain JSON. The library returns arrays flagged as sequences, objects
 * without a prototype, functions (lambdas, regexes, built-ins) and non-finite numbers; a state's
 * data must be plain JSON values.
 */
import type { Json, JsonObject } from "../json.js";

/** Thrown when a result holds a function, which AWS reports as an unsupported result type. */
export class UnsupportedResult extends Error {
  constructor() {
    super("unsupported result type");
    this.name = "UnsupportedResult";
  }
}

const isFunctionValue = (v: object): boolean =>
  typeof v === "function" || "_jsonata_lambda" in v || "_jsonata_function" in v;

/**
 * A deep plain copy of a JSONata result: `undefined` stays `undefined` (the caller reports it),
 * `undefined` members and elements are dropped as JSONata drops them, `-0` becomes `0`, and
 * non-finite numbers become the strings "Infinity", "-Infinity" and "NaN" (what AWS prints,
 * by third-party measurement). Throws UnsupportedResult for a function anywhere in the value.
 */
export function toPlainJson(value: unknown): Json | undefined {
  switch (typeof value) {
    case "undefined":
    case "boolean":
    case "string":
      return value;
    case "number":
      return Number.isFinite(value) ? value + 0 : String(value);
    case "function":
      throw new UnsupportedResult();
    case "object":
      return value === null ? null : copyObject(value);
    default:
      throw new UnsupportedResult();
  }
}

function copyObject(value: object): Json {
  if (isFunctionValue(value)) throw new UnsupportedResult();
  if (Array.isArray(value)) {
    const out: Json[] = [];
    for (const item of value as unknown[]) {
      const v = toPlainJson(item);
      if (v !== undefined) out.push(v);
    }
    return out;
  }
  const out: JsonObject = {};
  for (const [k, item] of Object.entries(value)) {
    const v = toPlainJson(item);
    if (v !== undefined) out[k] = v;
  }
  return out;
}
