/**
 * A Distributed Map's map run, as DescribeMapRun, ListMapRuns and ListExecutions (mapRunArn)
 * show it: its settings, its child executions (one per item, by index), their counts, and
 * its redrives. The Map state opens and ends it with effects (translators' map-run.ts).
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeMapRun.html
 */
import type { MapRunStart } from "../../translators/xstate/actor-data.js";
import type { ExecutionRun } from "./execution-run.js";

export type MapRunStatus = "RUNNING" | "SUCCEEDED" | "FAILED" | "ABORTED";

/** DescribeMapRun's `itemCounts` (and `executionCounts`: one item per child execution here). */
export interface MapRunCounts {
  readonly pending: number;
  readonly running: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly timedOut: number;
  readonly aborted: number;
  readonly total: number;
  readonly resultsWritten: number;
  readonly failuresNotRedrivable: number;
  readonly pendingRedrive: number;
}

/** `arn:…:mapRun:<sm>/<label>:<id>` → `arn:…:stateMachine:<sm>/<label>`, the state machine child executions report. */
export const childStateMachineArn = (mapRunArn: string): string =>
  mapRunArn.slice(0, mapRunArn.lastIndexOf(":")).replace(":mapRun:", ":stateMachine:");

/** A child execution's ARN: `arn:…:execution:<sm>/<label>:<name>` (Express: `arn:…:express:<sm>/<label>:<name>:<id>`). */
export function childExecutionArn(mapRunArn: string, name: string, type: "STANDARD" | "EXPRESS", id: string): string {
  const base = mapRunArn.slice(0, mapRunArn.lastIndexOf(":"));
  // `join` makes one flat string (a template literal's rope would be kept whole with the run: see arns.ts).
  return type === "EXPRESS" ? [base.replace(":mapRun:", ":express:"), name, id].join(":") : [base.replace(":mapRun:", ":execution:"), name].join(":");
}

export class MapRun {
  status: MapRunStatus = "RUNNING";
  stopDate: number | undefined;
  redriveCount = 0;
  redriveDate: number | undefined;
  maxConcurrency: number;
  toleratedFailureCount: number;
  toleratedFailurePercentage: number;
  readonly total: number;
  readonly executionType: "STANDARD" | "EXPRESS";
  /** The batch the Map state's current child executions belong to. */
  batch: string;
  /** Child executions by item index (absent: not started yet, or not read into memory). */
  readonly children: (ExecutionRun | undefined)[] = [];
  /**
   * The ARN of each child execution started, also where its run is not in memory: another
   * node read this execution before the child's first step was stored. Its next commit
   * must still name the child, and a later read can find it.
   */
  readonly childArns: (string | undefined)[] = [];
  /** Unsuccessful children that a redrive has not restarted yet. */
  readonly pendingRedrive = new Set<number>();

  constructor(
    readonly arn: string,
    /** The execution whose Distributed Map started it. */
    readonly execution: ExecutionRun,
    /** The actor of that Map state (UpdateMapRun's settings go to it). */
    public actorId: string,
    readonly startDate: number,
    start: MapRunStart,
  ) {
    this.total = start.total;
    this.executionType = start.executionType;
    this.batch = start.batch;
    this.maxConcurrency = start.maxConcurrency;
    this.toleratedFailureCount = start.toleratedFailureCount ?? 0;
    this.toleratedFailurePercentage = start.toleratedFailurePercentage ?? 0;
  }

  /** A redrive of its execution reached the Map state again: the unsuccessful children wait to run again. */
  reopen(start: MapRunStart, actorId: string, now: number): void {
    this.actorId = actorId;
    this.status = "RUNNING";
    this.stopDate = undefined;
    this.batch = start.batch;
    this.redriveCount = start.redriveCount;
    this.redriveDate = now;
    this.children.forEach((child, index) => {
      if (child && child.status !== "SUCCEEDED") this.pendingRedrive.add(index);
    });
  }

  end(status: Exclude<MapRunStatus, "RUNNING">, now: number): void {
    this.status = status;
    this.stopDate = now;
  }

  /** Child executions that exist, in item order. */
  executions(): ExecutionRun[] {
    return this.children.filter((c): c is ExecutionRun => c !== undefined);
  }

  /** Counts by child status; `notRedrivable`: the unsuccessful children can no longer be redriven. */
  counts(notRedrivable: boolean): MapRunCounts {
    const c = { pending: 0, running: 0, succeeded: 0, failed: 0, timedOut: 0, aborted: 0, pendingRedrive: 0 };
    for (let index = 0; index < this.total; index++) {
      const child = this.children[index];
      if (!child) c.pending++;
      else if (this.pendingRedrive.has(index)) {
        c.pending++;
        c.pendingRedrive++;
      } else if (child.status === "RUNNING") c.running++;
      else if (child.status === "SUCCEEDED") c.succeeded++;
      else if (child.status === "FAILED") c.failed++;
      else if (child.status === "TIMED_OUT") c.timedOut++;
      else c.aborted++;
    }
    const unsuccessful = c.failed + c.timedOut + c.aborted;
    return { ...c, total: this.total, resultsWritten: 0, failuresNotRedrivable: notRedrivable ? unsuccessful : 0 };
  }
}
