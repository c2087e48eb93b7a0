/**
 * The data-test operators of JSONPath Choice rules and what each one means.
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html
 *
 * Semantics (recorded on AWS, see ../../../shared/conformance/cases/choice_operators-*):
 * - A comparison is true only when the Variable's value has the operator's type: a string
 *   under NumericEquals, a number under StringEquals, null under anything, is simply false
 *   ("Step Functions doesn't attempt to match a numeric field to a string value").
 * - The same holds for the value a `...Path` operand selects: a wrong type compares false.
 * - Strings order by UTF-16 code units, as Java's String.compareTo does (JavaScript's `<`).
 * - Timestamps compare as instants (see ./timestamp.ts); a string that is not a timestamp
 *   compares false.
 */
import type { Json } from "../json.js";
import { compilePattern } from "./string-matches.js";
import { compareInstants, isTimestamp, parseTimestamp, type Instant } from "./timestamp.js";

/** Operators that compare the Variable with an operand (a literal, or a path with `Path`). */
export const COMPARISON_OPERATORS = [
  "StringEquals",
  "StringLessThan",
  "StringGreaterThan",
  "StringLessThanEquals",
  "StringGreaterThanEquals",
  "StringMatches",
  "NumericEquals",
  "NumericLessThan",
  "NumericGreaterThan",
  "NumericLessThanEquals",
  "NumericGreaterThanEquals",
  "BooleanEquals",
  "TimestampEquals",
  "TimestampLessThan",
  "TimestampGreaterThan",
  "TimestampLessThanEquals",
  "TimestampGreaterThanEquals",
] as const;
export type ComparisonOperator = (typeof COMPARISON_OPERATORS)[number];

