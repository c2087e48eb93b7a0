/**
 * The LMDB store's key layout. One database, keys are arrays whose first element names
 * the record family; lmdb's ordered-binary keys sort arrays element by element (numbers
 * before strings), so every list the store serves is one range read:
 *
 * | key                                   | value            | read as                           |
 * |---------------------------------------|------------------|-----------------------------------|
 * | m format                              | StoreMeta        | checked at open                   |
 * | x executionArn                        | ExecutionRecord  | version = revision (CAS)          |
 * | s executionArn                        | engine state     |                                   |
 * | h executionArn firstEventId           | HistoryEvent[]   | pages forward and backward        |
 * | l listedUnder startDate executionArn  | (empty)          | ListExecutions, newest first      |
 * | L listedUnder status startDate arn    | (empty)          | ListExecutions with a status      |
 * | r executionArn                        | (empty)          | RUNNING executions (recovery)     |
 * | f stopDate executionArn               | (empty)          | retention, oldest first           |
 * | i timerId                             | TimerRecord      | version = dueAt (acknowledge)     |
 * | t dueAt timerId                       | (empty)          | due timers in order               |
 * | e executionArn timerId                | (empty)          | an execution's timers (retention) |
 * | d kind key                            | StoredDocument   | version = revision (CAS)          |
 *
 * An `h` record holds one commit's events (format version 2; one event in version 1), see
 * lmdb-history.ts. A `t` entry is trusted only when `i` agrees on its due time (entries left behind by
 * racing writes are skipped, never fired).
 */
import type { Key, RootDatabase } from "lmdb";
import type { DocumentKind, ExecutionSummary, StoreRecordKind } from "../ports/execution-store.js";
import { isFinished } from "../engine/execution-status.js";
import { listedUnder } from "./change-plan.js";

export type StoreKey = Key[];

/** The one LMDB database the store keeps (binary values, versioned entries). */
export type LmdbDatabase = RootDatabase<Buffer, Key>;

export const keys = {
  meta: (): StoreKey => ["m", "format"],
  execution: (arn: string): StoreKey => ["x", arn],
  state: (arn: string): StoreKey => ["s", arn],
  event: (arn: string, id: number): StoreKey => ["h", arn, id],
  running: (arn: string): StoreKey => ["r", arn],
  finished: (stopDate: number, arn: string): StoreKey => ["f", stopDate, arn],
  timer: (timerId: string): StoreKey => ["i", timerId],
  due: (dueAt: number, timerId: string): StoreKey => ["t", dueAt, timerId],
  owned: (arn: string, timerId: string): StoreKey => ["e", arn, timerId],
  document: (kind: DocumentKind, key: string): StoreKey => ["d", kind, key],
};

/** The listing and recovery index entries an execution with this summary has. */
export function indexKeys(s: ExecutionSummary): StoreKey[] {
  const arn = s.executionArn;
  const listed = listedUnder(s).flatMap((under) => [
    ["l", under, s.startDate, arn],
    ["L", under, s.status, s.startDate, arn],
  ]);
  const state = isFinished(s.status) && s.stopDate !== undefined ? keys.finished(s.stopDate, arn) : keys.running(arn);
  return [...listed, state];
}

/** The index entries to remove and to add when a summary changes from `before` to `after`. */
export function indexChanges(before: ExecutionSummary | undefined, after: ExecutionSummary): { remove: StoreKey[]; add: StoreKey[] } {
  // Most steps change neither (the other indexed fields never change): nothing to do.
  if (before && before.status === after.status && before.stopDate === after.stopDate) return { remove: [], add: [] };
  if (!before) return { remove: [], add: indexKeys(after) };
  const old = new Map((before ? indexKeys(before) : []).map((k) => [JSON.stringify(k), k]));
  const next = new Map(indexKeys(after).map((k) => [JSON.stringify(k), k]));
  return {
    remove: [...old].filter(([id]) => !next.has(id)).map(([, k]) => k),
    add: [...next].filter(([id]) => !old.has(id)).map(([, k]) => k),
  };
}

/** True when `key` starts with all of `prefix`'s elements. */
export const hasPrefix = (key: Key, prefix: StoreKey): boolean => Array.isArray(key) && prefix.every((p, i) => key[i] === p);

/** The LMDB key of a record named as StoreCorruptionError names it (see `recordRefs`). */
export function keyOfRecord(kind: StoreRecordKind, key: string): StoreKey {
  const split = (sep: string): [string, string] => {
    const at = sep === "#" ? key.lastIndexOf(sep) : key.indexOf(sep);
    return [key.slice(0, at), key.slice(at + 1)];
  };
  switch (kind) {
    case "meta":
      return keys.meta();
    case "execution":
      return keys.execution(key);
    case "state":
      return keys.state(key);
    case "timer":
      return keys.timer(key);
    case "history": {
      const [arn, id] = split("#");
      return keys.event(arn, Number(id));
    }
    case "document": {
      const [docKind, docKey] = split("/");
      return keys.document(docKind as DocumentKind, docKey);
    }
    case "index":
      return JSON.parse(key) as StoreKey;
  }
}
