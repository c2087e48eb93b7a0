/**
 * Settling a step: after an execution entry's compare-and-set won, its step's events go
 * to the history bucket, its timer writes to the timers bucket, and its index move to
 * the index bucket; then a marker (`m.<arn>` = the entry's KV revision) says so. Every
 * write is idempotent, so whoever finds a step unsettled (the next commit, on any node,
 * or recovery's `listRunning`) settles it again, and nothing committed is lost when the
 * writer dies right after its compare-and-set.
 *
 * New index entries are written before the compare-and-set as well: an execution is
 * listed even if its writer dies before settling. Entries of a step that lost stay
 * behind as hints that readers check against the record (and retention purges).
 */
import type { ExecutionSummary } from "../ports/execution-store.js";
import { decodeRecord, encodeRecord } from "../stores/record-codec.js";
import type { IndexMove, PendingStep } from "./jetstream-store-entry.js";
import { indexKeysOf, storeKeys } from "./jetstream-store-keys.js";
import { EMPTY, liveEntry, put, remove, type StoreBuckets } from "./jetstream-store-kv.js";
import type { JetStreamStoreTimers } from "./jetstream-store-timers.js";

/** The index entries a move adds and removes. */
export function indexDiff(summary: ExecutionSummary, move: IndexMove): { add: string[]; remove: string[] } {
  if (move === "same") return { add: [], remove: [] };
  const now = indexKeysOf(summary);
  if (move === "created") return { add: now, remove: [] };
  const { stopDate: _stop, ...rest } = summary;
  const before = indexKeysOf(move.stopDate === undefined ? { ...rest, status: move.status } : { ...rest, status: move.status, stopDate: move.stopDate });
  return { add: now.filter((k) => !before.includes(k)), remove: before.filter((k) => !now.includes(k)) };
}

export class StepSettler {
  constructor(
    private readonly buckets: StoreBuckets,
    private readonly timers: JetStreamStoreTimers,
  ) {}

  /** Writes the index entries the step adds, ahead of its compare-and-set. */
  async announce(summary: ExecutionSummary, step: PendingStep): Promise<void> {
    await Promise.all(indexDiff(summary, step.index).add.map((k) => put(this.buckets.kv.index, k, EMPTY)));
  }

  /** Applies a step whose entry is stored (again, if someone already did: every write is idempotent). */
  async settle(summary: ExecutionSummary, step: PendingStep): Promise<void> {
    const arn = summary.executionArn;
    const { kv } = this.buckets;
    const index = indexDiff(summary, step.index);
    await Promise.all([
      ...step.events.map((e) => put(kv.history, storeKeys.event(arn, e.id), encodeRecord(e))),
      ...index.add.map((k) => put(kv.index, k, EMPTY)),
      ...index.remove.map((k) => remove(kv.index, k)),
      this.timers.write({ set: step.set, cancel: step.cancel }),
    ]);
  }

  async markSettled(arn: string, kvRevision: number): Promise<void> {
    await put(this.buckets.kv.executions, storeKeys.settled(arn), encodeRecord(kvRevision));
  }

  /** True when the entry at `kvRevision` was settled; an unreadable marker counts as not (settling again is harmless). */
  async isSettled(arn: string, kvRevision: number): Promise<boolean> {
    const entry = await liveEntry(this.buckets.kv.executions, storeKeys.settled(arn));
    if (!entry) return false;
    try {
      return decodeRecord(entry.value, { kind: "meta", key: storeKeys.settled(arn) }) === kvRevision;
    } catch {
      return false;
    }
  }
}
