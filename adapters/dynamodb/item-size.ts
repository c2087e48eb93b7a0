/**
 * Item sizes as DynamoDB counts them: the 400 KB item limit and the 1 MB page of a Query or Scan.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html
 */
import { payloadOf, typeOf, type AttributeValue, type Item } from "./attribute-value.js";

export const MAX_ITEM_BYTES = 400 * 1024;
export const MAX_PAGE_BYTES = 1024 * 1024;

const utf8 = (s: string): number => Buffer.byteLength(s, "utf8");

/** A number takes one byte per two significant digits, plus one. */
function numberBytes(text: string): number {
  const digits = text.replace(/[-.]/g, "").replace(/^0+/, "").replace(/0+$/, "");
  return Math.ceil(digits.length / 2) + 1;
}

export function valueBytes(v: AttributeValue): number {
  const p = payloadOf(v);
  switch (typeOf(v)) {
    case "S":
      return utf8(p as string);
    case "N":
      return numberBytes(p as string);
    case "B":
      return Buffer.from(p as string, "base64").length;
    case "BOOL":
    case "NULL":
      return 1;
    case "SS":
      return (p as string[]).reduce((n, s) => n + utf8(s), 0);
    case "NS":
      return (p as string[]).reduce((n, s) => n + numberBytes(s), 0);
    case "BS":
      return (p as string[]).reduce((n, s) => n + Buffer.from(s, "base64").length, 0);
    case "L":
      // Lists and maps: 3 bytes of overhead and 1 byte per element.
      return 3 + (p as AttributeValue[]).reduce((n, e) => n + 1 + valueBytes(e), 0);
    case "M":
      return 3 + Object.entries(p as Item).reduce((n, [k, e]) => n + 1 + utf8(k) + valueBytes(e), 0);
  }
}

export const itemBytes = (item: Item): number => Object.entries(item).reduce((n, [k, v]) => n + utf8(k) + valueBytes(v), 0);
