import type { Json } from "../../translators/json.js";

/** One task for a worker: what the Task state asked for. */
export interface TaskRequest {
  readonly taskId: string;
  readonly resource: string;
  readonly payload: Json;
  readonly stateName: string;
  readonly executionArn: string;
  readonly taskToken?: string;
  readonly timeoutSeconds?: number;
  readonly heartbeatSeconds?: number;
}

/** Who took a task: an activity worker's GetActivityTask `workerName` (ActivityStarted records it). */
export interface TaskWorker {
  readonly workerName?: string;
}

/** How a worker reports back. Each call after the first settling call is ignored. */
export interface TaskReply {
  started(worker?: TaskWorker): void;
  succeeded(output: Json): void;
  failed(error: string, cause?: string): void;
  heartbeat(): void;
  /**
   * False once the Task no longer waits for this reply: it settled, timed out (TimeoutSeconds,
   * HeartbeatSeconds), was retried or its execution ended. Activity task tokens die with it.
   */
  isOpen(): boolean;
}

/** Carries tasks to whatever runs them (in process here; JetStream in distributed mode). */
export interface TaskBus {
  dispatch(task: TaskRequest, reply: TaskReply): void;
  /**
   * True while work that settles on its own is running (an adapter's `run`): virtual time
   * does not skip ahead past it. Local functions, which may never settle, and the wait for
   * a callback's SendTaskSuccess don't count.
   */
  busy?(): boolean;
}
