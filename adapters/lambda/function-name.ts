/**
 * Lambda's FunctionName forms: `name`, `name:qualifier`, `123456789012:function:name[:qualifier]`
 * (partial ARN), and `arn:aws:lambda:<region>:<account>:function:name[:qualifier]`.
 * https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
 */
import type { Account } from "../../runtime/engine/arns.js";

export interface FunctionRef {
  readonly name: string;
  readonly qualifier?: string;
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
}

const ARN = /^arn:([^:]+):lambda:([^:]*):(\d{12}):function:([^:]+)(?::([^:]+))?$/;
const PARTIAL = /^(\d{12}):function:([^:]+)(?::([^:]+))?$/;
const NAME = /^([^:]+)(?::([^:]+))?$/;

/** The function a name or ARN refers to (region and account from `account` where it does not say); undefined when malformed. */
export function parseFunctionName(text: string, account: Account): FunctionRef | undefined {
  const arn = ARN.exec(text);
  if (arn) return ref(arn[4] as string, arn[5], arn[1] as string, arn[2] || account.region, arn[3] as string);
  const partial = PARTIAL.exec(text);
  if (partial) return ref(partial[2] as string, partial[3], account.partition, account.region, partial[1] as string);
  const plain = NAME.exec(text);
  return plain ? ref(plain[1] as string, plain[2], account.partition, account.region, account.accountId) : undefined;
}

const ref = (name: string, qualifier: string | undefined, partition: string, region: string, accountId: string): FunctionRef => ({
  name, partition, region, accountId, ...(qualifier !== undefined ? { qualifier } : {}),
});

/** The function's ARN, with its qualifier when it has one (as Lambda's messages write it). */
export const functionArn = (f: FunctionRef): string =>
  `arn:${f.partition}:lambda:${f.region}:${f.accountId}:function:${f.name}${f.qualifier !== undefined ? `:${f.qualifier}` : ""}`;
