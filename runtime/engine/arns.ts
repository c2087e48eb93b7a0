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

const base = (a: Account): string => `arn:${a.partition}:states:${a.region}:${a.accountId}`;

export const stateMachineArn = (a: Account, name: string): string => `${base(a)}:stateMachine:${name}`;
export const executionArn = (a: Account, stateMachine: string, name: string): string => `${base(a)}:execution:${stateMachine}:${name}`;
export const expressExecutionArn = (a: Account, stateMachine: string, name: string, id: string): string =>
  `${base(a)}:express:${stateMachine}:${name}:${id}`;
export const activityArn = (a: Account, name: string): string => `${base(a)}:activity:${name}`;

/** The last `:`-separated field of an ARN (a state machine's or execution's name). */
export const nameOf = (arn: string): string => arn.slice(arn.lastIndexOf(":") + 1);
