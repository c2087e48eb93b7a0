/**
 * The durable ExecutionStore: one LMDB environment on local disk (only the lmdb-* files
 * import `lmdb`; the key layout is in lmdb-layout.ts). Writes are lmdb's conditional
 * blocks (`ifVersion` on an execution's record, whose LMDB version is its revision); lmdb
 * puts every write queued in one event turn into one transaction, committed and synced
 * off the main thread, so concurrent commits share a transaction and a disk sync. Reads
 * are synchronous range reads over ordered keys.
 *
 * lmdb's `transaction(callback)` is not used: its callback comes back through a N-API
 * thread-safe call that never arrived on this project's VM (the promise hung, and the
 * process could not exit), while conditional blocks are plain queued writes.
 */
import { join } from "node:path";
import { open } from "lmdb";
import {
  StoreCorruptionError,
  type CommitOutcome,
  type DocumentKind,
  type DocumentQuery,
  type DocumentWrite,
  type ExecutionChange,
  type ExecutionQuery,
  type ExecutionStore,
  type ExecutionSummary,
  type HistoryPage,
  type HistoryQuery,
  type Page,
  type PageRequest,
  type StoredDocument,
  type StoredExecution,
  type StoreRecordKind,
  type StoreStats,
  type TimerChanges,
  type TimerRecord,
} from "../ports/execution-store.js";
import { checkChanges, planChange } from "./change-plan.js";
import { checkDataFile } from "./lmdb-data-file.js";
import { LmdbDocuments } from "./lmdb-documents.js";
import { LmdbHistory } from "./lmdb-history.js";
import { hasPrefix, indexChanges, indexKeys, keyOfRecord, keys, type LmdbDatabase, type StoreKey } from "./lmdb-layout.js";
import { collect, takeWhile } from "./lmdb-ranges.js";
import { LmdbTimers, type TimerSeen } from "./lmdb-timers.js";
import { decodeCursor, encodeCursor, historyWindow, pageSize } from "./pages.js";
import { encodeRecord, STORE_FORMAT_VERSION } from "./record-codec.js";
import { decodeExecution, decodeMeta, decodeState, recordRefs, type ExecutionRecord } from "./records.js";

export interface LmdbExecutionStoreOptions {
  /** A directory (created if missing) holding `data.mdb` and `lock.mdb`. */
  readonly path: string;
  /**
   * "flushed" (default): writes resolve once synced to disk (they survive a power loss).
   * "committed": once visible; they survive a crash of the process, not of the machine.
   */
  readonly durability?: "flushed" | "committed";
}

const EMPTY = Buffer.alloc(0);

export class LmdbExecutionStore implements ExecutionStore {
  private transactions = 0;
  private commits = 0;
  /** Records of commits queued but not yet committed, so the next commit can follow them. */
  private readonly pending = new Map<string, ExecutionRecord>();
  private readonly timers: LmdbTimers;
  private readonly documents: LmdbDocuments;
  private readonly history: LmdbHistory;

  private constructor(
    private readonly db: LmdbDatabase,
    private readonly durable: boolean,
  ) {
    db.on("aftercommit", () => this.transactions++);
    this.timers = new LmdbTimers(db, () => this.synced());
    this.documents = new LmdbDocuments(db, () => this.synced());
    this.history = new LmdbHistory(db);
  }

  /** Opens (or creates) the store at `options.path`; throws StoreCorruptionError for a store it cannot read. */
  static async open(options: LmdbExecutionStoreOptions): Promise<LmdbExecutionStore> {
    await checkDataFile(join(options.path, "data.mdb"));
    const db: LmdbDatabase = open({ path: options.path, encoding: "binary", useVersions: true });
    const store = new LmdbExecutionStore(db, options.durability !== "committed");
    try {
      await store.checkFormat();
    } catch (error) {
      await db.close();
      throw error;
    }
    return store;
  }

  private async checkFormat(): Promise<void> {
    const meta = this.db.getBinary(keys.meta());
    if (meta) return void decodeMeta(meta);
    if (this.db.getKeysCount({ limit: 1 }) > 0) throw new StoreCorruptionError(recordRefs.meta(), "missing from a store that has data");
    await this.db.put(keys.meta(), encodeRecord({ formatVersion: STORE_FORMAT_VERSION, createdAt: Date.now() }));
    await this.synced();
  }

  private async synced(): Promise<void> {
    if (this.durable) await this.db.flushed;
  }

