/** A JSON value, as ASL data flows carry it. */
export type Json = null | boolean | number | string | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

export const isObject = (v: unknown): v is JsonObject =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Structural equality of two JSON values (key order ignored). */
export function jsonEquals(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEquals(x, b[i] as Json));
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => k in b && jsonEquals(a[k] as Json, b[k] as Json));
  }
  return false;
}

/** JSON text as AWS prints it in causes and history: compact, no spaces. */
export const toJsonText = (v: Json | undefined): string => (v === undefined ? "null" : JSON.stringify(v));

/**
 * JSON text of a value, remembered per object: a state's output is written to history as
 * StateExited output, checked against the payload limit, and written again as the next
 * state's input. Safe because the engine never changes a JSON value in place (every data
 * flow step copies on write).
 */
const texts = new WeakMap<object, string>();

export function jsonTextOf(value: Json): string {
  if (typeof value !== "object" || value === null) return JSON.stringify(value);
  let text = texts.get(value);
  if (text === undefined) {
    text = JSON.stringify(value);
    texts.set(value, text);
  }
  return text;
}
