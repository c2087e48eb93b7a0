/**
 * Intrinsic for unique id generation: States.UUID(), a version 4 UUID. The UUID comes from
 * the injected randomness (STYLE.md 6), never from crypto.randomUUID directly.
 * https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html#asl-intrsc-func-uuid-generate
 */
import type { IntrinsicName, IntrinsicSpec } from "./types.js";

export const UUID_INTRINSICS = {
  "States.UUID": { arity: [0, 0], run: (_args, env) => env.randomness.uuid() },
} satisfies Partial<Record<IntrinsicName, IntrinsicSpec>>;
