/**
 * Durable timers in the JetStream store's timers bucket: `t.<id>` holds the record (its
 * KV revision makes an acknowledgement conditional), `d.<dueAt>.<id>` orders them and
 * `o.<arn>.<id>` finds an execution's timers. A `d` entry is trusted only when its timer
 * still has that due time, so entries left behind by racing writers are skipped.
 */
import { StoreCorruptionError, type Page, type PageRequest, type TimerChanges, type TimerRecord } from "../ports/execution-store.js";
import { decodeCursor, encodeCursor, pageSize } from "../stores/pages.js";
import { encodeRecord } from "../stores/record-codec.js";
import { decodeTimer } from "../stores/records.js";
import { keyFilters, parseKey, storeKeys } from "./jetstream-store-keys.js";
import { confirmPage, EMPTY, isWrongSequence, listKeys, liveEntry, mapLimit, purgeKeys, put, remove, type KV, type KvEntry, type StoreBuckets } from "./jetstream-store-kv.js";

const READS_IN_FLIGHT = 64;

export class JetStreamStoreTimers {
  private readonly kv: KV;

  constructor(private readonly buckets: StoreBuckets) {
    this.kv = buckets.kv.timers;
  }

  async get(timerId: string): Promise<TimerRecord | undefined> {
    const entry = await liveEntry(this.kv, storeKeys.timer(timerId));
    return entry && decodeTimer(entry.value, timerId);
  }

  /** Sets and cancels; each timer is written on its own (different ids do not interact). */
  async write(changes: Omit<TimerChanges, "acknowledge">): Promise<void> {
    await Promise.all([...(changes.set ?? []).map((t) => this.set(t)), ...(changes.cancel ?? []).map((id) => this.cancel(id))]);
  }

  /** The stored timer and its entry; an unreadable timer counts as absent (writing it again repairs it). */
  private async previous(timerId: string): Promise<{ entry: KvEntry; timer: TimerRecord | undefined } | undefined> {
    const entry = await liveEntry(this.kv, storeKeys.timer(timerId));
    if (!entry) return undefined;
    try {
      return { entry, timer: decodeTimer(entry.value, timerId) };
    } catch (error) {
      if (!(error instanceof StoreCorruptionError)) throw error;
      return { entry, timer: undefined };
    }
  }

  private async set(t: TimerRecord): Promise<void> {
    const old = (await this.previous(t.timerId))?.timer;
    await put(this.kv, storeKeys.timer(t.timerId), encodeRecord(t));
    const writes = [put(this.kv, storeKeys.due(t.dueAt, t.timerId), EMPTY)];
    if (t.executionArn !== undefined) writes.push(put(this.kv, storeKeys.owned(t.executionArn, t.timerId), EMPTY));
    if (old && old.dueAt !== t.dueAt) writes.push(remove(this.kv, storeKeys.due(old.dueAt, t.timerId)).then(() => 0));
    if (old?.executionArn !== undefined && old.executionArn !== t.executionArn) {
      writes.push(remove(this.kv, storeKeys.owned(old.executionArn, t.timerId)).then(() => 0));
    }
    await Promise.all(writes);
  }

  private async cancel(timerId: string): Promise<void> {
    const old = await this.previous(timerId);
    if (!old) return;
    await remove(this.kv, storeKeys.timer(timerId));
    await this.dropIndex(timerId, old.timer);
  }

  private async dropIndex(timerId: string, timer: TimerRecord | undefined): Promise<void> {
    if (!timer) return;
    const removals = [remove(this.kv, storeKeys.due(timer.dueAt, timerId))];
    if (timer.executionArn !== undefined) removals.push(remove(this.kv, storeKeys.owned(timer.executionArn, timerId)));
    await Promise.all(removals);
  }

  /** Removes the timer only while it is still due at `dueAt` (compare-and-set on its KV revision). */
  async acknowledge(timerId: string, dueAt: number): Promise<void> {
    const old = await this.previous(timerId);
    if (!old?.timer || old.timer.dueAt !== dueAt) return;
    try {
      await this.kv.delete(storeKeys.timer(timerId), { previousSeq: old.entry.revision });
    } catch (error) {
      if (isWrongSequence(error)) return; // set again (or cancelled) meanwhile: not ours to remove
      throw error;
    }
    await this.dropIndex(timerId, old.timer);
  }

  /** Timers due at or before `time`, by due time then id. */
  async due(time: number, page: PageRequest): Promise<Page<TimerRecord>> {
    const limit = pageSize(page.limit);
    const [due0, id0] = page.cursor === undefined ? [-Infinity, ""] : (decodeCursor(page.cursor, "timers", ["number", "string"]) as [number, string]);
    const later = (d: { dueAt: number; timerId: string }): boolean => d.dueAt > due0 || (d.dueAt === due0 && d.timerId > id0);
    const candidates = (await listKeys(this.kv, keyFilters.due))
      .map(parseKey.due)
      .filter((d): d is { dueAt: number; timerId: string } => d !== undefined && d.dueAt <= time && later(d))
      .sort((a, b) => a.dueAt - b.dueAt || (a.timerId < b.timerId ? -1 : a.timerId > b.timerId ? 1 : 0));
    const found = await confirmPage(candidates, limit, async (d) => {
      const t = await this.get(d.timerId);
      return t && t.dueAt === d.dueAt ? t : undefined;
    });
    const last = found.items[found.items.length - 1];
    return found.more && last ? { items: found.items, cursor: encodeCursor("timers", [last.dueAt, last.timerId]) } : { items: found.items };
  }

  /** Removes the timers an execution owns (retention). */
  async removeOwned(arn: string): Promise<void> {
    const ids = (await listKeys(this.kv, keyFilters.owned(arn))).map(parseKey.owned).filter((id): id is string => id !== undefined);
    await mapLimit(ids, READS_IN_FLIGHT, async (id) => {
      const old = await this.previous(id);
      if (old?.timer?.executionArn !== arn) return;
      await remove(this.kv, storeKeys.timer(id));
      await remove(this.kv, storeKeys.due(old.timer.dueAt, id));
    });
    if (ids.length > 0) await purgeKeys(this.buckets, "timers", keyFilters.owned(arn));
  }
}
