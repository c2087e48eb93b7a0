/**
 * DynamoDB numbers: exact decimals with at most 38 significant digits and a magnitude from
 * 1E-130 to 9.99…E+125; stored and returned normalized ("1.50" → "1.5", "1e2" → "100").
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html#HowItWorks.DataTypes.Number
 */
import { DynamoDbError } from "./dynamodb-error.js";

/** value = coefficient × 10^-scale, normalized: no trailing zeros in the coefficient; zero has scale 0. */
export interface Decimal {
  readonly coefficient: bigint;
  readonly scale: number;
}

const MAX_DIGITS = 38;
const MAX_EXPONENT = 125;
const MIN_EXPONENT = -130;
const SYNTAX = /^(-?)(\d+(?:\.\d*)?|\.\d+)(?:[eE]([+-]?\d+))?$/;

export const NUMBER_OVERFLOW = "Number overflow. Attempting to store a number with magnitude larger than supported range";
export const NUMBER_UNDERFLOW = "Number underflow. Attempting to store a number with magnitude smaller than supported range";
export const TOO_MANY_DIGITS = "Attempting to store more than 38 significant digits in a Number";

const ZERO: Decimal = { coefficient: 0n, scale: 0 };

/** Parses a number as DynamoDB accepts it, or returns DynamoDB's message for why it can't. */
export function parseNumber(text: string): Decimal | string {
  if (text === "") return "The parameter cannot be converted to a numeric value";
  const m = SYNTAX.exec(text);
  if (!m) return `The parameter cannot be converted to a numeric value: ${text}`;
  const [intPart = "", fracPart = ""] = (m[2] as string).split(".");
  const digits = intPart + fracPart;
  const leading = digits.length - digits.replace(/^0+/, "").length;
  const significant = digits.slice(leading).replace(/0+$/, "");
  if (significant === "") return ZERO;
  // Exponent of the most significant digit, computed before any big integer is built.
  const exponent = intPart.length - 1 - leading + Number(m[3] ?? "0");
  const problem = rangeProblem(exponent, significant.length);
  if (problem) return problem;
  const coefficient = BigInt(significant) * (m[1] === "-" ? -1n : 1n);
  return { coefficient, scale: significant.length - 1 - exponent };
}

/** Parses a number or throws DynamoDB's ValidationException. */
export function toDecimal(text: string): Decimal {
  const d = parseNumber(text);
  if (typeof d === "string") throw DynamoDbError.validation(d);
  return d;
}

function rangeProblem(exponent: number, digits: number): string | undefined {
  if (exponent > MAX_EXPONENT) return NUMBER_OVERFLOW;
  if (exponent < MIN_EXPONENT) return NUMBER_UNDERFLOW;
  if (digits > MAX_DIGITS) return TOO_MANY_DIGITS;
  return undefined;
}

/** The normalized text DynamoDB stores and returns (plain notation, no exponent). */
export function formatNumber(d: Decimal): string {
  const negative = d.coefficient < 0n;
  const digits = (negative ? -d.coefficient : d.coefficient).toString();
  let text: string;
  if (d.scale <= 0) text = digits + "0".repeat(-d.scale);
  else {
    const padded = digits.padStart(d.scale + 1, "0");
    text = `${padded.slice(0, padded.length - d.scale)}.${padded.slice(padded.length - d.scale)}`;
  }
  return negative ? `-${text}` : text;
}

/** Normalizes a number's text (throws ValidationException when it is not one). */
export const normalizeNumber = (text: string): string => formatNumber(toDecimal(text));

export function compareDecimals(a: Decimal, b: Decimal): number {
  const scale = Math.max(a.scale, b.scale);
  const x = a.coefficient * 10n ** BigInt(scale - a.scale);
  const y = b.coefficient * 10n ** BigInt(scale - b.scale);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Compares two DynamoDB number texts numerically. */
export const compareNumbers = (a: string, b: string): number => compareDecimals(toDecimal(a), toDecimal(b));

/** a + b (or a − b), exact, checked against DynamoDB's range and precision. */
export function addNumbers(a: string, b: string, subtract = false): string {
  const x = toDecimal(a);
  const y = toDecimal(b);
  const scale = Math.max(x.scale, y.scale);
  const cx = x.coefficient * 10n ** BigInt(scale - x.scale);
  const cy = y.coefficient * 10n ** BigInt(scale - y.scale);
  const sum = normalize(subtract ? cx - cy : cx + cy, scale);
  if (sum.coefficient !== 0n) {
    const digits = (sum.coefficient < 0n ? -sum.coefficient : sum.coefficient).toString().length;
    const problem = rangeProblem(digits - 1 - sum.scale, digits);
    if (problem) throw DynamoDbError.validation(problem);
  }
  return formatNumber(sum);
}

function normalize(coefficient: bigint, scale: number): Decimal {
  if (coefficient === 0n) return ZERO;
  let c = coefficient;
  let s = scale;
  while (c % 10n === 0n) {
    c /= 10n;
    s -= 1;
  }
  return { coefficient: c, scale: s };
}
