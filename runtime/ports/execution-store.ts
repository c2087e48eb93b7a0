/**
 * Where Standard executions live between steps, and everything a restart needs: each
 * execution's summary, the engine's opaque state (XState persisted snapshots plus the
 * engine's bookkeeping), its history, durable timers, and the API's registries as
 * documents. Writes are compare-and-set on a revision, and implementations group
 * concurrent commits so many executions share one transaction and one disk sync.
 *
 * Every stored record carries a format version; a record this code cannot read (unknown
 * version, undecodable bytes, a history gap) raises a `StoreCorruptionError` naming it.
 */
import type { HistoryEvent } from "../../translators/xstate/actor-data.js";
import type { ExecutionStatus } from "../engine/execution-status.js";

export type { HistoryEvent };

/** What ListExecutions and DescribeExecution show without the engine state. */
export interface ExecutionSummary {
  readonly executionArn: string;
  readonly name: string;
  readonly stateMachineArn: string;
  readonly type: "STANDARD" | "EXPRESS";
  readonly status: ExecutionStatus;
  /** Epoch milliseconds. */
  readonly startDate: number;
  /** Set once the status is not RUNNING. */
  readonly stopDate?: number;
  readonly stateMachineVersionArn?: string;
  readonly stateMachineAliasArn?: string;
  /** A Distributed Map's child execution: the map run it belongs to. */
  readonly mapRunArn?: string;
  /** Input, output, error and cause as DescribeExecution returns them (JSON text). */
  readonly input?: string;
  readonly output?: string;
  readonly error?: string;
  readonly cause?: string;
  readonly traceHeader?: string;
  readonly redriveCount?: number;
  readonly redriveDate?: number;
}

/** One execution as stored: what `load` returns. */
export interface StoredExecution {
  readonly summary: ExecutionSummary;
  /** The engine's own value (snapshots, pending task ids, callback tokens, timers); opaque here. */
  readonly state: unknown;
  /** Bumped by one with every commit; the first commit makes it 1. */
  readonly revision: number;
  /** Events stored so far; the next event's id is `historyLength + 1`. */
  readonly historyLength: number;
}

/** A durable timer: fires at `dueAt` (epoch ms) with `payload`, after a restart too. */
export interface TimerRecord {
  readonly timerId: string;
  readonly dueAt: number;
  readonly payload: unknown;
  /** The execution it belongs to; retention removes it with that execution. */
  readonly executionArn?: string;
}

/** Timer writes. `set` replaces a timer with the same id; `cancel` of an unknown id is a no-op. */
export interface TimerChanges {
  readonly set?: readonly TimerRecord[];
  readonly cancel?: readonly string[];
  /** Removes each timer only while it is still due at `dueAt` (a fired timer, not one set again since). */
  readonly acknowledge?: readonly { readonly timerId: string; readonly dueAt: number }[];
}

/** One execution's step: applied entirely or not at all. */
export interface ExecutionChange {
  /** The revision `load` returned; 0 creates the execution (it must not exist yet). */
  readonly expectedRevision: number;
  /** Its ARN, name, state machine, type and start date never change after creation. */
  readonly summary: ExecutionSummary;
  readonly state: unknown;
  /** Appended, never rewritten: ids continue from the stored `historyLength + 1`, one by one. */
  readonly events?: readonly HistoryEvent[];
  /** Timers set here get the execution's ARN as their `executionArn`. */
  readonly timers?: Omit<TimerChanges, "acknowledge">;
}

/** What happened to one change of a `commit`. */
export type CommitOutcome =
  | { readonly status: "ok"; readonly executionArn: string; readonly revision: number; readonly historyLength: number }
  /** Someone else wrote first: `revision` is the stored one (0: the execution does not exist). */
  | { readonly status: "conflict"; readonly executionArn: string; readonly revision: number }
  /** The change contradicts what is stored (a history id gap, an immutable field changed): a caller bug. */
  | { readonly status: "rejected"; readonly executionArn: string; readonly reason: string };

/** Pages of a list: pass `cursor` back to continue; it is absent on the last page. */
export interface PageRequest {
  readonly limit?: number;
  readonly cursor?: string;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly cursor?: string;
}

