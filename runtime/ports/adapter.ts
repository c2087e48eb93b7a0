/**
 * Adapters run Task states' integrations (Lambda-like functions, SNS-like topics, …). They
 * see only this port, so the same adapter runs in process or as a worker on NATS (#6).
 */
import type { Json, JsonObject } from "../../translators/json.js";
import type { ResourceInfo } from "../../translators/dataflow/resource.js";

/** How a task ends in failure: AWS's error name (what Retry/Catch match) and cause. */
export class TaskError extends Error {
  override readonly name = "TaskError";
  constructor(
    readonly error: string,
    override readonly cause?: string,
  ) {
    super(cause === undefined ? error : `${error}: ${cause}`);
  }
}

export interface AdapterTask {
  /** Deterministic per attempt; results are keyed by it. */
  readonly taskId: string;
  readonly resource: ResourceInfo;
  /** The Task's effective Parameters (JSONPath) or Arguments (JSONata). */
  readonly payload: Json;
  readonly stateName: string;
  readonly executionArn: string;
  /** For `.waitForTaskToken` resources: the token SendTaskSuccess/Failure will carry. */
  readonly taskToken?: string;
  readonly timeoutSeconds?: number;
  readonly heartbeatSeconds?: number;
  /** Aborted when the Task stops waiting (timed out, execution stopped or ended): stop the work. */
  readonly signal: AbortSignal;
  /** Resets the Task's HeartbeatSeconds clock. */
  heartbeat(): void;
  /**
   * `.sync` integrations: the request went through and the job runs; `output` is the service's
   * response (TaskSubmitted records it). For `.waitForTaskToken` the resolved value of `run` is it.
   */
  submitted?(output: Json): void;
}

/**
 * An AWS-style JSON API an adapter serves on `aslan serve`'s port (SQS's, for queues), so
 * workers in other processes reach its resources with the AWS SDKs and CLI. The server
 * routes by X-Amz-Target and checks SigV4 with the adapter's signing service.
 */
export interface AdapterApi {
  /** X-Amz-Target prefix, e.g. `AmazonSQS.` */
  readonly targetPrefix: string;
  /** SigV4 service name, e.g. `sqs`. */
  readonly signingService: string;
  handle(
    action: string,
    body: JsonObject,
    request: { readonly baseUrl: string; readonly signal: AbortSignal },
  ): Promise<{ readonly status: number; readonly body: JsonObject; readonly headers?: Readonly<Record<string, string>> }>;
}

export interface Adapter {
  /** Short name for configuration and `aslan worker --adapters` (e.g. "lambda", "sns"). */
  readonly name: string;
  /** The resource ARNs it runs, as patterns people read in error messages. */
  readonly resources: readonly string[];
  handles(resource: ResourceInfo): boolean;
  /**
   * Runs one task. Resolves with the Task's result; rejects with a TaskError (anything else
   * becomes States.TaskFailed). For `.waitForTaskToken` it resolves once the token is on its
   * way: the Task's result comes through SendTaskSuccess/Failure.
   */
  run(task: AdapterTask): Promise<Json>;
  /** Its own API on the server's port, if it has one. */
  readonly api?: AdapterApi;
  close?(): Promise<void>;
}
