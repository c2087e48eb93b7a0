/**
 * One execution's KV entry: its record and its engine state (each the versioned record
 * the other stores write, so errors name them alike), the step that wrote it, and a
 * writer token. The step (its events, timer writes and index move) is copied to the
 * history, timer and index buckets only after the entry's compare-and-set won, so a
 * step that lost never shows; until then readers take its events from here.
 */
import type { ExecutionStatus } from "../engine/execution-status.js";
import { StoreCorruptionError, type ExecutionSummary, type HistoryEvent, type TimerRecord } from "../ports/execution-store.js";
import { decodeRecord, encodeRecord } from "../stores/record-codec.js";
import { decodeExecution, recordRefs, type ExecutionRecord } from "../stores/records.js";

/** How a step moves the execution's index entries: none, all new, or from an earlier status. */
export type IndexMove = "same" | "created" | { readonly status: ExecutionStatus; readonly stopDate?: number };

export interface PendingStep {
  readonly events: readonly HistoryEvent[];
  readonly set: readonly TimerRecord[];
  readonly cancel: readonly string[];
  readonly index: IndexMove;
}

export interface ExecutionEntry {
  readonly record: ExecutionRecord;
  /** The state record's bytes (decoded only by `load`). */
  readonly state: Uint8Array | undefined;
  readonly step: PendingStep;
  /** Unique per write: tells a writer whether its own write landed after a lost reply. */
  readonly writer: string;
  /** The KV revision of the entry, for the next compare-and-set. */
  readonly kvRevision: number;
}

/** True when settling the step writes something. */
export const hasEffects = (step: PendingStep): boolean => step.events.length > 0 || step.set.length > 0 || step.cancel.length > 0 || step.index !== "same";

/** The index move from `before` (undefined: creation) to `after`. */
export function indexMove(before: ExecutionSummary | undefined, after: ExecutionSummary): IndexMove {
  if (!before) return "created";
  if (before.status === after.status && before.stopDate === after.stopDate) return "same";
  return before.stopDate === undefined ? { status: before.status } : { status: before.status, stopDate: before.stopDate };
}

export function encodeEntry(record: ExecutionRecord, state: unknown, step: PendingStep, writer: string): Buffer {
  return encodeRecord({ x: encodeRecord(record), s: encodeRecord(state), p: step, w: writer });
}

type Parts = { x?: unknown; s?: unknown; p?: unknown; w?: unknown };

function parts(bytes: Uint8Array, arn: string): Parts {
  const ref = recordRefs.execution(arn);
  const body = decodeRecord(bytes, ref);
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw new StoreCorruptionError(ref, "not an execution entry");
  return body as Parts;
}

export function decodeEntry(bytes: Uint8Array, arn: string, kvRevision: number): ExecutionEntry {
  const ref = recordRefs.execution(arn);
  const { x, s, p, w } = parts(bytes, arn);
  if (!(x instanceof Uint8Array)) throw new StoreCorruptionError(ref, "the entry holds no execution record");
  const record = decodeExecution(x, arn);
  const step = p as Partial<PendingStep> | undefined;
  const valid = step && Array.isArray(step.events) && Array.isArray(step.set) && Array.isArray(step.cancel) && step.index !== undefined;
  if (!valid) throw new StoreCorruptionError(ref, "the entry's step is malformed");
  return { record, state: s instanceof Uint8Array ? s : undefined, step: step as PendingStep, writer: typeof w === "string" ? w : "", kvRevision };
}

/**
 * The entry with its execution ("x") or state ("s") record replaced by `raw` (undefined
 * drops it), for `writeRawRecord`.
 */
export function replacePart(bytes: Uint8Array, arn: string, part: "x" | "s", raw: Uint8Array | undefined): Buffer {
  const body: Record<string, unknown> = { ...parts(bytes, arn) };
  if (raw) body[part] = Buffer.from(raw);
  else delete body[part];
  return encodeRecord(body);
}