export interface ExecutionQuery extends PageRequest {
  /** A state machine, version, alias or map run ARN (ListExecutions' stateMachineArn/mapRunArn). */
  readonly arn: string;
  readonly status?: ExecutionStatus;
}

export interface HistoryQuery {
  /** Newest first (GetExecutionHistory's reverseOrder). */
  readonly reverse?: boolean;
  /** Continue past this event id, in reading order (the `next` of the previous page). */
  readonly afterId?: number;
  readonly limit?: number;
}

export interface HistoryPage {
  readonly events: readonly HistoryEvent[];
  /** The `afterId` of the next page; absent when there is none. */
  readonly next?: number;
}

/** The API's registries, stored as documents keyed by kind and key. */
export type DocumentKind = "stateMachine" | "stateMachineVersion" | "stateMachineAlias" | "activity" | "tags";

export interface StoredDocument {
  readonly kind: DocumentKind;
  readonly key: string;
  readonly value: unknown;
  readonly revision: number;
}

export type DocumentWrite =
  | { readonly status: "ok"; readonly revision: number }
  | { readonly status: "conflict"; readonly revision: number };

export interface DocumentQuery extends PageRequest {
  /** Only keys starting with this (e.g. a state machine ARN followed by ":" for its versions). */
  readonly prefix?: string;
}

/** Counters for tests, benchmarks and /metrics. */
export interface StoreStats {
  /** Execution changes committed or refused. */
  readonly commits: number;
  /** Write transactions the store ran (group commit makes this far smaller than `commits`). */
  readonly transactions: number;
}

/** What kind of record a `StoreCorruptionError` is about. */
export type StoreRecordKind = "meta" | "execution" | "state" | "history" | "index" | "timer" | "document";

/** Stored data this code cannot trust: unknown format version, undecodable bytes, a history gap. */
export class StoreCorruptionError extends Error {
  override readonly name = "StoreCorruptionError";
  constructor(
    readonly record: { readonly kind: StoreRecordKind; readonly key: string },
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`corrupted ${record.kind} record ${JSON.stringify(record.key)}: ${reason}`, options);
  }
}

/** A cursor this store did not hand out for this query (API: InvalidToken). */
export class InvalidCursorError extends Error {
  override readonly name = "InvalidCursorError";
}

export interface ExecutionStore {
  /**
   * Applies each change atomically with compare-and-set on its revision; one outcome per
   * change, in order. Several changes to one execution in a single call are refused (a
   * TypeError); a commit may follow the previous one for the same execution before that
   * one settles (pipelining), and then lands only if the previous one did.
   */
  commit(changes: readonly ExecutionChange[]): Promise<CommitOutcome[]>;
  load(executionArn: string): Promise<StoredExecution | undefined>;
  /** RUNNING executions' ARNs, for recovery at start-up (ARN order). */
  listRunning(page?: PageRequest): Promise<Page<string>>;
  /** Newest first (start date, then ARN, descending). */
  listExecutions(query: ExecutionQuery): Promise<Page<ExecutionSummary>>;
  /** A page of the history; undefined when the execution does not exist. */
  readHistory(executionArn: string, query?: HistoryQuery): Promise<HistoryPage | undefined>;

  updateTimers(changes: TimerChanges): Promise<void>;
  /** Timers due before `time`, by due time then id. */
  timersDue(time: number, page?: PageRequest): Promise<Page<TimerRecord>>;

  getDocument(kind: DocumentKind, key: string): Promise<StoredDocument | undefined>;
  /** Writes when the stored revision is `expectedRevision` (0: absent); always when it is undefined. */
  putDocument(kind: DocumentKind, key: string, value: unknown, expectedRevision?: number): Promise<DocumentWrite>;
  /** False when there was nothing to delete or the revision did not match. */
  deleteDocument(kind: DocumentKind, key: string, expectedRevision?: number): Promise<boolean>;
  /** In key order. */
  listDocuments(kind: DocumentKind, query?: DocumentQuery): Promise<Page<StoredDocument>>;

  /**
   * Retention: removes executions that finished before `time`, with their history and
   * timers, `batchSize` executions per transaction. Returns how many were removed.
   */
  removeFinishedBefore(time: number, options?: { readonly batchSize?: number }): Promise<number>;
  stats(): StoreStats;
  /** Waits for writes in flight, then releases the store. */
  close(): Promise<void>;
}
