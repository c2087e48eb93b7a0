/**
 * Local task functions keyed by resource: the simplest way to give Task states something
 * to call (real adapters plug in through the same TaskBus port).
 * A thrown error's `name` is the ASL error name, its `message` the cause.
 */
import type { Json } from "../../translators/json.js";

export interface TaskFunctionContext {
  readonly resource: string;
  readonly stateName: string;
  readonly executionArn: string;
  /** Set for `.waitForTaskToken` resources. */
  readonly taskToken?: string;
}

export type TaskFunction = (input: Json, context: TaskFunctionContext) => Json | undefined | Promise<Json | undefined>;

export type TaskFunctions = Readonly<Record<string, TaskFunction>>;

const LAMBDA_ARN = /^arn:[^:]+:lambda:[^:]*:[^:]*:function:([^:]+)(?::[^:]+)?$/;

/** Lambda function name from a name, a partial or a full ARN (qualifier dropped). */
export function lambdaFunctionName(nameOrArn: string): string {
  const m = LAMBDA_ARN.exec(nameOrArn);
  if (m) return m[1] as string;
  const parts = nameOrArn.split(":");
  return parts.length >= 3 && parts[parts.length - 2] === "function" ? (parts[parts.length - 1] as string) : (nameOrArn.split(":")[0] as string);
}

/** Finds the function for a resource: by exact resource ARN, else by Lambda function name. */
export function findFunction(functions: TaskFunctions, resource: string): TaskFunction | undefined {
  const exact = functions[resource];
  if (exact) return exact;
  const m = LAMBDA_ARN.exec(resource);
  return m ? functions[m[1] as string] : undefined;
}
