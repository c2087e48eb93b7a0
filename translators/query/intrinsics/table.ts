/**
 * The one table of intrinsic functions (STYLE.md 9): `satisfies` makes the compiler flag a
 * name of INTRINSIC_NAMES that has no entry.
 * https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html
 */
import { ARRAY_INTRINSICS } from "./array.js";
import { ENCODING_INTRINSICS } from "./encoding.js";
import { FORMAT_INTRINSICS } from "./format.js";
import { HASH_INTRINSICS } from "./hash.js";
import { JSON_INTRINSICS } from "./json.js";
import { MATH_INTRINSICS } from "./math.js";
import { STRING_INTRINSICS } from "./string.js";
import { INTRINSIC_NAMES, type IntrinsicName, type IntrinsicSpec } from "./types.js";
import { UUID_INTRINSICS } from "./uuid.js";

export const INTRINSICS: Readonly<Record<IntrinsicName, IntrinsicSpec>> = {
  ...FORMAT_INTRINSICS,
  ...JSON_INTRINSICS,
  ...ARRAY_INTRINSICS,
  ...ENCODING_INTRINSICS,
  ...HASH_INTRINSICS,
  ...MATH_INTRINSICS,
  ...STRING_INTRINSICS,
  ...UUID_INTRINSICS,
} satisfies Record<IntrinsicName, IntrinsicSpec>;

const NAMES: ReadonlySet<string> = new Set(INTRINSIC_NAMES);

export const isIntrinsicName = (name: string): name is IntrinsicName => NAMES.has(name);
