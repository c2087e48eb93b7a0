/**
 * The QueueJournal port: where MemoryQueueStore writes what each operation changed, before
 * the operation answers, and reads its queues back from when it starts. Without one the
 * queues live as long as the process; LmdbQueueStore gives it one on disk. Everything the
 * queue semantics need survives: messages in order, their receive counts, receipts and
 * "visible at" times (so a message in flight at a crash comes back when its visibility
 * timeout ends, and a delayed one when its delay does), FIFO sequence numbers and the
 * deduplication window.
 */
import type { SendMessageOutput } from "./queue-store.js";
import type { StoredMessage } from "./memory-queue.js";

/** A FIFO queue's answer to a deduplication id, kept until the window closes. */
export interface DedupEntry {
  readonly id: string;
  readonly out: SendMessageOutput;
  /** Epoch milliseconds. */
  readonly until: number;
}

/** A queue as the journal holds it. */
export interface SavedQueue {
  /** Epoch milliseconds. */
  readonly createdAt: number;
  /** The position of the last message sent (each message gets the next one; FIFO sequence numbers derive from it). */
  readonly lastPosition: number;
  /** In position order. */
  readonly messages: readonly StoredMessage[];
  /** Open deduplication windows. */
  readonly dedup: readonly DedupEntry[];
}

/** What one operation changed in one queue. */
export interface QueueChange {
  /** Messages sent, received or given a new visibility timeout: their state now. */
  readonly saved?: readonly StoredMessage[];
  /** Messages deleted or past the retention period. */
  readonly removed?: readonly StoredMessage[];
  readonly dedup?: DedupEntry;
}

/** The queue a change belongs to, as the journal writes it along (it also orders the writes). */
export interface QueueHeader {
  readonly name: string;
  readonly createdAt: number;
  readonly lastPosition: number;
}

export interface QueueJournal {
  /** The queue as written before; undefined for a queue the journal has not seen. */
  saved(name: string): SavedQueue | undefined;
  /** Records a queue it had not seen, at once (queues are created as the store starts). */
  created(queue: QueueHeader): void;
  /**
   * Writes a change (its messages as they are when this is called); resolves once it, and
   * every change written before it, is durable.
   */
  write(queue: QueueHeader, change: QueueChange): Promise<void>;
  close(): Promise<void>;
}
