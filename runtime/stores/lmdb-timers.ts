/**
 * Durable timers in the LMDB store: `i timerId` holds the record (its LMDB version is its
 * due time, so an acknowledgement can be conditional on it), `t dueAt timerId` orders
 * them, `e executionArn timerId` finds an execution's timers. Writes go inside the
 * caller's queued block (an execution commit) or a batch of their own.
 */
import { StoreCorruptionError, type Page, type PageRequest, type TimerChanges, type TimerRecord } from "../ports/execution-store.js";
import { checkTimer } from "./change-plan.js";
import { hasPrefix, keys, type LmdbDatabase, type StoreKey } from "./lmdb-layout.js";
import { collect, filterMap, takeWhile } from "./lmdb-ranges.js";
import { decodeCursor, encodeCursor, pageSize } from "./pages.js";
import { encodeRecord } from "./record-codec.js";
import { decodeTimer } from "./records.js";

const EMPTY = Buffer.alloc(0);

/** A timer as stored, read before a write that replaces or removes it. */
export interface TimerSeen {
  readonly dueAt: number;
  readonly executionArn: string | undefined;
}

export class LmdbTimers {
  /** Timers as queued writes leave them (undefined: removed), until those writes settle. */
  private readonly pending = new Map<string, { readonly seen: TimerSeen | undefined }>();

  constructor(
    private readonly db: LmdbDatabase,
    private readonly synced: () => Promise<void>,
  ) {}

  /**
   * The due time and owner of each timer id as the writes queued so far leave them; an
   * unreadable timer counts as absent (writing it again repairs it).
   */
  see(ids: readonly string[]): Map<string, TimerSeen> {
    const seen = new Map<string, TimerSeen>();
    for (const id of ids) {
      const queued = this.pending.get(id);
      if (queued) {
        if (queued.seen) seen.set(id, queued.seen);
        continue;
      }
      const bytes = this.db.getBinary(keys.timer(id));
      if (!bytes) continue;
      try {
        const t = decodeTimer(bytes, id);
        seen.set(id, { dueAt: t.dueAt, executionArn: t.executionArn });
      } catch (error) {
        if (!(error instanceof StoreCorruptionError)) throw error;
      }
    }
    return seen;
  }

  /** Remembers what queued timer writes will leave, until `written` settles. */
  expect(changes: TimerChanges, written: Promise<unknown>): void {
    const marks = new Map<string, { readonly seen: TimerSeen | undefined }>();
    for (const t of changes.set ?? []) marks.set(t.timerId, { seen: { dueAt: t.dueAt, executionArn: t.executionArn } });
    for (const id of changes.cancel ?? []) marks.set(id, { seen: undefined });
    for (const [id, mark] of marks) this.pending.set(id, mark);
    const clear = (): void => {
      for (const [id, mark] of marks) if (this.pending.get(id) === mark) this.pending.delete(id);
    };
    written.then(clear, clear);
  }

  /** Sets and cancels, inside a queued block; `seen` is what `see` read before it was queued. */
  write(changes: TimerChanges, seen: Map<string, TimerSeen>): void {
    for (const t of changes.set ?? []) {
      this.dropIndex(t.timerId, seen.get(t.timerId));
      this.db.put(keys.timer(t.timerId), encodeRecord(t), t.dueAt);
      this.db.put(keys.due(t.dueAt, t.timerId), EMPTY);
      if (t.executionArn !== undefined) this.db.put(keys.owned(t.executionArn, t.timerId), EMPTY);
    }
    for (const id of changes.cancel ?? []) {
      this.db.remove(keys.timer(id));
      this.dropIndex(id, seen.get(id));
    }
  }

  private dropIndex(timerId: string, seen: TimerSeen | undefined): void {
    if (!seen) return;
    this.db.remove(keys.due(seen.dueAt, timerId));
    if (seen.executionArn !== undefined) this.db.remove(keys.owned(seen.executionArn, timerId));
  }

  async update(changes: TimerChanges): Promise<void> {
    for (const t of changes.set ?? []) checkTimer(t.timerId, t.dueAt);
    const acks = changes.acknowledge ?? [];
    const seen = this.see([...(changes.set ?? []).map((t) => t.timerId), ...(changes.cancel ?? []), ...acks.map((a) => a.timerId)]);
    const batch = this.db.batch(() => this.write(changes, seen));
    this.expect(changes, batch);
    const writes = [batch];
    for (const { timerId, dueAt } of acks) {
      // Removed only while its version (its due time) is still `dueAt`.
      const drop = (): void => {
        this.db.remove(keys.timer(timerId));
        this.dropIndex(timerId, seen.get(timerId) ?? { dueAt, executionArn: undefined });
      };
      writes.push(this.db.ifVersion(keys.timer(timerId), dueAt, drop));
    }
    await Promise.all(writes);
    await this.synced();
  }

  /** Timer ids an execution owns (`e` entries). */
  ownedBy(arn: string): string[] {
    const range = takeWhile(this.db.getKeys({ start: ["e", arn] }), (k) => hasPrefix(k, ["e", arn]));
    return [...range].map((k) => (k as StoreKey)[2] as string);
  }

  due(time: number, page: PageRequest): Page<TimerRecord> {
    const limit = pageSize(page.limit);
    const after = page.cursor === undefined ? undefined : decodeCursor(page.cursor, "timers", ["number", "string"]);
    const range = this.db.getKeys({ start: after === undefined ? ["t"] : ["t", ...after], exclusiveStart: after !== undefined });
    const due = takeWhile(range, (k) => hasPrefix(k, ["t"]) && ((k as StoreKey)[1] as number) <= time);
    const live = filterMap(due, (k) => {
      const [, dueAt, id] = k as [string, number, string];
      const entry = this.db.getEntry(keys.timer(id));
      if (entry && entry.version === dueAt) return decodeTimer(entry.value, id);
      this.dropStale(k as StoreKey, entry?.version);
      return undefined;
    });
    return collect(live, undefined, limit, (t) => t, (t) => encodeCursor("timers", [t.dueAt, t.timerId]));
  }

  /**
   * Removes a due-index entry its timer no longer agrees with (left by racing writes), on
   * the condition that the timer is still as read: a timer set again meanwhile keeps it.
   */
  private dropStale(dueKey: StoreKey, version: number | undefined): void {
    const id = dueKey[2] as string;
    if (this.pending.has(id)) return;
    const drop = (): void => void this.db.remove(dueKey);
    const removal = version === undefined ? this.db.ifNoExists(keys.timer(id), drop) : this.db.ifVersion(keys.timer(id), version, drop);
    removal.catch(() => undefined);
  }
}
