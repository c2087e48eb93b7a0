/**
 * The durable QueueStore: the queues run in memory (MemoryQueueStore, so long polling and
 * FIFO group order work as there) and every change is written through to one LMDB
 * environment in `<data dir>/adapters/sqs` before the operation answers (this is the only
 * file of the adapter that imports `lmdb`). One process holds a data directory, so memory and
 * disk agree; on start each configured queue is read back. Keys (lmdb's ordered keys):
 *
 * | key                       | value                                   |
 * |---------------------------|-----------------------------------------|
 * | m format                  | format record (../lmdb-adapter-store.ts) |
 * | q queue                   | { createdAt, lastPosition }             |
 * | s queue position          | StoredMessage                           |
 * | d queue deduplicationId   | DedupEntry                              |
 *
 * A queue no longer in the config keeps its records (it is not served); deduplication
 * entries whose window closed are removed when the store opens.
 */
import { open, type Key, type RootDatabase } from "lmdb";
import type { QueueConfig } from "../../runtime/config/project-config.js";
import type { Clock } from "../../runtime/ports/clock.js";
import { ADAPTER_STORE_FORMAT, checkFormat, prepareDataDir } from "../lmdb-adapter-store.js";
import type { StoredMessage } from "./memory-queue.js";
import { MemoryQueueStore } from "./memory-queue-store.js";
import type { DedupEntry, QueueChange, QueueHeader, QueueJournal, SavedQueue } from "./queue-journal.js";
import type { QueueStore, QueueSummary, ReceivedMessage, ReceiveOptions, SendMessageInput, SendMessageOutput } from "./queue-store.js";

export interface LmdbQueueStoreOptions {
  /** A directory (created if missing) holding `data.mdb` and `lock.mdb`. */
  readonly path: string;
  /** The queues it serves (the config's). */
  readonly queues: Readonly<Record<string, QueueConfig>>;
  readonly clock?: Clock;
  readonly region?: string;
  readonly accountId?: string;
  /** "flushed" (default): operations answer once their writes are synced to disk; "committed": once visible (they survive a crash of the process, not of the machine). */
  readonly durability?: "flushed" | "committed";
}

type Database = RootDatabase<unknown, Key>;

const keys = {
  format: (): Key[] => ["m", "format"],
  queue: (name: string): Key[] => ["q", name],
  message: (queue: string, position: number): Key[] => ["s", queue, position],
  dedup: (queue: string, id: string): Key[] => ["d", queue, id],
};

interface QueueRecord {
  readonly createdAt: number;
  readonly lastPosition: number;
}

export class LmdbQueueStore implements QueueStore {
  private constructor(private readonly queues: MemoryQueueStore) {}

  /** Opens (or creates) the store and reads its queues back; throws StoreCorruptionError for a data file that is not LMDB's or a format it does not know. */
  static open(options: LmdbQueueStoreOptions): LmdbQueueStore {
    prepareDataDir(options.path);
    const db: Database = open({ path: options.path, encoding: "json" });
    const { path: _path, durability, ...memory } = options;
    try {
      if (checkFormat(options.path, db.get(keys.format()), db.getKeysCount({ limit: 1 }) > 0) === "new") db.putSync(keys.format(), { formatVersion: ADAPTER_STORE_FORMAT });
      const journal = new LmdbQueueJournal(db, durability !== "committed", (options.clock ?? { now: () => Date.now() }).now());
      // Reads every configured queue back (and records the new ones).
      return new LmdbQueueStore(new MemoryQueueStore({ ...memory, journal }));
    } catch (error) {
      void db.close();
      throw error;
    }
  }

  listQueues(): Promise<QueueSummary[]> {
    return this.queues.listQueues();
  }

  getQueueAttributes(queue: string): Promise<Record<string, string>> {
    return this.queues.getQueueAttributes(queue);
  }

  sendMessage(queue: string, input: SendMessageInput): Promise<SendMessageOutput> {
    return this.queues.sendMessage(queue, input);
  }

  receiveMessages(queue: string, options?: ReceiveOptions): Promise<ReceivedMessage[]> {
    return this.queues.receiveMessages(queue, options);
  }

  deleteMessage(queue: string, receiptHandle: string): Promise<void> {
    return this.queues.deleteMessage(queue, receiptHandle);
  }

  changeMessageVisibility(queue: string, receiptHandle: string, visibilityTimeoutSeconds: number): Promise<void> {
    return this.queues.changeMessageVisibility(queue, receiptHandle, visibilityTimeoutSeconds);
  }

  /** Ends pending long polls, lets the last writes land and closes the files. */
  close(): Promise<void> {
    return this.queues.close();
  }
}

/** The journal in LMDB: each change is one transaction (with the others queued in the same turn). */
class LmdbQueueJournal implements QueueJournal {
  constructor(
    private readonly db: Database,
    private readonly durable: boolean,
    /** When the store opened: deduplication windows closed by then are dropped. */
    private readonly openedAt: number,
  ) {}

  saved(name: string): SavedQueue | undefined {
    const queue = this.db.get(keys.queue(name)) as QueueRecord | undefined;
    if (!queue) return undefined;
    const messages = [...this.db.getRange({ start: ["s", name], end: ["s", name, Infinity] })].map((e) => e.value as StoredMessage);
    const entries = [...this.db.getRange({ start: ["d", name], end: ["d", name, "\uffff"] })];
    const closed = entries.filter((e) => (e.value as DedupEntry).until <= this.openedAt);
    if (closed.length > 0) this.db.transactionSync(() => closed.forEach((e) => this.db.removeSync(e.key)));
    const dedup = entries.filter((e) => !closed.includes(e)).map((e) => e.value as DedupEntry);
    return { createdAt: queue.createdAt, lastPosition: queue.lastPosition, messages, dedup };
  }

  created(queue: QueueHeader): void {
    this.db.putSync(keys.queue(queue.name), { createdAt: queue.createdAt, lastPosition: queue.lastPosition } satisfies QueueRecord);
  }

  async write(queue: QueueHeader, change: QueueChange): Promise<void> {
    const record: QueueRecord = { createdAt: queue.createdAt, lastPosition: queue.lastPosition };
    // Queued in this turn, so one transaction; the queue record orders writes that change nothing else.
    const writes = [this.db.put(keys.queue(queue.name), record)];
    for (const m of change.saved ?? []) writes.push(this.db.put(keys.message(queue.name, m.position), { ...m, receipts: [...m.receipts] }));
    for (const m of change.removed ?? []) writes.push(this.db.remove(keys.message(queue.name, m.position)));
    if (change.dedup) writes.push(this.db.put(keys.dedup(queue.name, change.dedup.id), change.dedup));
    await Promise.all(writes);
    if (this.durable) await this.db.flushed;
  }

  async close(): Promise<void> {
    await this.db.flushed;
    await this.db.close();
  }
}
