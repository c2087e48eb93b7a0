/**
 * Key values as bytes whose order (byte by byte, shorter first: LMDB's) is DynamoDB's order
 * for their type: strings by their UTF-8 bytes, binaries by their bytes, numbers by value.
 * A value followed by other key parts is delimited so that the order still holds.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Query.KeyConditionExpressions.html
 */
import { createHash } from "node:crypto";
import { toDecimal } from "./numbers.js";

/** A key attribute's payload (`S`, normalized `N`, base64 `B`) as ordered bytes. */
export function scalarBytes(type: "S" | "N" | "B", payload: string): Buffer {
  if (type === "S") return Buffer.from(payload, "utf8");
  if (type === "B") return Buffer.from(payload, "base64");
  return numberBytes(payload);
}

/** The lowest exponent of a DynamoDB number's leading digit is -130, the highest 125: one byte once offset. */
const EXPONENT_OFFSET = 130;

/**
 * A number as ordered bytes: zero is 0x80; a positive number is 0x81, its exponent, its
 * digits; a negative one is 0x7F, then the same bytes inverted and an end byte 0xFF, so a
 * larger magnitude orders first and -1.25 before -1.2.
 */
export function numberBytes(text: string): Buffer {
  const { coefficient, scale } = toDecimal(text);
  if (coefficient === 0n) return Buffer.of(0x80);
  const negative = coefficient < 0n;
  const digits = (negative ? -coefficient : coefficient).toString();
  const exponent = digits.length - 1 - scale + EXPONENT_OFFSET;
  const body = Buffer.from([exponent, ...Buffer.from(digits, "latin1")]);
  if (!negative) return Buffer.concat([Buffer.of(0x81), body]);
  return Buffer.concat([Buffer.of(0x7f), body.map((b) => 0xff - b), Buffer.of(0xff)]);
}

/** The bytes of `value` with 0x00 written 0x00 0xFF: the start of `delimited(value)`, and of every longer value's. */
export function escaped(value: Buffer): Buffer {
  const out: number[] = [];
  for (const b of value) out.push(...(b === 0 ? [0, 0xff] : [b]));
  return Buffer.from(out);
}

/** A key part followed by others: escaped, then 0x00 0x01, which orders before any escaped byte. */
export const delimited = (value: Buffer): Buffer => Buffer.concat([escaped(value), Buffer.of(0, 1)]);

/** The first key after every key that starts with `prefix` (undefined when there is none). */
export function afterPrefix(prefix: Buffer): Buffer | undefined {
  let end = prefix.length;
  while (end > 0 && prefix[end - 1] === 0xff) end--;
  if (end === 0) return undefined;
  const next = Buffer.from(prefix.subarray(0, end));
  next[end - 1] = (next[end - 1] as number) + 1;
  return next;
}

/** The first key after `key`. */
export const justAfter = (key: Buffer): Buffer => Buffer.concat([key, Buffer.of(0)]);

/** A fixed-length stand-in for a partition key (DynamoDB too spreads partitions by a hash of their key). */
export const hashBytes = (payload: string): Buffer => createHash("sha256").update(payload, "utf8").digest();
