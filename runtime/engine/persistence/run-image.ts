/**
 * The state a durable execution keeps in the store (ExecutionStore's opaque `state`): the
 * definition it runs, its fixed facts, its actors' XState snapshots, how it ended, redrive
 * data, the tasks and timers it waits for, its map runs and the Map iteration it reports to.
 * `imageOf` writes it; `readImage` checks a stored one and names the record when it cannot
 * be trusted; `restoreRun` builds the run again.
 */
import type { Json } from "../../../translators/json.js";
import type { ResumePoint } from "../../../translators/xstate/actor-data.js";
import type { CompiledStateMachine } from "../../../translators/load.js";
import { StoreCorruptionError, type ExecutionSummary, type HistoryEvent } from "../../ports/execution-store.js";
import { ExecutionRun, type ActorImage, type RunHost, type RunInfo, type TimerTarget } from "../execution-run.js";
import type { ExecutionStatus } from "../execution-status.js";
import { MapRun, type MapRunStatus } from "../map-run.js";
import type { RedriveToken } from "../redrive.js";
import { RunJournal, type ChildStart, type DispatchEffect } from "./run-journal.js";

/** Bump when the image's shape changes (and keep reading the old one, or say why not). */
export const RUN_IMAGE_VERSION = 1;

export interface MapRunImage {
  readonly arn: string;
  readonly actorId: string;
  readonly startDate: number;
  readonly status: MapRunStatus;
  readonly stopDate?: number;
  readonly redriveCount: number;
  readonly redriveDate?: number;
  readonly maxConcurrency: number;
  readonly toleratedFailureCount: number;
  readonly toleratedFailurePercentage: number;
  readonly total: number;
  readonly executionType: "STANDARD" | "EXPRESS";
  readonly batch: string;
  /** Child execution ARNs by item index (null: not started). */
  readonly children: readonly (string | null)[];
  readonly pendingRedrive: readonly number[];
}

export interface RunImage {
  readonly v: typeof RUN_IMAGE_VERSION;
  readonly definition: string;
  readonly info: RunInfo;
  readonly seq: number;
  readonly status: ExecutionStatus;
  readonly output?: Json;
  readonly error?: string;
  readonly cause?: string;
  readonly stopDate?: number;
  readonly redriveCount: number;
  readonly redriveDate?: number;
  readonly resumePoint?: ResumePoint;
  readonly redriveTokens: readonly RedriveToken[];
  readonly actors: readonly ActorImage[];
  readonly tasks: readonly { readonly actorId: string; readonly effect: DispatchEffect; readonly handedOff: boolean; readonly started: boolean }[];
  readonly timers: readonly { readonly id: string; readonly dueAt: number; readonly target: TimerTarget }[];
  readonly mapRuns: readonly MapRunImage[];
  /** Child executions launched whose first step may not be stored yet (absent in images written before it). */
  readonly childStarts?: readonly ChildStart[];
  /** A Distributed Map iteration: the execution and Map state it reports to. */
  readonly parent?: { readonly arn: string; readonly actorId: string; readonly batch: string; readonly index: number };
}

const opt = <K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } => (value === undefined ? {} : ({ [key]: value } as { [P in K]?: V }));

export function imageOf(run: ExecutionRun, journal: RunJournal): RunImage {
  const parent = run.parentRef;
  return {
    v: RUN_IMAGE_VERSION,
    definition: journal.definition,
    info: run.info,
    seq: run.nextEventId,
    status: run.status,
    ...(run.status === "SUCCEEDED" ? { output: run.output ?? null } : {}),
    ...opt("error", run.error),
    ...opt("cause", run.cause),
    ...opt("stopDate", run.stopDate),
    redriveCount: run.redriveCount,
    ...opt("redriveDate", run.redriveDate),
    ...opt("resumePoint", run.resumePoint),
    redriveTokens: run.redriveTokens,
    actors: run.actorImages(),
    tasks: [...journal.tasks.values()].map((t) => ({ actorId: t.actorId, effect: t.effect, handedOff: t.handedOff, started: t.started })),
    timers: [...journal.timers].map(([id, t]) => ({ id, dueAt: t.dueAt, target: t.target })),
    mapRuns: [...run.mapRuns.values()].map(mapRunImage),
    ...(journal.childStarts.size > 0 ? { childStarts: [...journal.childStarts.values()] } : {}),
    ...(parent ? { parent } : {}),
  };
}

function mapRunImage(m: MapRun): MapRunImage {
  return {
    arn: m.arn, actorId: m.actorId, startDate: m.startDate, status: m.status, ...opt("stopDate", m.stopDate),
    redriveCount: m.redriveCount, ...opt("redriveDate", m.redriveDate), maxConcurrency: m.maxConcurrency,
    toleratedFailureCount: m.toleratedFailureCount, toleratedFailurePercentage: m.toleratedFailurePercentage,
    total: m.total, executionType: m.executionType, batch: m.batch,
    children: Array.from({ length: m.total }, (_, i) => m.children[i]?.info.arn ?? m.childArns[i] ?? null),
    pendingRedrive: [...m.pendingRedrive],
  };
}

