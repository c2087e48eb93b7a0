/**
 * Which executions RedriveExecution may run again, and why not, as DescribeExecution's
 * `redriveStatus` and `redriveStatusReason` tell it; RedriveExecution's client tokens.
 * https://docs.aws.amazon.com/step-functions/latest/dg/redrive-executions.html
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeExecution.html
 */
import { MAX_HISTORY_EVENTS, type ExecutionRun } from "./execution-run.js";
import type { MapRun } from "./map-run.js";

/** AWS: an execution can be redriven for 14 days after it stops… */
export const REDRIVABLE_PERIOD_MS = 14 * 24 * 3600 * 1000;
/** …and not once it has been open for a year (the maximum execution time). */
export const MAX_OPEN_MS = 365 * 24 * 3600 * 1000;

export type RedriveStatus = "REDRIVABLE" | "NOT_REDRIVABLE" | "REDRIVABLE_BY_MAP_RUN";

export interface RedriveVerdict {
  readonly status: RedriveStatus;
  /** Why not, in AWS's words (NOT_REDRIVABLE only). */
  readonly reason?: string;
}

const notRedrivable = (reason: string): RedriveVerdict => ({ status: "NOT_REDRIVABLE", reason });

/** RedriveExecution's error for an execution it may not run again (API: ExecutionNotRedrivable). */
export class ExecutionNotRedrivable extends Error {
  override readonly name = "ExecutionNotRedrivable";
}

/** Whether `run` itself may be redriven at `now` (a child execution's map run aside). */
export function ownVerdict(run: ExecutionRun, now: number): RedriveVerdict {
  if (run.status === "RUNNING" || run.status === "SUCCEEDED") return notRedrivable(`Execution is ${run.status} and cannot be redriven`);
  if (run.info.type === "EXPRESS") return notRedrivable("Execution is of type EXPRESS and cannot be redriven");
  if (run.history.length >= MAX_HISTORY_EVENTS) return notRedrivable("Execution history event limit exceeded");
  if (now - run.info.startDate > MAX_OPEN_MS) return notRedrivable("Execution has exceeded the max execution time");
  if (now - (run.stopDate ?? now) > REDRIVABLE_PERIOD_MS) return notRedrivable("Execution redrivable period exceeded");
  if (!run.resumePoint) return notRedrivable("Execution has no state to redrive from");
  return { status: "REDRIVABLE" };
}

/**
 * Whether a map run's unsuccessful child executions can still run again: they do when its
 * parent execution is redriven, so not once the map run succeeded or the parent can no
 * longer be redriven.
 */
export function childrenVerdict(mapRun: MapRun, now: number): RedriveVerdict {
  if (mapRun.status === "SUCCEEDED") return notRedrivable("Map Run is SUCCEEDED and its child executions cannot be redriven");
  const parent = mapRun.execution;
  return parent.status === "RUNNING" ? { status: "REDRIVABLE" } : ownVerdict(parent, now);
}

/** A map run's child execution is redriven by redriving its parent: REDRIVABLE_BY_MAP_RUN while that can happen. */
export function childVerdict(child: ExecutionRun, mapRun: MapRun, now: number): RedriveVerdict {
  const own = ownVerdict(child, now);
  if (child.status === "RUNNING" || child.status === "SUCCEEDED") return own;
  const children = childrenVerdict(mapRun, now);
  if (children.status !== "REDRIVABLE") return children;
  return own.status === "REDRIVABLE" ? { status: "REDRIVABLE_BY_MAP_RUN" } : own;
}

/** A redrive's client token; AWS answers a repeat with the first answer (last 10 tokens, 15 minutes). */
export interface RedriveToken {
  readonly token: string;
  readonly date: number;
}

const TOKENS_KEPT = 10;
const TOKEN_TTL_MS = 15 * 60 * 1000;

/** The redrive date answered to `token` before, if it is a repeat. */
export function repeatedRedrive(run: ExecutionRun, token: string | undefined, now: number): number | undefined {
  if (token === undefined) return undefined;
  const seen = run.redriveTokens.find((t) => t.token === token && now - t.date <= TOKEN_TTL_MS);
  return seen?.date;
}

export function rememberRedrive(run: ExecutionRun, token: string | undefined, date: number): void {
  if (token === undefined) return;
  run.redriveTokens.push({ token, date });
  if (run.redriveTokens.length > TOKENS_KEPT) run.redriveTokens.shift();
}
