/**
 * The ExecutionStore in memory: tests, `aslan run`, and anything that need not survive
 * the process. Records are kept encoded exactly as the durable store writes them, so
 * callers never share objects with the store and both stores decode (and fail) alike.
 */
import { isFinished, type ExecutionStatus } from "../engine/execution-status.js";
import type {
  CommitOutcome,
  DocumentKind,
  DocumentQuery,
  DocumentWrite,
  ExecutionChange,
  ExecutionQuery,
  ExecutionStore,
  ExecutionSummary,
  HistoryEvent,
  HistoryPage,
  HistoryQuery,
  Page,
  PageRequest,
  StoredDocument,
  StoredExecution,
  StoreRecordKind,
  StoreStats,
  TimerChanges,
  TimerRecord,
} from "../ports/execution-store.js";
import { checkChanges, checkTimer, listedUnder, planChange } from "./change-plan.js";
import { decodeCursor, encodeCursor, historyWindow, pageSize } from "./pages.js";
import { encodeRecord } from "./record-codec.js";
import { decodeDocument, decodeEvent, decodeExecution, decodeState, decodeTimer, recordRefs, type ExecutionRecord } from "./records.js";
import { StoreCorruptionError } from "../ports/execution-store.js";

/** What listing and retention need, kept decoded beside the records. */
interface Listing {
  readonly startDate: number;
  readonly status: ExecutionStatus;
  readonly stopDate: number | undefined;
  readonly under: readonly string[];
}

interface TimerIndex {
  readonly dueAt: number;
  readonly executionArn: string | undefined;
}

const docKey = (kind: DocumentKind, key: string): string => `${kind}/${key}`;
const byNewest = (a: [string, Listing], b: [string, Listing]): number => b[1].startDate - a[1].startDate || (b[0] < a[0] ? -1 : 1);

export class MemoryExecutionStore implements ExecutionStore {
  private readonly executions = new Map<string, Uint8Array>();
  private readonly states = new Map<string, Uint8Array>();
  private readonly histories = new Map<string, (Uint8Array | undefined)[]>();
  private readonly listings = new Map<string, Listing>();
  private readonly timers = new Map<string, Uint8Array>();
  private readonly timerIndex = new Map<string, TimerIndex>();
  private readonly documents = new Map<string, Uint8Array>();
  private counters = { commits: 0, transactions: 0 };

  async commit(changes: readonly ExecutionChange[]): Promise<CommitOutcome[]> {
    checkChanges(changes);
    // Decode everything first: a corrupted record fails the call before anything is written.
    const plans = changes.map((c) => planChange(this.record(c.summary.executionArn), c));
    this.counters.transactions++;
    this.counters.commits += changes.length;
    return plans.map((plan, i) => {
      if ("outcome" in plan) return plan.outcome;
      this.apply(changes[i] as ExecutionChange, plan.record);
      const { revision, historyLength } = plan.record;
      return { status: "ok", executionArn: plan.record.summary.executionArn, revision, historyLength };
    });
  }

  private record(arn: string): ExecutionRecord | undefined {
    const bytes = this.executions.get(arn);
    return bytes && decodeExecution(bytes, arn);
  }

  private apply(change: ExecutionChange, record: ExecutionRecord): void {
    const { summary } = record;
    const arn = summary.executionArn;
    this.executions.set(arn, encodeRecord(record));
    this.states.set(arn, encodeRecord(change.state));
    let history = this.histories.get(arn);
    if (!history) this.histories.set(arn, (history = []));
    for (const e of change.events ?? []) history[e.id - 1] = encodeRecord(e);
    this.listings.set(arn, { startDate: summary.startDate, status: summary.status, stopDate: summary.stopDate, under: listedUnder(summary) });
    this.setTimers({ set: (change.timers?.set ?? []).map((t) => ({ ...t, executionArn: arn })), cancel: change.timers?.cancel ?? [] });
  }

  async load(executionArn: string): Promise<StoredExecution | undefined> {
    const record = this.record(executionArn);
    if (!record) return undefined;
    const bytes = this.states.get(executionArn);
    if (!bytes) throw new StoreCorruptionError(recordRefs.state(executionArn), "missing");
    return { ...record, state: decodeState(bytes, executionArn) };
  }

