/**
 * An execution's history in the LMDB store: the events of one commit are ONE record (format
 * version 2), keyed `h executionArn firstEventId`, so a step costs one write whatever its
 * number of events. Stores of format version 1 hold one record per event under the same
 * keys; both read alike (a record of n events covers ids firstEventId…firstEventId+n-1),
 * so an execution written partly by each reads as one history.
 *
 * Records tile the ids 1…historyLength: each starts where the one before ended. A record
 * that is not where one must start is a gap, named by the id it should have started at.
 */
import { StoreCorruptionError, type HistoryEvent } from "../ports/execution-store.js";
import { hasPrefix, keys, type LmdbDatabase, type StoreKey } from "./lmdb-layout.js";
import { takeWhile } from "./lmdb-ranges.js";
import type { HistoryWindow } from "./pages.js";
import { encodeRecord } from "./record-codec.js";
import { decodeHistoryRecord, recordRefs } from "./records.js";

export class LmdbHistory {
  constructor(private readonly db: LmdbDatabase) {}

  /** Queues one commit's events as one record (call inside the commit's conditional block). */
  write(arn: string, events: readonly HistoryEvent[]): void {
    const first = events[0];
    if (first) this.db.put(keys.event(arn, first.id), encodeRecord(events));
  }

  /** The events of a history window, in its reading order; a StoreCorruptionError for a gap or a bad record. */
  read(arn: string, window: HistoryWindow): HistoryEvent[] {
    const lo = Math.min(window.first, window.last);
    const hi = Math.max(window.first, window.last);
    const events: HistoryEvent[] = [];
    let expected = this.recordStart(arn, lo) ?? lo;
    const range = this.db.getRange({ start: keys.event(arn, expected), end: keys.event(arn, hi), inclusiveEnd: true });
    for (const { key, value } of range) {
      if ((key as StoreKey)[2] !== expected) break;
      const record = decodeHistoryRecord(value, arn, expected);
      for (const e of record) if (e.id >= lo && e.id <= hi) events.push(e);
      expected += record.length;
      if (expected > hi) break;
    }
    if (expected <= hi) throw new StoreCorruptionError(recordRefs.history(arn, expected), "missing event (history gap)");
    return window.reverse ? events.reverse() : events;
  }

  /** The keys of every record of an execution's history (to remove them). */
  recordKeys(arn: string): StoreKey[] {
    const prefix = ["h", arn];
    return [...takeWhile(this.db.getKeys({ start: prefix }), (k) => hasPrefix(k, prefix))] as StoreKey[];
  }

  /**
   * Replaces (or with undefined removes) the bytes stored for event `id`, first splitting
   * the record holding it so that the event is a record of its own. For corruption tests
   * and repair tools: the other events of that record stay readable.
   */
  async writeRaw(arn: string, id: number, bytes: Uint8Array | undefined): Promise<void> {
    const start = this.recordStart(arn, id);
    const holder = start === undefined ? undefined : this.db.getBinary(keys.event(arn, start));
    const events = start === undefined || !holder ? [] : readable(() => decodeHistoryRecord(holder, arn, start));
    if (events.some((e) => e.id === id)) {
      const before = events.filter((e) => e.id < id);
      const after = events.filter((e) => e.id > id);
      if (before.length > 0) this.db.put(keys.event(arn, start as number), encodeRecord(before));
      if (after.length > 0) this.db.put(keys.event(arn, id + 1), encodeRecord(after));
    }
    await (bytes ? this.db.put(keys.event(arn, id), Buffer.from(bytes)) : this.db.remove(keys.event(arn, id)));
  }

  /** The first id of the record that holds event `id` (the nearest record key at or before it). */
  private recordStart(arn: string, id: number): number | undefined {
    for (const key of this.db.getKeys({ start: keys.event(arn, id), end: ["h", arn], reverse: true, limit: 1 })) {
      if (hasPrefix(key, ["h", arn])) return (key as StoreKey)[2] as number;
    }
    return undefined;
  }
}

/** The events of a record, or none when it cannot be read (then there is nothing to split). */
function readable(decode: () => HistoryEvent[]): HistoryEvent[] {
  try {
    return decode();
  } catch (error) {
    if (error instanceof StoreCorruptionError) return [];
    throw error;
  }
}