/** Operators that test the Variable's type; their operand is a boolean (true: "is", false: "is not"). */
export const TYPE_TEST_OPERATORS = ["IsNull", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp"] as const;
export type TypeTestOperator = (typeof TYPE_TEST_OPERATORS)[number];

/** The one operator that may read a missing Variable. */
export const IS_PRESENT = "IsPresent";

/** The literal an operator takes: its JSON type, or a timestamp string. */
export type OperandKind = "string" | "number" | "boolean" | "timestamp";

/** Given the operand, a test of the Variable's value. */
export type Predicate = (variable: Json) => boolean;
/**
 * Binds an operand (a literal once at load time, or a `...Path` value at run time) and returns
 * the test of the Variable. Binding parses the operand once: a pattern, a timestamp.
 */
export type CompareFn = (operand: Json) => Predicate;

const never: Predicate = () => false;

/** A relation between two values of one type, given the type's reader and order. */
function ordered<T>(read: (v: Json) => T | undefined, order: (a: T, b: T) => number, holds: (c: number) => boolean): CompareFn {
  return (operand) => {
    const b = read(operand);
    if (b === undefined) return never;
    return (variable) => {
      const a = read(variable);
      return a !== undefined && holds(order(a, b));
    };
  };
}

const asString = (v: Json): string | undefined => (typeof v === "string" ? v : undefined);
const asNumber = (v: Json): number | undefined => (typeof v === "number" ? v : undefined);
const asBoolean = (v: Json): boolean | undefined => (typeof v === "boolean" ? v : undefined);
const asInstant = (v: Json): Instant | undefined => (typeof v === "string" ? parseTimestamp(v) : undefined);

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const byValue = (a: number, b: number): number => (a < b ? -1 : a > b ? 1 : 0);
const byBoolean = (a: boolean, b: boolean): number => (a === b ? 0 : 1);

const EQ = (c: number): boolean => c === 0;
const LT = (c: number): boolean => c < 0;
const GT = (c: number): boolean => c > 0;
const LE = (c: number): boolean => c <= 0;
const GE = (c: number): boolean => c >= 0;

const stringMatches: CompareFn = (operand) => {
  if (typeof operand !== "string") return never;
  const test = compilePattern(operand);
  return (variable) => typeof variable === "string" && test(variable);
};

/** Every comparison operator's meaning (STYLE.md 9: the compiler flags a missing entry). */
export const COMPARE = {
  StringEquals: ordered(asString, byCodeUnits, EQ),
  StringLessThan: ordered(asString, byCodeUnits, LT),
  StringGreaterThan: ordered(asString, byCodeUnits, GT),
  StringLessThanEquals: ordered(asString, byCodeUnits, LE),
  StringGreaterThanEquals: ordered(asString, byCodeUnits, GE),
  StringMatches: stringMatches,
  NumericEquals: ordered(asNumber, byValue, EQ),
  NumericLessThan: ordered(asNumber, byValue, LT),
  NumericGreaterThan: ordered(asNumber, byValue, GT),
  NumericLessThanEquals: ordered(asNumber, byValue, LE),
  NumericGreaterThanEquals: ordered(asNumber, byValue, GE),
  BooleanEquals: ordered(asBoolean, byBoolean, EQ),
  TimestampEquals: ordered(asInstant, compareInstants, EQ),
  TimestampLessThan: ordered(asInstant, compareInstants, LT),
  TimestampGreaterThan: ordered(asInstant, compareInstants, GT),
  TimestampLessThanEquals: ordered(asInstant, compareInstants, LE),
  TimestampGreaterThanEquals: ordered(asInstant, compareInstants, GE),
} satisfies Record<ComparisonOperator, CompareFn>;

/** The literal each comparison operator takes. */
export const OPERAND_KIND = {
  StringEquals: "string",
  StringLessThan: "string",
  StringGreaterThan: "string",
  StringLessThanEquals: "string",
  StringGreaterThanEquals: "string",
  StringMatches: "string",
  NumericEquals: "number",
  NumericLessThan: "number",
  NumericGreaterThan: "number",
  NumericLessThanEquals: "number",
  NumericGreaterThanEquals: "number",
  BooleanEquals: "boolean",
  TimestampEquals: "timestamp",
  TimestampLessThan: "timestamp",
  TimestampGreaterThan: "timestamp",
  TimestampLessThanEquals: "timestamp",
  TimestampGreaterThanEquals: "timestamp",
} as const satisfies Record<ComparisonOperator, OperandKind>;

/** What each type test checks of a present Variable value. */
export const TYPE_TEST = {
  IsNull: (v) => v === null,
  IsNumeric: (v) => typeof v === "number",
  IsString: (v) => typeof v === "string",
  IsBoolean: (v) => typeof v === "boolean",
  IsTimestamp: (v) => isTimestamp(v),
} satisfies Record<TypeTestOperator, Predicate>;

const COMPARISON_SET: ReadonlySet<string> = new Set(COMPARISON_OPERATORS);
const TYPE_TEST_SET: ReadonlySet<string> = new Set(TYPE_TEST_OPERATORS);

export const isComparisonOperator = (key: string): key is ComparisonOperator => COMPARISON_SET.has(key);
export const isTypeTestOperator = (key: string): key is TypeTestOperator => TYPE_TEST_SET.has(key);

/** StringMatches has no `Path` variant; every other comparison operator has one. */
export function pathVariantBase(key: string): ComparisonOperator | undefined {
  if (!key.endsWith("Path")) return undefined;
  const base = key.slice(0, -"Path".length);
  return isComparisonOperator(base) && base !== "StringMatches" ? base : undefined;
}

/** The kind of data-test operator a rule key names, or undefined when it names none. */
export type OperatorKey =
  | { readonly kind: "compare"; readonly operator: ComparisonOperator }
  | { readonly kind: "comparePath"; readonly operator: ComparisonOperator }
  | { readonly kind: "typeTest"; readonly operator: TypeTestOperator }
  | { readonly kind: "isPresent" };

export function classifyOperator(key: string): OperatorKey | undefined {
  if (isComparisonOperator(key)) return { kind: "compare", operator: key };
  if (isTypeTestOperator(key)) return { kind: "typeTest", operator: key };
  if (key === IS_PRESENT) return { kind: "isPresent" };
  const base = pathVariantBase(key);
  return base === undefined ? undefined : { kind: "comparePath", operator: base };
}