  async listRunning(page: PageRequest = {}): Promise<Page<string>> {
    const limit = pageSize(page.limit, 1000);
    const after = page.cursor === undefined ? undefined : (decodeCursor(page.cursor, "running", ["string"])[0] as string);
    const arns = [...this.listings].filter(([arn, l]) => l.status === "RUNNING" && (after === undefined || arn > after)).map(([arn]) => arn);
    arns.sort();
    return this.page(arns, limit, (arn) => arn, (arn) => encodeCursor("running", [arn]));
  }

  async listExecutions(query: ExecutionQuery): Promise<Page<ExecutionSummary>> {
    const limit = pageSize(query.limit);
    const [start, last] = query.cursor === undefined ? [Infinity, ""] : (decodeCursor(query.cursor, "executions", ["number", "string"]) as [number, string]);
    const older = (arn: string, l: Listing): boolean => l.startDate < start || (l.startDate === start && arn < last);
    const matches = [...this.listings].filter(([arn, l]) => l.under.includes(query.arn) && (query.status === undefined || l.status === query.status) && (query.cursor === undefined || older(arn, l)));
    matches.sort(byNewest);
    const summary = ([arn]: [string, Listing]): ExecutionSummary => (this.record(arn) as ExecutionRecord).summary;
    return this.page(matches, limit, summary, ([arn, l]) => encodeCursor("executions", [l.startDate, arn]));
  }

  private page<T, R>(items: readonly T[], limit: number, read: (item: T) => R, cursor: (last: T) => string): Page<R> {
    const taken = items.slice(0, limit);
    const last = taken[taken.length - 1];
    const result = taken.map(read);
    return items.length > limit && last !== undefined ? { items: result, cursor: cursor(last) } : { items: result };
  }

  async readHistory(executionArn: string, query: HistoryQuery = {}): Promise<HistoryPage | undefined> {
    const record = this.record(executionArn);
    if (!record) return undefined;
    const window = historyWindow(record.historyLength, query);
    if (!window) return { events: [] };
    const history = this.histories.get(executionArn) ?? [];
    const events: HistoryEvent[] = [];
    const step = window.reverse ? -1 : 1;
    for (let id = window.first; window.reverse ? id >= window.last : id <= window.last; id += step) {
      const bytes = history[id - 1];
      if (!bytes) throw new StoreCorruptionError(recordRefs.history(executionArn, id), "missing event (history gap)");
      events.push(decodeEvent(bytes, executionArn, id));
    }
    return window.next === undefined ? { events } : { events, next: window.next };
  }

  async updateTimers(changes: TimerChanges): Promise<void> {
    for (const t of changes.set ?? []) checkTimer(t.timerId, t.dueAt);
    this.counters.transactions++;
    this.setTimers(changes);
  }

  private setTimers(changes: TimerChanges): void {
    for (const t of changes.set ?? []) {
      this.timers.set(t.timerId, encodeRecord(t));
      this.timerIndex.set(t.timerId, { dueAt: t.dueAt, executionArn: t.executionArn });
    }
    for (const id of changes.cancel ?? []) this.dropTimer(id);
    for (const { timerId, dueAt } of changes.acknowledge ?? []) {
      if (this.timerIndex.get(timerId)?.dueAt === dueAt) this.dropTimer(timerId);
    }
  }

  private dropTimer(timerId: string): void {
    this.timers.delete(timerId);
    this.timerIndex.delete(timerId);
  }

  async timersDue(time: number, page: PageRequest = {}): Promise<Page<TimerRecord>> {
    const limit = pageSize(page.limit);
    const [due0, id0] = page.cursor === undefined ? [-Infinity, ""] : (decodeCursor(page.cursor, "timers", ["number", "string"]) as [number, string]);
    const later = (id: string, t: TimerIndex): boolean => t.dueAt > due0 || (t.dueAt === due0 && id > id0);
    const due = [...this.timerIndex].filter(([id, t]) => t.dueAt <= time && later(id, t));
    due.sort((a, b) => a[1].dueAt - b[1].dueAt || (a[0] < b[0] ? -1 : 1));
    const read = ([id]: [string, TimerIndex]): TimerRecord => {
      const bytes = this.timers.get(id);
      if (!bytes) throw new StoreCorruptionError(recordRefs.timer(id), "missing");
      return decodeTimer(bytes, id);
    };
    return this.page(due, limit, read, ([id, t]) => encodeCursor("timers", [t.dueAt, id]));
  }

