/**
 * ARN formats, as AWS Step Functions writes them.
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-standard-vs-express.html
 */
export interface Account {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
}

export const DEFAULT_ACCOUNT: Account = { partition: "aws", region: "us-east-1", accountId: "123456789012" };

/**
 * ARNs are built with `join`, which makes one flat string: a template literal makes a rope
 * of its pieces, and an execution ARN kept as a map key then holds every piece (~400 bytes
 * more per finished execution kept in memory).
 */
const arnOf = (a: Account, ...resource: string[]): string => ["arn", a.partition, "states", a.region, a.accountId, ...resource].join(":");

export const stateMachineArn = (a: Account, name: string): string => arnOf(a, "stateMachine", name);
export const executionArn = (a: Account, stateMachine: string, name: string): string => arnOf(a, "execution", stateMachine, name);
export const expressExecutionArn = (a: Account, stateMachine: string, name: string, id: string): string =>
  arnOf(a, "express", stateMachine, name, id);
export const activityArn = (a: Account, name: string): string => arnOf(a, "activity", name);

/** The last `:`-separated field of an ARN (a state machine's or execution's name). */
export const nameOf = (arn: string): string => arn.slice(arn.lastIndexOf(":") + 1);
