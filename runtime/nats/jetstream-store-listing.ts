/**
 * Lists and retention over the JetStream store's index bucket. Each list reads the keys
 * under one filter, sorts them, and confirms each entry against the execution it names
 * (an entry is a hint: a writer that lost, or died before settling, leaves stale ones).
 */
import { isFinished } from "../engine/execution-status.js";
import type { ExecutionQuery, ExecutionSummary, Page, PageRequest } from "../ports/execution-store.js";
import { listedUnder } from "../stores/change-plan.js";
import { decodeCursor, encodeCursor, pageSize } from "../stores/pages.js";
import type { ExecutionEntry } from "./jetstream-store-entry.js";
import { keyFilters, parseKey, storeKeys } from "./jetstream-store-keys.js";
import { confirmPage, listKeys, purgeKeys, remove, removeIf, type StoreBuckets } from "./jetstream-store-kv.js";
import type { JetStreamStoreTimers } from "./jetstream-store-timers.js";

/** What lists need from the store: an execution's entry, and settling a step its writer left. */
export interface EntryReader {
  entry(arn: string): Promise<ExecutionEntry | undefined>;
  settleIfNeeded(entry: ExecutionEntry): Promise<void>;
}

const isDefined = <T>(v: T | undefined): v is T => v !== undefined;
const byNewest = (a: { startDate: number; arn: string }, b: { startDate: number; arn: string }): number =>
  b.startDate - a.startDate || (b.arn < a.arn ? -1 : b.arn > a.arn ? 1 : 0);

export class ExecutionListing {
  constructor(
    private readonly buckets: StoreBuckets,
    private readonly reader: EntryReader,
    private readonly timers: JetStreamStoreTimers,
  ) {}

  /**
   * RUNNING executions in ARN order. Recovery calls this at start-up, so it also settles
   * any step a dead writer left (its timers, its history), which may finish an execution.
   */
  async running(page: PageRequest): Promise<Page<string>> {
    const limit = pageSize(page.limit, 1000);
    const after = page.cursor === undefined ? undefined : (decodeCursor(page.cursor, "running", ["string"])[0] as string);
    const arns = (await listKeys(this.buckets.kv.index, keyFilters.running))
      .map(parseKey.running)
      .filter((arn): arn is string => arn !== undefined && (after === undefined || arn > after))
      .sort();
    const found = await confirmPage(arns, limit, async (arn) => {
      const entry = await this.reader.entry(arn);
      if (!entry) return undefined;
      await this.reader.settleIfNeeded(entry);
      return entry.record.summary.status === "RUNNING" ? arn : undefined;
    });
    const last = found.items[found.items.length - 1];
    return found.more && last !== undefined ? { items: found.items, cursor: encodeCursor("running", [last]) } : { items: found.items };
  }

  /** Newest first (start date, then ARN, descending). */
  async executions(query: ExecutionQuery): Promise<Page<ExecutionSummary>> {
    const limit = pageSize(query.limit);
    const [start, last] = query.cursor === undefined ? [Infinity, ""] : (decodeCursor(query.cursor, "executions", ["number", "string"]) as [number, string]);
    const older = (c: { startDate: number; arn: string }): boolean => c.startDate < start || (c.startDate === start && c.arn < last);
    const candidates = (await listKeys(this.buckets.kv.index, keyFilters.listed(query.arn, query.status)))
      .map(parseKey.listed)
      .filter(isDefined)
      .filter(older)
      .sort(byNewest);
    const found = await confirmPage(candidates, limit, async (c) => {
      const summary = (await this.reader.entry(c.arn))?.record.summary;
      const agrees = summary && summary.status === c.status && summary.startDate === c.startDate && listedUnder(summary).includes(query.arn);
      return agrees ? summary : undefined;
    });
    const end = found.items[found.items.length - 1];
    return found.more && end ? { items: found.items, cursor: encodeCursor("executions", [end.startDate, end.executionArn]) } : { items: found.items };
  }

  /** Removes executions that finished before `time`, `batchSize` at a time; returns how many. */
  async removeFinishedBefore(time: number, batchSize: number, onBatch: () => void): Promise<number> {
    const candidates = (await listKeys(this.buckets.kv.index, keyFilters.finished))
      .map(parseKey.finished)
      .filter((c): c is { stopDate: number; arn: string } => c !== undefined && c.stopDate < time)
      .sort((a, b) => a.stopDate - b.stopDate || (a.arn < b.arn ? -1 : 1));
    let removed = 0;
    for (let at = 0; at < candidates.length; at += batchSize) {
      const landed = await Promise.all(candidates.slice(at, at + batchSize).map((c) => this.removeOne(c.stopDate, c.arn)));
      removed += landed.filter(Boolean).length;
      onBatch();
    }
    return removed;
  }

  private async removeOne(stopDate: number, arn: string): Promise<boolean> {
    const { kv } = this.buckets;
    const entry = await this.reader.entry(arn);
    const summary = entry?.record.summary;
    if (!entry || !summary || !isFinished(summary.status) || summary.stopDate !== stopDate) {
      // A stale entry (older than the cutoff, so no step in flight can be writing it): drop it.
      await remove(kv.index, storeKeys.finished(stopDate, arn));
      return false;
    }
    // The entry goes only if nobody wrote it since it was read (a redrive wins).
    if (!(await removeIf(kv.executions, storeKeys.execution(arn), entry.kvRevision))) return false;
    await Promise.all([
      purgeKeys(this.buckets, "history", keyFilters.events(arn)),
      purgeKeys(this.buckets, "executions", storeKeys.settled(arn)),
      ...keyFilters.indexOf(arn).map((filter) => purgeKeys(this.buckets, "index", filter)),
      this.timers.removeOwned(arn),
    ]);
    return true;
  }
}
