/** One in-memory queue's messages, receipts, deduplication window and long-poll waiters. */
import type { DedupEntry, QueueHeader, SavedQueue } from "./queue-journal.js";
import type { MessageAttributes, SendMessageOutput } from "./queue-store.js";

export interface StoredMessage {
  readonly id: string;
  readonly body: string;
  readonly md5: string;
  readonly attributes?: MessageAttributes;
  readonly md5Attributes?: string;
  readonly sentAt: number;
  /** Its place in the queue: each message sent gets the next one. */
  readonly position: number;
  readonly groupId?: string;
  readonly dedupId?: string;
  readonly sequence?: string;
  /** Delayed until, or in flight until (after a receive); visible from then on. */
  visibleAt: number;
  receiveCount: number;
  firstReceivedAt?: number;
  /** Every receipt handle handed out for it: any of them deletes it, as on SQS. */
  readonly receipts: string[];
}

/** SQS's default MessageRetentionPeriod (4 days). */
export const RETENTION_SECONDS = 345_600;
/** SequenceNumbers are large, non-consecutive, increasing 20-digit numbers. */
const SEQUENCE_BASE = 10_000_000_000_000_000_000n;

export class MemoryQueue implements QueueHeader {
  readonly retentionSeconds = RETENTION_SECONDS;
  private messages: StoredMessage[] = [];
  private readonly receipts = new Map<string, StoredMessage>();
  private readonly dedup = new Map<string, DedupEntry>();
  private readonly waiters = new Set<() => void>();
  private position = 0;

  constructor(
    readonly name: string,
    readonly fifo: boolean,
    readonly visibilityTimeoutSeconds: number,
    readonly createdAt: number,
  ) {}

  get lastPosition(): number {
    return this.position;
  }

  /** Takes back a queue's saved state (when the store starts). */
  restore(saved: SavedQueue): void {
    this.position = saved.lastPosition;
    this.messages = [...saved.messages];
    for (const m of this.messages) for (const r of m.receipts) this.receipts.set(r, m);
    for (const entry of saved.dedup) this.dedup.set(entry.id, entry);
  }

  add(m: StoredMessage): void {
    this.messages.push(m);
  }

  remove(m: StoredMessage): void {
    const i = this.messages.indexOf(m);
    if (i >= 0) this.messages.splice(i, 1);
    for (const r of m.receipts) this.receipts.delete(r);
  }

  addReceipt(m: StoredMessage, receipt: string): void {
    m.receipts.push(receipt);
    this.receipts.set(receipt, m);
  }

  byReceipt(receipt: string): StoredMessage | undefined {
    return this.receipts.get(receipt);
  }

  /** The position the next message sent takes. */
  nextPosition(): number {
    this.position += 1;
    return this.position;
  }

  /** A FIFO message's SequenceNumber, from its position. */
  static sequenceOf(position: number): string {
    return String(SEQUENCE_BASE + BigInt(position) * 65_536n);
  }

  /** The answer to an earlier send with this deduplication id, while the window is open. */
  dedupHit(id: string, now: number): SendMessageOutput | undefined {
    const seen = this.dedup.get(id);
    if (seen && seen.until > now) return seen.out;
    this.dedup.delete(id);
    return undefined;
  }

  remember(entry: DedupEntry): void {
    this.dedup.set(entry.id, entry);
  }

  /** Drops messages past the retention period; returns them. */
  dropExpired(now: number): StoredMessage[] {
    const oldest = now - this.retentionSeconds * 1000;
    const dropped: StoredMessage[] = [];
    while (this.messages[0] && this.messages[0].sentAt < oldest) {
      dropped.push(this.messages[0]);
      this.remove(this.messages[0]);
    }
    return dropped;
  }

  counts(now: number): { visible: number; inFlight: number; delayed: number } {
    let visible = 0;
    let inFlight = 0;
    let delayed = 0;
    for (const m of this.messages) {
      if (m.visibleAt <= now) visible += 1;
      else if (m.receiveCount > 0) inFlight += 1;
      else delayed += 1;
    }
    return { visible, inFlight, delayed };
  }

  /** When the next message that is not visible now becomes visible. */
  nextVisibleAt(now: number): number | undefined {
    let next: number | undefined;
    for (const m of this.messages) if (m.visibleAt > now && (next === undefined || m.visibleAt < next)) next = m.visibleAt;
    return next;
  }

  /**
   * Up to `max` visible messages, oldest first. FIFO: a group with a message in flight is
   * skipped whole, so each group's messages are processed in order, one batch at a time.
   */
  takeVisible(now: number, max: number): StoredMessage[] {
    const blocked = new Set<string>();
    if (this.fifo) {
      for (const m of this.messages) if (m.receiveCount > 0 && m.visibleAt > now && m.groupId !== undefined) blocked.add(m.groupId);
    }
    const out: StoredMessage[] = [];
    for (const m of this.messages) {
      if (out.length >= max) break;
      if (m.visibleAt > now) continue;
      if (m.groupId !== undefined && blocked.has(m.groupId)) continue;
      out.push(m);
    }
    return out;
  }

  /** Wakes every long poll waiting on this queue. */
  notify(): void {
    const waiting = [...this.waiters];
    this.waiters.clear();
    for (const w of waiting) w();
  }

  /** Resolves on the next notify, after `ms`, or when `signal` aborts. */
  waitForChange(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", done);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener("abort", done, { once: true });
      this.waiters.add(done);
    });
  }
}
