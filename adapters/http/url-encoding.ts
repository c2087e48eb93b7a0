/**
 * `Transform.RequestBodyEncoding: "URL_ENCODED"`: a JSON RequestBody as an
 * application/x-www-form-urlencoded body. Arrays follow `RequestEncodingOptions.ArrayFormat`
 * (for `{"array": ["a","b"]}`): INDICES (default) `array[0]=a&array[1]=b`, REPEAT
 * `array=a&array=b`, COMMAS `array=a,b`, BRACKETS `array[]=a&array[]=b`; nested objects as
 * `key[inner]=value`.
 * https://docs.aws.amazon.com/step-functions/latest/dg/call-https-apis.html
 */
import { isObject, type Json, type JsonObject } from "../../translators/json.js";

export const ARRAY_FORMATS = ["INDICES", "REPEAT", "COMMAS", "BRACKETS"] as const;
export type ArrayFormat = (typeof ARRAY_FORMATS)[number];

const scalar = (v: Json): string => (v === null ? "" : typeof v === "object" ? JSON.stringify(v) : String(v));

function add(pairs: [string, string][], key: string, value: Json, format: ArrayFormat): void {
  if (Array.isArray(value)) {
    if (format === "COMMAS") {
      pairs.push([key, value.map(scalar).join(",")]);
      return;
    }
    value.forEach((item, i) => {
      const itemKey = format === "INDICES" ? `${key}[${i}]` : format === "BRACKETS" ? `${key}[]` : key;
      add(pairs, itemKey, item, format);
    });
    return;
  }
  if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) add(pairs, `${key}[${k}]`, v, format);
    return;
  }
  pairs.push([key, scalar(value)]);
}

/** The form-encoded text of an object. */
export function urlEncode(body: JsonObject, format: ArrayFormat = "INDICES"): string {
  const pairs: [string, string][] = [];
  for (const [k, v] of Object.entries(body)) add(pairs, k, v, format);
  return new URLSearchParams(pairs).toString();
}
