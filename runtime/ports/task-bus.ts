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

/** How a worker reports back. Each call after the first settling call is ignored. */
export interface TaskReply {
  started(): void;
  succeeded(output: Json): void;
  failed(error: string, cause?: string): void;
  heartbeat(): void;
}

/** Carries tasks to whatever runs them (in process here; JetStream in distributed mode). */
export interface TaskBus {
  dispatch(task: TaskRequest, reply: TaskReply): void;
}