  /**
   * The disk sync of the transaction the writes queued so far went into, taken now: lmdb's
   * `flushed` is the flush of whatever was written last when it is awaited, so awaited once
   * the writes landed it would also wait for a transaction queued after them (the next
   * commit's), and commits issued a turn apart would land together.
   */
  private flushOfQueued(): Promise<void> {
    if (!this.durable) return Promise.resolve();
    return new Promise((resolve, reject) => void this.db.flushed.then(() => resolve(), reject));
  }

  async commit(changes: readonly ExecutionChange[]): Promise<CommitOutcome[]> {
    checkChanges(changes);
    // Every read (and every decoding error) happens before the first write is queued.
    const currents = changes.map((c) => this.pending.get(c.summary.executionArn) ?? this.record(c.summary.executionArn));
    const plans = changes.map((c, i) => planChange(currents[i], c));
    const seen = changes.map((c) => this.timers.see([...(c.timers?.set ?? []).map((t) => t.timerId), ...(c.timers?.cancel ?? [])]));
    this.commits += changes.length;
    const writes = plans.map((plan, i) =>
      "outcome" in plan ? undefined : this.queueChange(changes[i] as ExecutionChange, plan.record, currents[i], seen[i] as Map<string, TimerSeen>),
    );
    const flushed = this.flushOfQueued();
    const landed = await Promise.all(writes);
    await flushed;
    return plans.map((plan, i) => {
      if ("outcome" in plan) return plan.outcome;
      const { summary, revision, historyLength } = plan.record;
      const executionArn = summary.executionArn;
      if (landed[i]) return { status: "ok", executionArn, revision, historyLength };
      // Lost to a write queued in between: LMDB's version of the record is its revision.
      return { status: "conflict", executionArn, revision: this.db.getEntry(keys.execution(executionArn))?.version ?? 0 };
    });
  }

  private record(arn: string): ExecutionRecord | undefined {
    const bytes = this.db.getBinary(keys.execution(arn));
    return bytes && decodeExecution(bytes, arn);
  }

  /** Queues one change as a block conditional on the execution's revision; true once it landed. */
  private queueChange(change: ExecutionChange, record: ExecutionRecord, previous: ExecutionRecord | undefined, seen: Map<string, TimerSeen>): Promise<boolean> {
    const arn = record.summary.executionArn;
    const timers = { set: (change.timers?.set ?? []).map((t) => ({ ...t, executionArn: arn })), cancel: change.timers?.cancel ?? [] };
    const writeAll = (): void => {
      this.db.put(keys.execution(arn), encodeRecord(record), record.revision);
      this.db.put(keys.state(arn), encodeRecord(change.state));
      this.history.write(arn, change.events ?? []);
      const index = indexChanges(previous?.summary, record.summary);
      for (const k of index.remove) this.db.remove(k);
      for (const k of index.add) this.db.put(k, EMPTY);
      this.timers.write(timers, seen);
    };
    const key = keys.execution(arn);
    const written = previous ? this.db.ifVersion(key, previous.revision, writeAll) : this.db.ifNoExists(key, writeAll);
    this.pending.set(arn, record);
    this.timers.expect(timers, written);
    return written.finally(() => {
      if (this.pending.get(arn) === record) this.pending.delete(arn);
    });
  }

  async load(executionArn: string): Promise<StoredExecution | undefined> {
    const record = this.record(executionArn);
    if (!record) return undefined;
    const state = this.db.getBinary(keys.state(executionArn));
    if (!state) throw new StoreCorruptionError(recordRefs.state(executionArn), "missing");
    return { ...record, state: decodeState(state, executionArn) };
  }

  async listRunning(page: PageRequest = {}): Promise<Page<string>> {
    const limit = pageSize(page.limit, 1000);
    const after = page.cursor === undefined ? undefined : (decodeCursor(page.cursor, "running", ["string"])[0] as string);
    const range = this.db.getKeys({ start: after === undefined ? ["r"] : keys.running(after), exclusiveStart: after !== undefined });
    return collect(range, ["r"], limit, (k) => (k as StoreKey)[1] as string, (arn) => encodeCursor("running", [arn]));
  }

