import type { Json } from "../../translators/json.js";

/** One task for a worker: what the Task state asked for. */
export interface TaskRequest {
  readonly taskId: string;
  readonly resource: string;
  readonly payload: Json;
  readonly stateName: string;
  readonly executionArn: string;
  readonly taskToken?: string;
  /**
   * An activity task's token, made with the task and stored with it: GetActivityTask hands
   * this one out, so a worker's token still works after a restart dispatched the task again.
   */
  readonly activityToken?: string;
  readonly timeoutSeconds?: number;
  readonly heartbeatSeconds?: number;
  /**
   * The task's Started event is already in its history: a worker had it before this dispatch
   * (sent again after a restart). An activity task is then not handed to a second worker.
   */
  readonly started?: boolean;
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
  /** A `.sync` integration's request went through: the service's response (TaskSubmitted records it). */
  submitted?(output: Json): void;
  /**
   * False once the Task no longer waits for this reply: it settled, timed out (TimeoutSeconds,
   * HeartbeatSeconds), was retried or its execution ended. Activity task tokens die with it.
   */
  isOpen(): boolean;
}

/** A worker's report about a task, as data (what crosses a process boundary; TaskReply's calls). */
export type TaskAnswer =
  | { readonly type: "started"; readonly workerName?: string }
  | { readonly type: "submitted"; readonly output: Json }
  | { readonly type: "succeeded"; readonly output: Json }
  | { readonly type: "failed"; readonly error: string; readonly cause?: string }
  | { readonly type: "heartbeat" };

/** Calls the TaskReply method an answer stands for. */
export function replyWith(reply: TaskReply, answer: TaskAnswer): void {
  switch (answer.type) {
    case "started":
      return reply.started(answer.workerName !== undefined ? { workerName: answer.workerName } : undefined);
    case "submitted":
      return reply.submitted?.(answer.output);
    case "succeeded":
      return reply.succeeded(answer.output);
    case "failed":
      return reply.failed(answer.error, answer.cause);
    case "heartbeat":
      return reply.heartbeat();
  }
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
