/**
 * The ExecutionStore on NATS JetStream KV, shared by every runtime node (ARCHITECTURE.md
 * "Distributed mode"). Each execution is one KV entry (record, engine state, and the step
 * that wrote it); a commit is a compare-and-set on that entry's KV revision, so whichever
 * node writes first wins and the others get a conflict. The step's events, timers and
 * index move are copied out only after the compare-and-set won (jetstream-store-steps.ts),
 * so the history never shows a step that lost, and a step whose writer died is settled
 * by the next commit or by recovery's `listRunning`.
 *
 * Key layout: jetstream-store-keys.ts. Lists read index keys and confirm each against
 * the execution it names (jetstream-store-listing.ts).
 */
import { randomUUID } from "node:crypto";
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
  type HistoryEvent,
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
import { checkChanges, checkTimer, planChange } from "../stores/change-plan.js";
import { historyWindow, pageSize } from "../stores/pages.js";
import { encodeRecord, STORE_FORMAT_VERSION } from "../stores/record-codec.js";
import { decodeEvent, decodeMeta, decodeState, recordRefs, type ExecutionRecord } from "../stores/records.js";
import { connectJetStream, isTransient, type JetStreamLink } from "./jetstream-connection.js";
import { JetStreamDocuments } from "./jetstream-store-documents.js";
import { decodeEntry, encodeEntry, hasEffects, indexMove, type ExecutionEntry, type PendingStep } from "./jetstream-store-entry.js";
import { storeKeys } from "./jetstream-store-keys.js";
import { isWrongSequence, liveEntry, mapLimit, openBuckets, type StoreBuckets } from "./jetstream-store-kv.js";
import { ExecutionListing } from "./jetstream-store-listing.js";
import { writeRawRecord } from "./jetstream-store-raw.js";
import { StepSettler } from "./jetstream-store-steps.js";
import { JetStreamStoreTimers } from "./jetstream-store-timers.js";

export interface JetStreamExecutionStoreOptions {
  /** Server URLs (comma-separated) when the store opens its own connection. Default `nats://127.0.0.1:4222`. */
  readonly servers?: string;
  /** A connection the caller opened (and closes); `servers` is then ignored. */
  readonly link?: JetStreamLink;
  /** Names the buckets (`<prefix>_executions`, ...), so stores on one server stay apart. Default `aslan`. */
  readonly prefix?: string;
  /** Replicas of each bucket (1, 3 or 5) when the store creates them. Default 1. */
  readonly replicas?: number;
}

/** An execution as a commit planned against it; `known` when this store wrote (and settled) it last. */
interface Current {
  readonly record: ExecutionRecord | undefined;
  readonly kvRevision: number;
  readonly entry?: ExecutionEntry;
}

/** Executions this store wrote last and settled, by ARN (a commit that follows plans against it without a read). */
const KNOWN_LIMIT = 10_000;
const READS_IN_FLIGHT = 64;
/** Room left in a message for the headers a KV write adds. */
const ENTRY_HEADER_ROOM = 1024;

export class JetStreamExecutionStore implements ExecutionStore {
  private readonly timers: JetStreamStoreTimers;
  private readonly documents: JetStreamDocuments;
  private readonly settler: StepSettler;
  private readonly listing: ExecutionListing;
  private readonly known = new Map<string, { readonly record: ExecutionRecord; readonly kvRevision: number }>();
  /** Each ARN's latest commit call: the next one for that ARN starts after it settles (pipelining). */
  private readonly tails = new Map<string, Promise<unknown>>();
  private readonly inflight = new Set<Promise<unknown>>();
  private counters = { commits: 0, transactions: 0 };

  private constructor(
    private readonly link: JetStreamLink,
    private readonly ownsLink: boolean,
    private readonly buckets: StoreBuckets,
  ) {
    this.timers = new JetStreamStoreTimers(buckets);
    this.documents = new JetStreamDocuments(buckets.kv.documents);
    this.settler = new StepSettler(buckets, this.timers);
    this.listing = new ExecutionListing(buckets, { entry: (arn) => this.entry(arn), settleIfNeeded: (e) => this.settleIfNeeded(e) }, this.timers);
  }

