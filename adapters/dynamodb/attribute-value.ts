/**
 * DynamoDB's AttributeValue JSON: `{"S": "x"}`, `{"N": "1.5"}` (numbers as strings),
 * `{"B": "<base64>"}`, `{"BOOL": true}`, `{"NULL": true}`, `{"M": {...}}`, `{"L": [...]}`,
 * `{"SS": [...]}`, `{"NS": [...]}`, `{"BS": [...]}`. Values that enter the tables are checked
 * with DynamoDB's messages and normalized (numbers, base64), so equality is structural.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_AttributeValue.html
 */
import { DynamoDbError } from "./dynamodb-error.js";
import { compareNumbers, formatNumber, parseNumber } from "./numbers.js";

export type AttributeValue =
  | { readonly S: string }
  | { readonly N: string }
  | { readonly B: string }
  | { readonly BOOL: boolean }
  | { readonly NULL: true }
  | { readonly M: Item }
  | { readonly L: readonly AttributeValue[] }
  | { readonly SS: readonly string[] }
  | { readonly NS: readonly string[] }
  | { readonly BS: readonly string[] };

export type Item = { readonly [name: string]: AttributeValue };

export type AttributeType = "S" | "N" | "B" | "BOOL" | "NULL" | "M" | "L" | "SS" | "NS" | "BS";

export const ATTRIBUTE_TYPES: readonly AttributeType[] = ["S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"];

export function typeOf(v: AttributeValue): AttributeType {
  return Object.keys(v)[0] as AttributeType;
}

/** The payload of a value, whatever its type. */
export const payloadOf = (v: AttributeValue): unknown => (v as Record<string, unknown>)[typeOf(v)];

export const isSetType = (t: AttributeType): t is "SS" | "NS" | "BS" => t === "SS" || t === "NS" || t === "BS";

/** The scalar type of a set's elements. */
export const elementType = (t: "SS" | "NS" | "BS"): "S" | "N" | "B" => t[0] as "S" | "N" | "B";

const serialization = (message: string): DynamoDbError => new DynamoDbError("SerializationException", message);

/** How DynamoDB's JSON reader names a JSON value found where a string was expected. */
export function notAString(v: unknown): DynamoDbError {
  if (typeof v === "number") return serialization(`${Number.isInteger(v) ? "NUMBER_VALUE" : "DECIMAL_VALUE"} cannot be converted to String`);
  if (typeof v === "boolean") return serialization(`${v ? "TRUE_VALUE" : "FALSE_VALUE"} cannot be converted to String`);
  if (Array.isArray(v)) return serialization("Unrecognized collection type class java.lang.String");
  return serialization("Start of structure or map found where not expected");
}

function str(v: unknown): string {
  if (typeof v !== "string") throw notAString(v);
  return v;
}

function list(v: unknown): unknown[] {
  if (!Array.isArray(v)) throw serialization("Expected list or null");
  return v;
}

function number(text: string): string {
  const d = parseNumber(text);
  if (typeof d === "string") throw DynamoDbError.validation(d);
  return formatNumber(d);
}

const binary = (text: string): string => Buffer.from(text, "base64").toString("base64");

/**
 * Checks one AttributeValue as DynamoDB does on input and returns it normalized; throws
 * ValidationException (or SerializationException for a wrong JSON shape).
 */