/** What ListExecutions and DescribeExecution read from the store. */
export function summaryOf(run: ExecutionRun): ExecutionSummary {
  const { info } = run;
  return {
    // A run started through a version runs the version's record: ListExecutions wants the state machine.
    executionArn: info.arn, name: info.name, type: info.type ?? "STANDARD",
    stateMachineArn: info.stateMachineVersionArn ? info.stateMachineVersionArn.slice(0, info.stateMachineVersionArn.lastIndexOf(":")) : info.stateMachineArn,
    status: run.status, startDate: info.startDate, ...opt("stopDate", run.stopDate),
    ...opt("stateMachineVersionArn", info.stateMachineVersionArn), ...opt("stateMachineAliasArn", info.stateMachineAliasArn),
    ...opt("mapRunArn", info.mapRunArn), input: info.inputText ?? JSON.stringify(info.input),
    ...(run.status === "SUCCEEDED" ? { output: JSON.stringify(run.output ?? null) } : {}),
    ...opt("error", run.error), ...opt("cause", run.cause), ...opt("traceHeader", info.traceHeader),
    ...(run.redriveCount > 0 ? { redriveCount: run.redriveCount } : {}), ...opt("redriveDate", run.redriveDate),
  };
}

const STATUSES = new Set<unknown>(["RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"]);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A stored state checked well enough to restore; a StoreCorruptionError naming the record otherwise. */
export function readImage(state: unknown, arn: string): RunImage {
  const fail = (reason: string): never => {
    throw new StoreCorruptionError({ kind: "state", key: arn }, reason);
  };
  if (!isObject(state)) return fail("the engine state is not an object");
  if (state["v"] !== RUN_IMAGE_VERSION) return fail(`unknown engine state version ${JSON.stringify(state["v"]) ?? "undefined"} (this build reads ${RUN_IMAGE_VERSION})`);
  if (typeof state["definition"] !== "string") return fail("definition is not a string");
  const info = state["info"];
  if (!isObject(info) || info["arn"] !== arn || typeof info["startDate"] !== "number") return fail("info does not describe this execution");
  if (!Number.isSafeInteger(state["seq"]) || (state["seq"] as number) < 1) return fail("seq is not a positive integer");
  if (!STATUSES.has(state["status"])) return fail("status is unknown");
  for (const list of ["actors", "tasks", "timers", "mapRuns", "redriveTokens"]) if (!Array.isArray(state[list])) return fail(`${list} is not a list`);
  const actors = state["actors"] as unknown[];
  if (!actors.every((a) => isObject(a) && typeof a["id"] === "string" && isObject(a["context"]) && typeof a["context"]["scope"] === "string")) return fail("an actor is malformed");
  const timers = state["timers"] as unknown[];
  if (!timers.every((t) => isObject(t) && typeof t["id"] === "string" && typeof t["dueAt"] === "number" && isObject(t["target"]))) return fail("a timer is malformed");
  const tasks = state["tasks"] as unknown[];
  if (!tasks.every((t) => isObject(t) && typeof t["actorId"] === "string" && isObject(t["effect"]) && typeof t["effect"]["taskId"] === "string")) return fail("a task is malformed");
  const starts = state["childStarts"];
  if (starts !== undefined && !(Array.isArray(starts) && starts.every((c) => isObject(c) && typeof c["arn"] === "string" && typeof c["name"] === "string" && typeof c["actorId"] === "string" && isObject(c["effect"])))) {
    return fail("a child execution start is malformed");
  }
  return state as unknown as RunImage;
}

/**
 * The run an image describes, with the history the store holds and its journal (map runs'
 * children and the parent link are the caller's: they name other executions). Throws a
 * StoreCorruptionError when the image does not fit its definition or history.
 */
export function restoreRun(image: RunImage, compiled: CompiledStateMachine, host: RunHost, history: readonly HistoryEvent[], revision: number): { run: ExecutionRun; journal: RunJournal } {
  const arn = image.info.arn;
  if (image.seq !== history.length + 1) {
    throw new StoreCorruptionError({ kind: "state", key: arn }, `next event id ${image.seq} does not follow the ${history.length} stored events`);
  }
  const run = new ExecutionRun(image.info, compiled, host);
  try {
    run.restore(history, image.seq, image.actors);
  } catch (e) {
    throw new StoreCorruptionError({ kind: "state", key: arn }, (e as Error).message, { cause: e });
  }
  run.status = image.status;
  run.output = image.output;
  run.error = image.error;
  run.cause = image.cause;
  run.stopDate = image.stopDate;
  run.redriveCount = image.redriveCount;
  run.redriveDate = image.redriveDate;
  run.resumePoint = image.resumePoint;
  run.redriveTokens.push(...image.redriveTokens);
  for (const m of image.mapRuns) run.mapRuns.set(m.arn, restoreMapRun(m, run));
  const journal = new RunJournal(image.definition);
  journal.stored(revision, history.length);
  for (const t of image.tasks) journal.tasks.set(t.effect.taskId, { actorId: t.actorId, effect: t.effect, handedOff: t.handedOff === true, started: t.started === true });
  for (const t of image.timers) journal.timers.set(t.id, { dueAt: t.dueAt, target: t.target });
  for (const start of image.childStarts ?? []) journal.childStarts.set(start.arn, start);
  return { run, journal };
}

function restoreMapRun(m: MapRunImage, run: ExecutionRun): MapRun {
  const mapRun = new MapRun(m.arn, run, m.actorId, m.startDate, {
    mapRunArn: m.arn, batch: m.batch, total: m.total, maxConcurrency: m.maxConcurrency, toleratedFailureCount: m.toleratedFailureCount,
    toleratedFailurePercentage: m.toleratedFailurePercentage, executionType: m.executionType, redriveCount: m.redriveCount,
  });
  mapRun.status = m.status;
  mapRun.stopDate = m.stopDate;
  mapRun.redriveCount = m.redriveCount;
  mapRun.redriveDate = m.redriveDate;
  for (const index of m.pendingRedrive) mapRun.pendingRedrive.add(index);
  for (const [index, arn] of m.children.entries()) if (arn !== null) mapRun.childArns[index] = arn;
  return mapRun;
}
