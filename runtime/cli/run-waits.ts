/**
 * What a RUNNING execution waits for, as `aslan run` reports one it stops waiting on: each
 * waiting state's name and the kind of wait, with the due time of its stored timers.
 */
import type { ExecutionRun } from "../engine/execution-run.js";
import type { HistoryEvent, Waiting } from "../../translators/xstate/actor-data.js";
import type { TimerRecord } from "../ports/execution-store.js";

/** At most this many waits are listed (a Map can wait on thousands). */
const MAX_LISTED = 5;

/**
 * What a RUNNING execution waits for, one line per waiting state: its name and the kind of
 * wait ("waiting for a task token (SendTaskSuccess) in state Ask", "Wait until <time> in
 * state Pause"), with the due time of its timers when the store has them.
 */
export function describeWaits(run: ExecutionRun, timers: readonly TimerRecord[]): string[] {
  const lines = waitsOf(run, dueTimes(timers), "");
  return lines.length > MAX_LISTED ? [...lines.slice(0, MAX_LISTED), `and ${lines.length - MAX_LISTED} more`] : lines;
}

/** A stored timer's payload (run-journal.ts): its execution and the run's own timer id. */
const dueTimes = (timers: readonly TimerRecord[]): Map<string, number> => {
  const due = new Map<string, number>();
  for (const t of timers) {
    const p = t.payload as { readonly arn?: unknown; readonly id?: unknown } | null;
    if (typeof p?.arn === "string" && typeof p.id === "string") due.set(`${p.arn}#${p.id}`, t.dueAt);
  }
  return due;
};

const at = (time: number | undefined): string => (time === undefined ? "" : ` (at ${new Date(time).toISOString()})`);

function waitsOf(run: ExecutionRun, due: Map<string, number>, prefix: string): string[] {
  const dueOf = (id: string): number | undefined => due.get(`${run.info.arn}#${id}`);
  const lines: string[] = [];
  for (const actor of run.actorImages()) {
    const { waiting, state, prev } = actor.context;
    if (!waiting) continue;
    const timerDue = (timerId: string): number | undefined => dueOf(`${actor.id}|${timerId}`);
    if (waiting.kind === "children") lines.push(...childWaits(run, waiting, state, due, prefix));
    else if (waiting.kind === "timer") lines.push(prefix + timerWait(waiting, state, timerDue(waiting.timerId)));
    else {
      const timeouts = waiting.timerIds.map(timerDue).filter((t): t is number => t !== undefined);
      const timesOut = timeouts.length > 0 ? `; it times out at ${new Date(Math.min(...timeouts)).toISOString()}` : "";
      lines.push(`${prefix}${taskWait(run.history, prev)} in state ${state}${timesOut}`);
    }
  }
  const timeout = dueOf("execution:timeout");
  if (timeout !== undefined) lines.push(`${prefix}the execution's TimeoutSeconds${at(timeout)}`);
  return lines;
}

function timerWait(waiting: Extract<Waiting, { kind: "timer" }>, state: string, dueAt: number | undefined): string {
  const when = dueAt === undefined ? "" : ` until ${new Date(dueAt).toISOString()}`;
  return waiting.purpose === "wait" ? `Wait${when} in state ${state}` : `waiting to retry state ${state}${at(dueAt)}`;
}

/** Parallel and Inline Map branches are actors of the run itself (listed on their own); a Distributed Map's are child executions. */
function childWaits(run: ExecutionRun, waiting: Extract<Waiting, { kind: "children" }>, state: string, due: Map<string, number>, prefix: string): string[] {
  const mapRun = [...run.mapRuns.values()].find((m) => m.batch === waiting.batch);
  if (!mapRun) return [];
  const running = mapRun.children.filter((c): c is ExecutionRun => c?.status === "RUNNING");
  return running.flatMap((child) => waitsOf(child, due, `${prefix}Map ${state}, child execution ${child.info.name}: `));
}

/** The kind of task the actor's last Scheduled event names (its events chain back by previousEventId). */
function taskWait(history: readonly HistoryEvent[], last: number): string {
  const byId = new Map(history.map((e) => [e.id, e]));
  for (let e = byId.get(last); e; e = byId.get(e.previousEventId)) {
    if (e.type === "ActivityScheduled") return "waiting for an activity worker (GetActivityTask)";
    if (e.type === "LambdaFunctionScheduled") return "waiting for its Lambda function to answer";
    if (e.type === "TaskScheduled") {
      const details = e["taskScheduledEventDetails"] as { readonly resourceType?: unknown; readonly resource?: unknown } | undefined;
      const resource = `${String(details?.resourceType)}:${String(details?.resource)}`;
      if (resource.endsWith(".waitForTaskToken")) return "waiting for a task token (SendTaskSuccess)";
      return resource.includes(".sync") ? `waiting for its job (${resource}) to finish` : `waiting for its task (${resource}) to answer`;
    }
    if (e.type.endsWith("StateEntered")) break;
  }
  return "waiting for its task to answer";
}