  /** Opens the store, creating its buckets when missing; throws StoreCorruptionError for a store of an unknown format. */
  static async open(options: JetStreamExecutionStoreOptions = {}): Promise<JetStreamExecutionStore> {
    const link = options.link ?? (await connectJetStream({ servers: options.servers ?? "nats://127.0.0.1:4222", name: "aslan-store" }));
    try {
      const buckets = await openBuckets(link, options.prefix ?? "aslan", options.replicas ?? 1);
      const store = new JetStreamExecutionStore(link, options.link === undefined, buckets);
      await store.checkFormat();
      return store;
    } catch (error) {
      if (options.link === undefined) await link.nc.close();
      throw error;
    }
  }

  private async checkFormat(): Promise<void> {
    const kv = this.buckets.kv.executions;
    const meta = await liveEntry(kv, storeKeys.meta());
    if (meta) return void decodeMeta(meta.value);
    try {
      await kv.create(storeKeys.meta(), encodeRecord({ formatVersion: STORE_FORMAT_VERSION, createdAt: Date.now() }));
    } catch (error) {
      if (!isWrongSequence(error)) throw error;
      const raced = await liveEntry(kv, storeKeys.meta()); // another node created it first
      if (raced) decodeMeta(raced.value);
    }
  }

  commit(changes: readonly ExecutionChange[]): Promise<CommitOutcome[]> {
    try {
      checkChanges(changes);
    } catch (error) {
      return Promise.reject(error as Error);
    }
    const arns = changes.map((c) => c.summary.executionArn);
    const before = arns.map((arn) => this.tails.get(arn));
    const run = this.run(changes, before);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    for (const arn of arns) this.tails.set(arn, settled);
    void settled.then(() => {
      for (const arn of arns) if (this.tails.get(arn) === settled) this.tails.delete(arn);
    });
    return this.track(run);
  }

  private async run(changes: readonly ExecutionChange[], before: readonly (Promise<unknown> | undefined)[]): Promise<CommitOutcome[]> {
    await Promise.all(before);
    // Every read (and every decoding error) happens before the first write.
    const currents = await Promise.all(changes.map((c) => this.current(c)));
    const plans = changes.map((c, i) => planChange(currents[i]?.record, c));
    this.counters.commits += changes.length;
    this.counters.transactions++;
    return Promise.all(plans.map((plan, i) => ("outcome" in plan ? plan.outcome : this.land(changes[i] as ExecutionChange, plan.record, currents[i] as Current))));
  }

  private async current(change: ExecutionChange): Promise<Current> {
    const arn = change.summary.executionArn;
    const known = this.known.get(arn);
    if (known && known.record.revision === change.expectedRevision) return known;
    // A creation needs no read: the compare-and-set fails if the execution exists.
    if (!known && change.expectedRevision === 0) return { record: undefined, kvRevision: 0 };
    const entry = await this.entry(arn);
    return entry ? { record: entry.record, kvRevision: entry.kvRevision, entry } : { record: undefined, kvRevision: 0 };
  }

