/**
 * Callback task tokens (`$$.Task.Token`). A token names its execution, then carries 244 random
 * bits: whichever node or process receives SendTaskSuccess finds the execution from the token
 * alone (distributed mode has no shared token table, and a restarted process has lost its own),
 * and nobody can forge one for a task they were not given. The whole token is base64url
 * characters, as AWS's are (people paste them into shells and URLs).
 */
import { Buffer } from "node:buffer";

/** The random part: two UUIDs without dashes, as hex. */
const RANDOM_LENGTH = 64;

/** A new token for a task of `executionArn`; `uuid` is the injected randomness. */
export function newTaskToken(executionArn: string, uuid: () => string): string {
  return Buffer.from(executionArn, "utf8").toString("base64url") + uuid().replace(/-/g, "") + uuid().replace(/-/g, "");
}

/** The execution a token belongs to; undefined for a string that is not one of our tokens. */
export function executionOfTaskToken(token: string): string | undefined {
  if (token.length <= RANDOM_LENGTH) return undefined;
  const arn = Buffer.from(token.slice(0, -RANDOM_LENGTH), "base64url").toString("utf8");
  return arn.startsWith("arn:") ? arn : undefined;
}
