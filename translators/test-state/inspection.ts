/**
 * InspectionData as the API returns it: data-flow values as JSON text, Map settings as
 * numbers, errorDetails as an object; absent fields left out.
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_InspectionData.html
 */
import type { Json, JsonObject } from "../json.js";
import type { Inspection } from "./model.js";

const TEXT_FIELDS = [
  "input",
  "afterInputPath",
  "afterParameters",
  "afterArguments",
  "afterItemsPath",
  "afterItemSelector",
  "result",
  "afterResultSelector",
  "afterResultPath",
  "variables",
] as const satisfies readonly (keyof Inspection)[];

const NUMBER_FIELDS = ["maxConcurrency", "toleratedFailureCount", "toleratedFailurePercentage"] as const satisfies readonly (keyof Inspection)[];

export function renderInspection(i: Inspection): JsonObject {
  const out: JsonObject = {};
  for (const field of TEXT_FIELDS) {
    const value = i[field];
    if (value !== undefined) out[field] = JSON.stringify(value as Json);
  }
  for (const field of NUMBER_FIELDS) {
    const value = i[field];
    if (value !== undefined) out[field] = value;
  }
  if (i.errorDetails) out["errorDetails"] = { ...i.errorDetails };
  return out;
}
