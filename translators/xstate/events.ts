/**
 * Every event an execution's actor receives, named in this one file (STYLE.md 11).
 * Each carries `seq` (the next free history event id of the execution) and `now` (ms since
 * epoch): ids and time come from the engine, so the machine stays pure.
 */
import type { Json } from "../json.js";
import type { ResumePoint } from "./actor-data.js";

export const EVENTS = {
  taskStarted: "task.started",
  /** A `.sync` or `.waitForTaskToken` integration's request went through (TaskSubmitted); the result comes later. */
  taskSubmitted: "task.submitted",
  taskSucceeded: "task.succeeded",
  taskFailed: "task.failed",
  taskHeartbeat: "task.heartbeat",
  timerFired: "timer.fired",
  childSucceeded: "child.succeeded",
  childFailed: "child.failed",
  mapRunUpdated: "mapRun.updated",
} as const;

interface Stamp {
  readonly seq: number;
  readonly now: number;
}

export type ActorEvent =
  | (Stamp & { type: typeof EVENTS.taskStarted; taskId: string; workerName?: string | undefined })
  | (Stamp & { type: typeof EVENTS.taskSubmitted; taskId: string; output: Json })
  | (Stamp & { type: typeof EVENTS.taskSucceeded; taskId: string; output: Json })
  | (Stamp & { type: typeof EVENTS.taskFailed; taskId: string; error: string; cause?: string | undefined })
  | (Stamp & { type: typeof EVENTS.taskHeartbeat; taskId: string })
  | (Stamp & { type: typeof EVENTS.timerFired; timerId: string })
  | (Stamp & { type: typeof EVENTS.childSucceeded; batch: string; index: number; output: Json; lastEventId: number })
  | (Stamp & {
      type: typeof EVENTS.childFailed; batch: string; index: number; error?: string | undefined; cause?: string | undefined; lastEventId: number;
      /** Where the child stopped: a redrive resumes it there. */
      resume?: ResumePoint | undefined;
    })
  /** UpdateMapRun: new settings for a running map run's iterations not yet started. */
  | (Stamp & {
      type: typeof EVENTS.mapRunUpdated; mapRunArn: string;
      maxConcurrency?: number | undefined; toleratedFailureCount?: number | undefined; toleratedFailurePercentage?: number | undefined;
    });

export type ActorEventType = ActorEvent["type"];
