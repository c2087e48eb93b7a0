/**
 * What a commit's change means against what is stored, decided the same way by every
 * store: compare-and-set on the revision, history ids that continue the stored ones, and
 * the summary fields an execution is listed (and keyed) by, which never change.
 */
import { isFinished } from "../engine/execution-status.js";
import type { CommitOutcome, ExecutionChange, ExecutionSummary } from "../ports/execution-store.js";
import type { ExecutionRecord } from "./records.js";

const IMMUTABLE = ["name", "stateMachineArn", "type", "startDate", "stateMachineVersionArn", "stateMachineAliasArn", "mapRunArn"] as const;

export type Plan = { readonly outcome: CommitOutcome } | { readonly record: ExecutionRecord };

/** Throws a TypeError for input no store could apply (nothing of the call is written). */
export function checkChanges(changes: readonly ExecutionChange[]): void {
  const seen = new Set<string>();
  for (const c of changes) {
    const arn = c.summary.executionArn;
    if (typeof arn !== "string" || arn === "") throw new TypeError("a change needs summary.executionArn");
    if (seen.has(arn)) throw new TypeError(`two changes to ${arn} in one commit`);
    seen.add(arn);
    if (!Number.isSafeInteger(c.expectedRevision) || c.expectedRevision < 0) throw new TypeError(`bad expectedRevision for ${arn}`);
    for (const t of c.timers?.set ?? []) checkTimer(t.timerId, t.dueAt);
  }
}

export function checkTimer(timerId: unknown, dueAt: unknown): void {
  if (typeof timerId !== "string" || timerId === "") throw new TypeError("a timer needs a timerId");
  if (typeof dueAt !== "number" || !Number.isFinite(dueAt)) throw new TypeError(`timer ${timerId}: dueAt must be a finite number`);
}

/** The record a change leads to, or why it does not apply. */
export function planChange(current: ExecutionRecord | undefined, change: ExecutionChange): Plan {
  const executionArn = change.summary.executionArn;
  const actual = current?.revision ?? 0;
  if (change.expectedRevision !== actual) return { outcome: { status: "conflict", executionArn, revision: actual } };
  const reject = (reason: string): Plan => ({ outcome: { status: "rejected", executionArn, reason } });
  const changed = current && IMMUTABLE.find((f) => current.summary[f] !== change.summary[f]);
  if (changed) return reject(`summary.${changed} cannot change`);
  const finished = isFinished(change.summary.status);
  if (finished !== (change.summary.stopDate !== undefined)) return reject("stopDate must be set exactly when the status is not RUNNING");
  const length = current?.historyLength ?? 0;
  const events = change.events ?? [];
  const gap = events.findIndex((e, i) => e.id !== length + 1 + i);
  if (gap >= 0) return reject(`event ${gap} has id ${events[gap]?.id}, expected ${length + 1 + gap}`);
  return { record: { summary: change.summary, revision: actual + 1, historyLength: length + events.length } };
}

/** The ARNs an execution is listed under: its state machine, version, alias and map run. */
export function listedUnder(s: ExecutionSummary): string[] {
  const arns = [s.stateMachineArn, s.stateMachineVersionArn, s.stateMachineAliasArn, s.mapRunArn];
  return [...new Set(arns.filter((a): a is string => a !== undefined))];
}
