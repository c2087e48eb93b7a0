/**
 * Activities: named queues of tasks that external workers poll with GetActivityTask and
 * answer with SendTask* and the task token they got.
 */
import type { Json } from "../../translators/json.js";

export interface ActivityEntry {
  readonly arn: string;
  readonly name: string;
  readonly creationDate: number;
}

export interface ActivityTask {
  readonly taskToken: string;
  /** The Task state's effective input, as JSON text. */
  readonly input: string;
}

export interface ActivityRegistry {
  get(arn: string): ActivityEntry | undefined;
  /** True when `token` was handed out by GetActivityTask (SendTask* then goes here, not to the engine). */
  ownsToken(token: string): boolean;
  /** Each throws TaskDoesNotExist for a token that is unknown, used or whose task has closed. */
  succeed(token: string, output: Json): void;
  fail(token: string, error?: string, cause?: string): void;
  heartbeat(token: string): void;
}
