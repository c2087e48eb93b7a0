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
 * JSON text of a value, remembered for the last few objects asked about: a state's output
 * is checked against the payload limit, written to history as StateExited output, and
 * again as the next state's input (and a Task's parameters), all within one step, so a
 * handful of recent entries catches the repeats. (A WeakMap per object did too, but cost
 * more: the garbage collector treats each of its entries as an ephemeron.) Safe because
 * the engine never changes a JSON value in place (every data flow step copies on write).
 */
const RECENT_TEXTS = 16;
/** Most recently used first. */
const recentTexts: { readonly value: object; readonly text: string }[] = [];

export function jsonTextOf(value: Json): string {
  if (typeof value !== "object" || value === null) return JSON.stringify(value);
  for (let i = 0; i < recentTexts.length; i++) {
    const recent = recentTexts[i]!;
    if (recent.value !== value) continue;
    // A value asked for again stays (a Parallel's input is every branch's first input).
    if (i > 0) recentTexts.unshift(...recentTexts.splice(i, 1));
    return recent.text;
  }
  const text = JSON.stringify(value);
  recentTexts.unshift({ value, text });
  if (recentTexts.length > RECENT_TEXTS) recentTexts.pop();
  return text;
}