  async listExecutions(query: ExecutionQuery): Promise<Page<ExecutionSummary>> {
    const limit = pageSize(query.limit);
    const prefix: StoreKey = query.status === undefined ? ["l", query.arn] : ["L", query.arn, query.status];
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, "executions", ["number", "string"]);
    // Newest first: a reverse range from past the newest start date down to the prefix.
    const start = after === undefined ? [...prefix, Infinity] : [...prefix, ...after];
    const range = this.db.getKeys({ start, end: prefix, reverse: true, exclusiveStart: after !== undefined });
    const summary = (k: StoreKey): ExecutionSummary => {
      const record = this.record(k[k.length - 1] as string);
      if (!record) throw new StoreCorruptionError({ kind: "index", key: JSON.stringify(k) }, "lists an execution that does not exist");
      return record.summary;
    };
    return collect(range, prefix, limit, (k) => summary(k as StoreKey), (s) => encodeCursor("executions", [s.startDate, s.executionArn]));
  }

  async readHistory(executionArn: string, query: HistoryQuery = {}): Promise<HistoryPage | undefined> {
    const record = this.record(executionArn);
    if (!record) return undefined;
    const window = historyWindow(record.historyLength, query);
    if (!window) return { events: [] };
    const events = this.history.read(executionArn, window);
    return window.next === undefined ? { events } : { events, next: window.next };
  }

  updateTimers(changes: TimerChanges): Promise<void> {
    return this.timers.update(changes);
  }

  async timersDue(time: number, page: PageRequest = {}): Promise<Page<TimerRecord>> {
    return this.timers.due(time, page);
  }

  async getDocument(kind: DocumentKind, key: string): Promise<StoredDocument | undefined> {
    return this.documents.get(kind, key);
  }

  putDocument(kind: DocumentKind, key: string, value: unknown, expectedRevision?: number): Promise<DocumentWrite> {
    return this.documents.put(kind, key, value, expectedRevision);
  }

  deleteDocument(kind: DocumentKind, key: string, expectedRevision?: number): Promise<boolean> {
    return this.documents.delete(kind, key, expectedRevision);
  }

  async listDocuments(kind: DocumentKind, query: DocumentQuery = {}): Promise<Page<StoredDocument>> {
    return this.documents.list(kind, query);
  }

  async removeFinishedBefore(time: number, options: { readonly batchSize?: number } = {}): Promise<number> {
    const batchSize = pageSize(options.batchSize);
    let removed = 0;
    let after: StoreKey | undefined;
    for (;;) {
      const range = this.db.getKeys({ start: after ?? ["f"], exclusiveStart: after !== undefined, limit: batchSize });
      const batch = [...takeWhile(range, (k) => hasPrefix(k, ["f"]) && ((k as StoreKey)[1] as number) < time)] as StoreKey[];
      if (batch.length === 0) return removed;
      after = batch[batch.length - 1];
      // One batch, one transaction: every removal below is queued in this event turn.
      const landed = await Promise.all(batch.map((k) => this.queueRemoval(k)));
      await this.synced();
      removed += landed.filter(Boolean).length;
    }
  }

  /** Queues the removal of a finished execution, its history, index entries and timers. */
  private queueRemoval(finishedKey: StoreKey): Promise<boolean> {
    const arn = finishedKey[2] as string;
    const record = this.record(arn);
    if (!record) return this.db.remove(finishedKey).then(() => false);
    const timerIds = this.timers.ownedBy(arn);
    const history = this.history.recordKeys(arn);
    const seen = this.timers.see(timerIds);
    const removeAll = (): void => {
      for (const k of [keys.execution(arn), keys.state(arn), ...indexKeys(record.summary), ...history]) this.db.remove(k);
      for (const id of timerIds) this.db.remove(keys.owned(arn, id));
      this.timers.write({ cancel: timerIds.filter((id) => seen.get(id)?.executionArn === arn) }, seen);
    };
    return this.db.ifVersion(keys.execution(arn), record.revision, removeAll);
  }

  stats(): StoreStats {
    return { commits: this.commits, transactions: this.transactions };
  }

  async close(): Promise<void> {
    await this.db.flushed;
    await this.db.close();
  }

  /**
   * Replaces the stored bytes of one record (undefined deletes it), named as a
   * StoreCorruptionError names records, keeping its LMDB version. For corruption tests and
   * repair tools only.
   */
  async writeRawRecord(kind: StoreRecordKind, key: string, bytes: Uint8Array | undefined): Promise<void> {
    const k = keyOfRecord(kind, key);
    if (kind === "history") {
      // A history record names one event, which may share a record with others: split it out.
      await this.history.writeRaw(k[1] as string, k[2] as number, bytes);
    } else {
      const version = this.db.getEntry(k)?.version ?? 0;
      await (bytes ? this.db.put(k, Buffer.from(bytes), version) : this.db.remove(k));
    }
    await this.db.flushed;
  }
}