export function checkAttributeValue(v: unknown): AttributeValue {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw serialization("Unexpected value type in payload");
  const types = Object.keys(v).filter((k) => (ATTRIBUTE_TYPES as readonly string[]).includes(k) && (v as Record<string, unknown>)[k] !== null);
  if (types.length === 0) throw DynamoDbError.validation("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
  const checked = types.map((t) => checkTyped(t as AttributeType, (v as Record<string, unknown>)[t]));
  if (checked.length > 1) {
    throw DynamoDbError.validation("Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes");
  }
  return checked[0] as AttributeValue;
}

function checkTyped(type: AttributeType, payload: unknown): AttributeValue {
  switch (type) {
    case "S":
      return { S: str(payload) };
    case "N":
      return { N: number(str(payload)) };
    case "B":
      return { B: binary(str(payload)) };
    case "BOOL":
      if (typeof payload !== "boolean") throw serialization("Unexpected token received from parser");
      return { BOOL: payload };
    case "NULL":
      if (payload !== true) throw DynamoDbError.validation("One or more parameter values were invalid: Null attribute value types must have the value of true");
      return { NULL: true };
    case "M":
      return { M: checkItem(payload) };
    case "L":
      return { L: list(payload).map(checkAttributeValue) };
    case "SS":
    case "NS":
    case "BS":
      return checkSet(type, list(payload));
  }
}

const EMPTY_SET: Record<"SS" | "NS" | "BS", string> = {
  SS: "One or more parameter values were invalid: An string set  may not be empty",
  NS: "One or more parameter values were invalid: An number set  may not be empty",
  BS: "One or more parameter values were invalid: Binary sets should not be empty",
};

function checkSet(type: "SS" | "NS" | "BS", raw: unknown[]): AttributeValue {
  if (raw.length === 0) throw DynamoDbError.validation(EMPTY_SET[type]);
  const texts = raw.map(str);
  const values = type === "NS" ? texts.map(number) : type === "BS" ? texts.map(binary) : texts;
  if (new Set(values).size !== values.length) {
    const shown = `[${texts.join(", ")}]`;
    throw DynamoDbError.validation(
      type === "SS"
        ? `One or more parameter values were invalid: Input collection ${shown} contains duplicates.`
        : type === "NS"
          ? "Input collection contains duplicates"
          : `One or more parameter values were invalid: Input collection ${shown}of type BS contains duplicates.`,
    );
  }
  return setValue(type, values);
}

/** A set value of the given type. */
export const setValue = (type: "SS" | "NS" | "BS", elements: readonly string[]): AttributeValue => ({ [type]: elements }) as unknown as AttributeValue;

/** Checks a map of attribute values (an item, a key, ExpressionAttributeValues). */
export function checkItem(v: unknown): Item {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw serialization("Start of list found where not expected");
  return Object.fromEntries(Object.entries(v).map(([name, value]) => [name, checkAttributeValue(value)]));
}

/** An item's own attribute (never something inherited, whatever the name). */
export const getAttr = (item: Item, name: string): AttributeValue | undefined => (Object.hasOwn(item, name) ? item[name] : undefined);

/** Sets an own property even for names like `__proto__`. */
export function setOwn<T>(target: Record<string, T>, name: string, value: T): void {
  Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
}

/** Structural equality; sets compare as sets. Values must be normalized (as stored ones are). */
export function valuesEqual(a: AttributeValue, b: AttributeValue): boolean {
  const t = typeOf(a);
  if (t !== typeOf(b)) return false;
  const x = payloadOf(a);
  const y = payloadOf(b);
  switch (t) {
    case "M":
      return itemsEqual(x as Item, y as Item);
    case "L": {
      const l = x as AttributeValue[];
      const r = y as AttributeValue[];
      return l.length === r.length && l.every((e, i) => valuesEqual(e, r[i] as AttributeValue));
    }
    case "SS":
    case "NS":
    case "BS": {
      const l = x as string[];
      const r = new Set(y as string[]);
      return l.length === r.size && l.every((e) => r.has(e));
    }
    default:
      return x === y;
  }
}

export function itemsEqual(a: Item, b: Item): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => {
    const other = getAttr(b, k);
    return other !== undefined && valuesEqual(a[k] as AttributeValue, other);
  });
}

/**
 * Orders two scalars of the same type as DynamoDB does: numbers numerically, strings and
 * binaries by their UTF-8 / raw bytes (unsigned).
 */
export function compareScalars(type: "S" | "N" | "B", a: string, b: string): number {
  if (type === "N") return compareNumbers(a, b);
  if (type === "S") return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
  return Buffer.compare(Buffer.from(a, "base64"), Buffer.from(b, "base64"));
}

/** Bytes of a string or binary payload. */
export const bytesOf = (type: "S" | "B", text: string): Buffer => Buffer.from(text, type === "S" ? "utf8" : "base64");