  private async land(change: ExecutionChange, record: ExecutionRecord, current: Current): Promise<CommitOutcome> {
    const arn = record.summary.executionArn;
    const step: PendingStep = {
      events: change.events ?? [],
      set: (change.timers?.set ?? []).map((t) => ({ ...t, executionArn: arn })),
      cancel: change.timers?.cancel ?? [],
      index: indexMove(current.record?.summary, record.summary),
    };
    // The previous step first: at most one step per execution is ever unsettled.
    if (current.entry) await this.settleIfNeeded(current.entry);
    await this.settler.announce(record.summary, step);
    const writer = randomUUID();
    const bytes = encodeEntry(record, change.state, step, writer);
    // The server would refuse it every time (the engine would read the execution again and retry for ever).
    const room = (this.link.nc.info?.max_payload ?? Infinity) - ENTRY_HEADER_ROOM;
    if (bytes.length > room) {
      return {
        status: "rejected", executionArn: arn,
        reason: `this step is ${bytes.length} bytes as stored (its state and ${step.events.length} history events), more than one message of the NATS server takes ` +
          `(max_payload ${room + ENTRY_HEADER_ROOM} bytes, less ${ENTRY_HEADER_ROOM} for headers); raise max_payload in the server's config`,
      };
    }
    const kvRevision = await this.compareAndSet(arn, bytes, current.kvRevision, writer);
    if (kvRevision === undefined) {
      this.known.delete(arn);
      return { status: "conflict", executionArn: arn, revision: (await this.entry(arn))?.record.revision ?? 0 };
    }
    await this.settler.settle(record.summary, step);
    this.remember(arn, record, kvRevision);
    if (hasEffects(step)) this.track(this.settler.markSettled(arn, kvRevision)).catch(() => undefined);
    return { status: "ok", executionArn: arn, revision: record.revision, historyLength: record.historyLength };
  }

  /** Writes the entry if its KV revision is still `expected` (0: absent); the new KV revision, or undefined when it was not. */
  private async compareAndSet(arn: string, bytes: Uint8Array, expected: number, writer: string): Promise<number | undefined> {
    const kv = this.buckets.kv.executions;
    const key = storeKeys.execution(arn);
    for (let attempt = 0; ; attempt++) {
      try {
        return expected === 0 ? await kv.create(key, bytes) : await kv.update(key, bytes, expected);
      } catch (error) {
        if (isWrongSequence(error) && attempt === 0) return undefined;
        if (!isWrongSequence(error) && !isTransient(error)) throw error;
      }
      // The reply was lost (a server restart) or an earlier attempt may have landed: look.
      const stored = await liveEntry(kv, key);
      if (stored && decodeEntry(stored.value, arn, stored.revision).writer === writer) return stored.revision;
      if ((stored?.revision ?? 0) !== expected) return undefined;
    }
  }

  private remember(arn: string, record: ExecutionRecord, kvRevision: number): void {
    this.known.delete(arn);
    this.known.set(arn, { record, kvRevision });
    if (this.known.size > KNOWN_LIMIT) this.known.delete(this.known.keys().next().value as string);
  }

  private async entry(arn: string): Promise<ExecutionEntry | undefined> {
    const stored = await liveEntry(this.buckets.kv.executions, storeKeys.execution(arn));
    return stored && decodeEntry(stored.value, arn, stored.revision);
  }

  private async isSettled(entry: ExecutionEntry): Promise<boolean> {
    const arn = entry.record.summary.executionArn;
    return !hasEffects(entry.step) || this.known.get(arn)?.kvRevision === entry.kvRevision || this.settler.isSettled(arn, entry.kvRevision);
  }

  private async settleIfNeeded(entry: ExecutionEntry): Promise<void> {
    if (await this.isSettled(entry)) return;
    await this.settler.settle(entry.record.summary, entry.step);
    await this.settler.markSettled(entry.record.summary.executionArn, entry.kvRevision);
  }

  async load(executionArn: string): Promise<StoredExecution | undefined> {
    const entry = await this.entry(executionArn);
    if (!entry) return undefined;
    if (!entry.state) throw new StoreCorruptionError(recordRefs.state(executionArn), "missing");
    return { ...entry.record, state: decodeState(entry.state, executionArn) };
  }

