/**
 * Map's numeric settings: MaxConcurrency and the tolerated failure thresholds, from a
 * literal, a `...Path` or a JSONata expression, with AWS's run-time error messages.
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-map-inline.html
 */
import { StatesError, STATES_ERRORS } from "../../errors.js";
import type { Json } from "../../json.js";
import type { MapState, QueryLanguage } from "../../asl/model.js";
import { compileReference } from "../../query/reference.js";
import { compileJsonataValue } from "../../query/jsonata.js";
import type { ActorData } from "../actor-data.js";
import { bindingsOf, scopeOf, type CompileServices } from "../step.js";

export interface MapSettings {
  /** 0 means no limit. */
  readonly maxConcurrency: number;
  /** Failures tolerated before the Map fails; undefined when no threshold was set. */
  readonly toleratedCount: number | undefined;
  readonly toleratedPercentage: number | undefined;
}

type Read = (d: ActorData, effective: Json) => number | undefined;

const runtime = (message: string): StatesError => new StatesError(STATES_ERRORS.Runtime, message);
const shown = (v: Json | undefined): string => (typeof v === "string" ? v : JSON.stringify(v ?? null));

function compileSetting(
  s: MapState,
  field: "MaxConcurrency" | "ToleratedFailureCount" | "ToleratedFailurePercentage",
  language: QueryLanguage,
  services: CompileServices,
): Read {
  const literal = s[field];
  const path = s[`${field}Path`];
  const integer = field !== "ToleratedFailurePercentage";
  if (typeof literal === "number") return () => literal;
  if (typeof literal === "string" && language === "JSONata") {
    const expr = compileJsonataValue(literal, field);
    return (d) => checkRange(field, toNumber(expr.evaluate(bindingsOf(d, services)), integer, () => `The ${field} field refers to value "${literal}" which is not a valid ${integer ? "integer" : "number"}`));
  }
  if (path === undefined) return () => undefined;
  const ref = compileReference(path);
  return (d, eff) => {
    const v = ref.get(scopeOf(d, eff, services));
    const n = toNumber(v, integer, () => `The ${field}Path field refers to value "${shown(v)}" which is not a valid ${integer ? "integer" : "number"}: ${path}`);
    return checkRange(field, n);
  };
}

function toNumber(v: Json | undefined, integer: boolean, message: () => string): number {
  if (typeof v !== "number" || (integer && !Number.isInteger(v))) throw runtime(message());
  return v;
}

function checkRange(field: string, n: number): number {
  if (n < 0) throw runtime(`${field} cannot be negative.`);
  if (field === "ToleratedFailurePercentage" && n > 100) throw runtime(`${field} cannot be greater than 100.`);
  return n;
}

export function compileMapSettings(s: MapState, language: QueryLanguage, services: CompileServices) {
  const max = compileSetting(s, "MaxConcurrency", language, services);
  const count = compileSetting(s, "ToleratedFailureCount", language, services);
  const pct = compileSetting(s, "ToleratedFailurePercentage", language, services);
  return (d: ActorData, effective: Json): MapSettings => ({
    maxConcurrency: max(d, effective) ?? 0,
    toleratedCount: count(d, effective),
    toleratedPercentage: pct(d, effective),
  });
}

/** Has the number of failures gone past what the Map tolerates? */
export function exceedsTolerance(settings: MapSettings, failed: number, total: number): boolean {
  const { toleratedCount: c, toleratedPercentage: p } = settings;
  if (c === undefined && p === undefined) return failed > 0;
  if (c !== undefined && failed > c) return true;
  if (p !== undefined && (failed / total) * 100 > p) return true;
  return false;
}