  async getDocument(kind: DocumentKind, key: string): Promise<StoredDocument | undefined> {
    const bytes = this.documents.get(docKey(kind, key));
    return bytes && decodeDocument(bytes, kind, key);
  }

  async putDocument(kind: DocumentKind, key: string, value: unknown, expectedRevision?: number): Promise<DocumentWrite> {
    const revision = (await this.getDocument(kind, key))?.revision ?? 0;
    if (expectedRevision !== undefined && expectedRevision !== revision) return { status: "conflict", revision };
    this.counters.transactions++;
    this.documents.set(docKey(kind, key), encodeRecord({ kind, key, value, revision: revision + 1 }));
    return { status: "ok", revision: revision + 1 };
  }

  async deleteDocument(kind: DocumentKind, key: string, expectedRevision?: number): Promise<boolean> {
    const revision = (await this.getDocument(kind, key))?.revision ?? 0;
    if (revision === 0 || (expectedRevision !== undefined && expectedRevision !== revision)) return false;
    this.counters.transactions++;
    return this.documents.delete(docKey(kind, key));
  }

  async listDocuments(kind: DocumentKind, query: DocumentQuery = {}): Promise<Page<StoredDocument>> {
    const limit = pageSize(query.limit);
    const after = query.cursor === undefined ? undefined : (decodeCursor(query.cursor, "documents", ["string"])[0] as string);
    const prefix = docKey(kind, query.prefix ?? "");
    const keys = [...this.documents.keys()].filter((k) => k.startsWith(prefix)).map((k) => k.slice(kind.length + 1));
    const rest = keys.filter((k) => after === undefined || k > after).sort();
    return this.page(rest, limit, (k) => decodeDocument(this.documents.get(docKey(kind, k)) as Uint8Array, kind, k), (k) => encodeCursor("documents", [k]));
  }

  async removeFinishedBefore(time: number, options: { readonly batchSize?: number } = {}): Promise<number> {
    const batchSize = pageSize(options.batchSize);
    const old = [...this.listings].filter(([, l]) => isFinished(l.status) && (l.stopDate ?? Infinity) < time).map(([arn]) => arn);
    const owned = new Map<string, string[]>();
    for (const [id, t] of this.timerIndex) if (t.executionArn !== undefined) owned.set(t.executionArn, [...(owned.get(t.executionArn) ?? []), id]);
    for (const arn of old) {
      for (const map of [this.executions, this.states, this.histories, this.listings]) map.delete(arn);
      for (const id of owned.get(arn) ?? []) this.dropTimer(id);
    }
    this.counters.transactions += Math.ceil(old.length / batchSize);
    return old.length;
  }

  stats(): StoreStats {
    return { ...this.counters };
  }

  async close(): Promise<void> {}

  /**
   * Replaces the stored bytes of one record (undefined deletes it), named as a
   * StoreCorruptionError names records. For corruption tests and repair tools only.
   */
  async writeRawRecord(kind: StoreRecordKind, key: string, bytes: Uint8Array | undefined): Promise<void> {
    const put = (map: Map<string, Uint8Array>): void => void (bytes ? map.set(key, bytes) : map.delete(key));
    switch (kind) {
      case "execution":
        return put(this.executions);
      case "state":
        return put(this.states);
      case "timer":
        return put(this.timers);
      case "document":
        return put(this.documents);
      case "history": {
        const at = key.lastIndexOf("#");
        const history = this.histories.get(key.slice(0, at)) ?? [];
        history[Number(key.slice(at + 1)) - 1] = bytes;
        return;
      }
      case "meta":
      case "index":
        throw new TypeError(`the memory store keeps no ${kind} records`);
    }
  }
}
