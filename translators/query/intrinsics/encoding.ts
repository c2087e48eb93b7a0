/**
 * Intrinsics for data encoding and decoding: States.Base64Encode, States.Base64Decode.
 * https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html#asl-intrsc-func-data-encode-decode
 *
 * Text is UTF-8; the base64 alphabet is RFC 4648's basic one. Inputs are limited to 10,000
 * characters.
 */
import { Buffer } from "node:buffer";
import type { Json } from "../../json.js";
import { intrinsicFailure, limitedString } from "./args.js";
import type { CallEnv, IntrinsicName, IntrinsicSpec } from "./types.js";

/** AWS: "a data string of up to 10,000 characters". */
export const MAX_CODEC_INPUT = 10_000;

/** Basic alphabet, `=` padding only at the end (Java's Base64.getDecoder() rules). */
const BASE64 = /^[A-Za-z0-9+/]*(={0,2})$/;

function isBase64(s: string): boolean {
  const m = BASE64.exec(s);
  if (!m) return false;
  const padded = (m[1] ?? "").length > 0;
  return padded ? s.length % 4 === 0 : s.length % 4 !== 1;
}

function encode(args: readonly Json[], env: CallEnv): Json {
  return Buffer.from(limitedString(env, args, 0, MAX_CODEC_INPUT), "utf8").toString("base64");
}

function decode(args: readonly Json[], env: CallEnv): Json {
  const text = limitedString(env, args, 0, MAX_CODEC_INPUT);
  if (!isBase64(text)) throw intrinsicFailure(env, "the input is not a valid base64 string");
  return Buffer.from(text, "base64").toString("utf8");
}

export const ENCODING_INTRINSICS = {
  "States.Base64Encode": { arity: [1, 1], run: encode },
  "States.Base64Decode": { arity: [1, 1], run: decode },
} satisfies Partial<Record<IntrinsicName, IntrinsicSpec>>;
