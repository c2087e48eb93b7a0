/**
 * Activities: named queues of tasks that external workers poll with GetActivityTask and
 * answer with SendTask* and the task token they got.
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-activities.html
 */
import type { Json } from "../../translators/json.js";

export interface ActivityEntry {
  readonly arn: string;
  readonly name: string;
  readonly creationDate: number;
  /** As given to CreateActivity (DescribeActivity returns it). */
  readonly encryptionConfiguration?: Readonly<Record<string, unknown>>;
}

export interface ActivityTask {
  readonly taskToken: string;
  /** The Task state's effective input, as JSON text. */
  readonly input: string;
}

export interface ActivityRegistry {
  get(arn: string): ActivityEntry | undefined;
  /** Adds an activity; when one with this ARN exists it is kept and returned (CreateActivity is idempotent by name). */
  add(entry: ActivityEntry): ActivityEntry;
  /** Removes an activity (unknown ARNs are fine); pollers waiting on it get empty answers. */
  delete(arn: string): void;
  /** Every activity, oldest first. */
  list(): readonly ActivityEntry[];
  /**
   * GetActivityTask's long poll: a queued task at once, else the first one to arrive; undefined
   * when the poll time passes or `signal` aborts (the client went away) first.
   */
  poll(arn: string, workerName: string | undefined, signal: AbortSignal): Promise<ActivityTask | undefined>;
  /**
   * True when `token` was handed out by GetActivityTask (SendTask* then goes here, not to the
   * engine). A promise where tokens are shared between runtime nodes (distributed mode).
   */
  ownsToken(token: string): boolean | Promise<boolean>;
  /**
   * Each throws (or rejects with) TaskTimedOut (a TaskDoesNotExist) for a token whose task has
   * closed: answered, timed out or its execution ended; TaskDoesNotExist for a token never
   * handed out. Shared between nodes, they resolve once the answer is applied.
   */
  succeed(token: string, output: Json): void | Promise<void>;
  fail(token: string, error?: string, cause?: string): void | Promise<void>;
  heartbeat(token: string): void | Promise<void>;
}
