/**
 * Secret ARNs: `arn:<partition>:secretsmanager:<region>:<account>:secret:<name>-<6 random
 * characters>`; the suffix tells apart secrets of the same name created one after the other.
 * https://docs.aws.amazon.com/secretsmanager/latest/userguide/reference_iam-permissions.html#iam-resources
 */
import { randomBytes } from "node:crypto";
import type { Account } from "../../runtime/engine/arns.js";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

export function secretArn(account: Account, name: string): string {
  const suffix = [...randomBytes(6)].map((b) => ALPHABET[b % ALPHABET.length]).join("");
  return `arn:${account.partition}:secretsmanager:${account.region}:${account.accountId}:secret:${name}-${suffix}`;
}