  async readHistory(executionArn: string, query: HistoryQuery = {}): Promise<HistoryPage | undefined> {
    const entry = await this.entry(executionArn);
    if (!entry) return undefined;
    const window = historyWindow(entry.record.historyLength, query);
    if (!window) return { events: [] };
    // An unsettled step's events are read from its entry; everything else from the history bucket.
    const pending = new Map<number, HistoryEvent>();
    if (!(await this.isSettled(entry))) for (const e of entry.step.events) pending.set(e.id, e);
    const step = window.reverse ? -1 : 1;
    const ids = Array.from({ length: Math.abs(window.last - window.first) + 1 }, (_, i) => window.first + i * step);
    const history = this.buckets.kv.history;
    const events = await mapLimit(ids, READS_IN_FLIGHT, async (id) => {
      const stored = pending.has(id) ? undefined : await liveEntry(history, storeKeys.event(executionArn, id));
      return pending.get(id) ?? (stored && decodeEvent(stored.value, executionArn, id));
    });
    const gap = events.findIndex((e) => e === undefined);
    if (gap >= 0) throw new StoreCorruptionError(recordRefs.history(executionArn, ids[gap] as number), "missing event (history gap)");
    const page = events as HistoryEvent[];
    return window.next === undefined ? { events: page } : { events: page, next: window.next };
  }

  listRunning(page: PageRequest = {}): Promise<Page<string>> {
    return this.listing.running(page);
  }

  listExecutions(query: ExecutionQuery): Promise<Page<ExecutionSummary>> {
    return this.listing.executions(query);
  }

  async updateTimers(changes: TimerChanges): Promise<void> {
    for (const t of changes.set ?? []) checkTimer(t.timerId, t.dueAt);
    this.counters.transactions++;
    await this.track(
      (async () => {
        await this.timers.write(changes);
        await Promise.all((changes.acknowledge ?? []).map((a) => this.timers.acknowledge(a.timerId, a.dueAt)));
      })(),
    );
  }

  timersDue(time: number, page: PageRequest = {}): Promise<Page<TimerRecord>> {
    return this.timers.due(time, page);
  }

  /** One timer as stored, or undefined (the timer service checks a delivered timer against it). */
  getTimer(timerId: string): Promise<TimerRecord | undefined> {
    return this.timers.get(timerId);
  }

  getDocument(kind: DocumentKind, key: string): Promise<StoredDocument | undefined> {
    return this.documents.get(kind, key);
  }

  putDocument(kind: DocumentKind, key: string, value: unknown, expectedRevision?: number): Promise<DocumentWrite> {
    this.counters.transactions++;
    return this.track(this.documents.put(kind, key, value, expectedRevision));
  }

  deleteDocument(kind: DocumentKind, key: string, expectedRevision?: number): Promise<boolean> {
    this.counters.transactions++;
    return this.track(this.documents.delete(kind, key, expectedRevision));
  }

  listDocuments(kind: DocumentKind, query: DocumentQuery = {}): Promise<Page<StoredDocument>> {
    return this.documents.list(kind, query);
  }

  removeFinishedBefore(time: number, options: { readonly batchSize?: number } = {}): Promise<number> {
    const batchSize = pageSize(options.batchSize);
    return this.track(this.listing.removeFinishedBefore(time, batchSize, () => this.counters.transactions++));
  }

  stats(): StoreStats {
    return { ...this.counters };
  }

  /** Waits for writes in flight; closes the connection only if the store opened it. */
  async close(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
    if (this.ownsLink) await this.link.nc.close();
  }

  private track<T>(work: Promise<T>): Promise<T> {
    const done = work.then(
      () => undefined,
      () => undefined,
    );
    this.inflight.add(done);
    void done.then(() => this.inflight.delete(done));
    return work;
  }

  /**
   * Replaces the stored bytes of one record (undefined deletes it), named as a
   * StoreCorruptionError names records. For corruption tests and repair tools only.
   */
  async writeRawRecord(kind: StoreRecordKind, key: string, bytes: Uint8Array | undefined): Promise<void> {
    if (kind === "execution" || kind === "state") this.known.delete(key);
    await writeRawRecord(this.buckets, kind, key, bytes);
  }
}
