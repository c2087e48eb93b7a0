/**
 * The records both stores keep, their names in errors, and their decoders: each decoder
 * checks the format version (record-codec) and then the shape, so a store returns a
 * well-formed value or throws a StoreCorruptionError naming the record.
 */
import {
  StoreCorruptionError,
  type DocumentKind,
  type ExecutionSummary,
  type HistoryEvent,
  type StoredDocument,
  type TimerRecord,
} from "../ports/execution-store.js";
import { decodeRecord, decodeVersioned, type RecordRef } from "./record-codec.js";

/** An execution's record without its state (the state is a record of its own). */
export interface ExecutionRecord {
  readonly summary: ExecutionSummary;
  readonly revision: number;
  readonly historyLength: number;
}

/** The store-wide record written when a store is created. */
export interface StoreMeta {
  readonly formatVersion: number;
  readonly createdAt: number;
}

/** How errors (and `writeRawRecord`) name records: one key string per record. */
export const recordRefs = {
  meta: (): RecordRef => ({ kind: "meta", key: "format" }),
  execution: (arn: string): RecordRef => ({ kind: "execution", key: arn }),
  state: (arn: string): RecordRef => ({ kind: "state", key: arn }),
  history: (arn: string, id: number): RecordRef => ({ kind: "history", key: `${arn}#${id}` }),
  timer: (timerId: string): RecordRef => ({ kind: "timer", key: timerId }),
  document: (kind: DocumentKind, key: string): RecordRef => ({ kind: "document", key: `${kind}/${key}` }),
};

const STATUSES = new Set(["RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"]);
const TYPES = new Set(["STANDARD", "EXPRESS"]);
const OPTIONAL_STRINGS = ["stateMachineVersionArn", "stateMachineAliasArn", "mapRunArn", "input", "output", "error", "cause", "traceHeader"] as const;
const OPTIONAL_NUMBERS = ["stopDate", "redriveCount", "redriveDate"] as const;

type Fields = Readonly<Record<string, unknown>>;

function object(value: unknown, ref: RecordRef, what: string): Fields {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new StoreCorruptionError(ref, `${what} is not an object`);
  return value as Fields;
}

function check(ok: boolean, ref: RecordRef, what: string): void {
  if (!ok) throw new StoreCorruptionError(ref, what);
}

const isCount = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;

function checkSummary(s: Fields, ref: RecordRef): ExecutionSummary {
  check(typeof s["executionArn"] === "string" && s["executionArn"] === ref.key, ref, "summary.executionArn does not match the key");
  check(typeof s["name"] === "string" && typeof s["stateMachineArn"] === "string", ref, "summary.name or stateMachineArn is not a string");
  check(TYPES.has(s["type"] as string) && STATUSES.has(s["status"] as string), ref, "summary.type or status is unknown");
  check(typeof s["startDate"] === "number", ref, "summary.startDate is not a number");
  for (const f of OPTIONAL_STRINGS) check(s[f] === undefined || typeof s[f] === "string", ref, `summary.${f} is not a string`);
  for (const f of OPTIONAL_NUMBERS) check(s[f] === undefined || typeof s[f] === "number", ref, `summary.${f} is not a number`);
  return s as unknown as ExecutionSummary;
}

export function decodeExecution(bytes: Uint8Array, arn: string): ExecutionRecord {
  const ref = recordRefs.execution(arn);
  const body = object(decodeRecord(bytes, ref), ref, "the record");
  check(isCount(body["revision"]) && (body["revision"] as number) > 0, ref, "revision is not a positive integer");
  check(isCount(body["historyLength"]), ref, "historyLength is not a count");
  const summary = checkSummary(object(body["summary"], ref, "summary"), ref);
  return { summary, revision: body["revision"] as number, historyLength: body["historyLength"] as number };
}

export function decodeState(bytes: Uint8Array, arn: string): unknown {
  return decodeRecord(bytes, recordRefs.state(arn));
}

/** One history event stored as a record of its own (the memory and JetStream stores, and LMDB stores of format version 1). */
export function decodeEvent(bytes: Uint8Array, arn: string, id: number): HistoryEvent {
  const ref = recordRefs.history(arn, id);
  return checkEvent(decodeRecord(bytes, ref), ref, id);
}

/**
 * An LMDB history record keyed by its first event id `firstId`: in format version 1 that one
 * event, from version 2 on the events of one commit (ids `firstId`, `firstId + 1`, …).
 */
export function decodeHistoryRecord(bytes: Uint8Array, arn: string, firstId: number): HistoryEvent[] {
  const ref = recordRefs.history(arn, firstId);
  const { version, body } = decodeVersioned(bytes, ref);
  if (version === 1) return [checkEvent(body, ref, firstId)];
  check(Array.isArray(body) && body.length > 0, ref, "not a non-empty list of events");
  return (body as unknown[]).map((e, i) => checkEvent(e, ref, firstId + i));
}

function checkEvent(value: unknown, ref: RecordRef, id: number): HistoryEvent {
  const e = object(value, ref, "the event");
  check(e["id"] === id, ref, `event id ${JSON.stringify(e["id"])} does not match its key (expected ${id})`);
  check(typeof e["type"] === "string" && typeof e["timestamp"] === "number" && typeof e["previousEventId"] === "number", ref, "not a history event");
  return e as unknown as HistoryEvent;
}

export function decodeTimer(bytes: Uint8Array, timerId: string): TimerRecord {
  const ref = recordRefs.timer(timerId);
  const t = object(decodeRecord(bytes, ref), ref, "the timer");
  check(t["timerId"] === timerId, ref, "timerId does not match its key");
  check(typeof t["dueAt"] === "number" && Number.isFinite(t["dueAt"]), ref, "dueAt is not a finite number");
  check(t["executionArn"] === undefined || typeof t["executionArn"] === "string", ref, "executionArn is not a string");
  return t as unknown as TimerRecord;
}

export function decodeDocument(bytes: Uint8Array, kind: DocumentKind, key: string): StoredDocument {
  const ref = recordRefs.document(kind, key);
  const d = object(decodeRecord(bytes, ref), ref, "the document");
  check(d["kind"] === kind && d["key"] === key, ref, "kind or key does not match");
  check(isCount(d["revision"]) && (d["revision"] as number) > 0, ref, "revision is not a positive integer");
  return d as unknown as StoredDocument;
}

export function decodeMeta(bytes: Uint8Array): StoreMeta {
  const ref = recordRefs.meta();
  const m = object(decodeRecord(bytes, ref), ref, "the store record");
  check(typeof m["createdAt"] === "number", ref, "createdAt is not a number");
  return m as unknown as StoreMeta;
}
