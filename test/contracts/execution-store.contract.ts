/**
 * The ExecutionStore contract (STYLE.md 13): every implementation runs these cases.
 * `executionStoreContract(harness)` registers them under `describe(harness.name)`.
 */
import { describe, expect, it } from "vitest";
import {
  InvalidCursorError,
  StoreCorruptionError,
  type ExecutionChange,
  type ExecutionStore,
  type ExecutionSummary,
  type HistoryEvent,
  type StoreRecordKind,
} from "../../runtime/ports/execution-store.js";

/** Stores let tests overwrite one record's bytes (to corrupt it), named as errors name records. */
export interface RawRecordWriter {
  writeRawRecord(kind: StoreRecordKind, key: string, bytes: Uint8Array | undefined): Promise<void>;
}

export type TestedStore = ExecutionStore & RawRecordWriter;

export interface StoreHarness {
  readonly name: string;
  /** A new, empty store. */
  open(): Promise<TestedStore>;
  /** Closes the store and opens it again over the same data; absent when data does not outlive the store. */
  readonly reopen?: (store: TestedStore) => Promise<TestedStore>;
  /** True when concurrent commits share write transactions (group commit). */
  readonly groupsCommits: boolean;
}

export const SM = "arn:aws:states:us-east-1:123456789012:stateMachine:Flow";
const T0 = 1_700_000_000_000;

export function summary(name: string, overrides: Partial<ExecutionSummary> = {}): ExecutionSummary {
  return {
    executionArn: `arn:aws:states:us-east-1:123456789012:execution:Flow:${name}`,
    name,
    stateMachineArn: SM,
    type: "STANDARD",
    status: "RUNNING",
    startDate: T0,
    ...overrides,
  };
}

export const event = (id: number, type = "PassStateEntered"): HistoryEvent => ({ id, previousEventId: id - 1, timestamp: T0 + id, type, stateEnteredEventDetails: { name: `S${id}` } });
const events = (from: number, to: number): HistoryEvent[] => Array.from({ length: to - from + 1 }, (_, i) => event(from + i));

const create = (s: ExecutionSummary, extra: Partial<ExecutionChange> = {}): ExecutionChange => ({ expectedRevision: 0, summary: s, state: { step: 0 }, events: [event(1, "ExecutionStarted")], ...extra });

async function commitOk(store: ExecutionStore, change: ExecutionChange): Promise<number> {
  const [outcome] = await store.commit([change]);
  if (outcome?.status !== "ok") throw new Error(`commit failed: ${JSON.stringify(outcome)}`);
  return outcome.revision;
}

async function expectCorruption(promise: Promise<unknown>, kind: StoreRecordKind, key: string): Promise<void> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(StoreCorruptionError);
  expect((error as StoreCorruptionError).record).toEqual({ kind, key });
  expect((error as Error).message).toContain(key);
}

export function executionStoreContract(h: StoreHarness): void {
  describe(h.name, () => {
    it("creates, loads and updates an execution with compare-and-set", async () => {
      const store = await h.open();
      const s = summary("a", { input: '{"x":1}' });
      const state = { snapshots: { root: { value: "Wait", context: { n: 1.5, big: 2 ** 40, list: [null, "x"] } } }, pending: [] };
      expect(await store.commit([create(s, { state })])).toEqual([{ status: "ok", executionArn: s.executionArn, revision: 1, historyLength: 1 }]);
      expect(await store.load(s.executionArn)).toEqual({ summary: s, state, revision: 1, historyLength: 1 });
      const done = { ...s, status: "SUCCEEDED" as const, stopDate: T0 + 5, output: "{}" };
      expect(await commitOk(store, { expectedRevision: 1, summary: done, state: { step: 2 }, events: [event(2), event(3, "ExecutionSucceeded")] })).toBe(2);
      expect(await store.load(s.executionArn)).toMatchObject({ summary: done, state: { step: 2 }, revision: 2, historyLength: 3 });
      expect(await store.load("arn:nope")).toBeUndefined();
      await store.close();
    });

    it("reports conflicts and refuses changes that contradict what is stored", async () => {
      const store = await h.open();
      const s = summary("cas");
      await commitOk(store, create(s));
      const arn = s.executionArn;
      expect(await store.commit([create(s)])).toEqual([{ status: "conflict", executionArn: arn, revision: 1 }]);
      expect(await store.commit([{ expectedRevision: 3, summary: s, state: 0 }])).toEqual([{ status: "conflict", executionArn: arn, revision: 1 }]);
      expect((await store.commit([{ expectedRevision: 1, summary: summary("ghost"), state: 0 }]))[0]).toMatchObject({ status: "conflict", revision: 0 });
      const rejected = async (change: ExecutionChange): Promise<void> => expect((await store.commit([change]))[0]?.status).toBe("rejected");
      await rejected({ expectedRevision: 1, summary: s, state: 0, events: [event(3)] });
      await rejected({ expectedRevision: 1, summary: { ...s, startDate: T0 + 1 }, state: 0 });
      await rejected({ expectedRevision: 1, summary: { ...s, status: "FAILED" }, state: 0 });
      await expect(store.commit([create(summary("d")), create(summary("d"))])).rejects.toThrow(TypeError);
      expect(await store.load(arn)).toMatchObject({ revision: 1, historyLength: 1 });
      // Two writers that loaded the same revision: exactly one wins.
      const both = await Promise.all([0, 1].map((i) => store.commit([{ expectedRevision: 1, summary: s, state: i, events: [event(2)] }])));
      expect(both.map(([o]) => o?.status).sort()).toEqual(["conflict", "ok"]);
      await store.close();
    });

    it("lets a commit follow the previous one for the same execution before it settles", async () => {
      const store = await h.open();
      const s = summary("pipe");
      const first = store.commit([create(s)]);
      const second = store.commit([{ expectedRevision: 1, summary: s, state: 1, events: [event(2)] }]);
      expect((await first)[0]?.status).toBe("ok");
      expect((await second)[0]).toMatchObject({ status: "ok", revision: 2, historyLength: 2 });
      const lost = store.commit([{ expectedRevision: 9, summary: s, state: 2 }]);
      const after = store.commit([{ expectedRevision: 2, summary: s, state: 3 }]);
      expect([(await lost)[0]?.status, (await after)[0]?.status]).toEqual(["conflict", "ok"]);
      await store.close();
    });

    it("lands 1,000 concurrent commits" + (h.groupsCommits ? " in far fewer transactions" : ""), async () => {
      const store = await h.open();
      const before = store.stats();
      const names = Array.from({ length: 1000 }, (_, i) => `g${i}`);
      const created = await Promise.all(names.map((n) => store.commit([create(summary(n))])));
      expect(created.every(([o]) => o?.status === "ok")).toBe(true);
      const updated = await Promise.all(names.map((n) => store.commit([{ expectedRevision: 1, summary: summary(n), state: 1, events: [event(2)] }])));
      expect(updated.every(([o]) => o?.status === "ok")).toBe(true);
      const after = store.stats();
      expect(after.commits - before.commits).toBe(2000);
      if (h.groupsCommits) expect(after.transactions - before.transactions).toBeLessThanOrEqual(20);
      expect((await store.listRunning({ limit: 5000 })).items).toHaveLength(1000);
      await store.close();
    });

    it("pages the history forward and backward, and names a gap", async () => {
      const store = await h.open();
      const s = summary("h");
      await commitOk(store, create(s, { events: events(1, 12) }));
      await commitOk(store, { expectedRevision: 1, summary: s, state: 1, events: events(13, 25) });
      const ids = (p: { events: readonly HistoryEvent[] } | undefined): number[] => p?.events.map((e) => e.id) ?? [];
      const p1 = await store.readHistory(s.executionArn, { limit: 10 });
      expect([ids(p1), p1?.next]).toEqual([events(1, 10).map((e) => e.id), 10]);
      expect(p1?.events[0]).toEqual(event(1));
      const p3 = await store.readHistory(s.executionArn, { limit: 10, afterId: 20 });
      expect([ids(p3), p3?.next]).toEqual([[21, 22, 23, 24, 25], undefined]);
      const r1 = await store.readHistory(s.executionArn, { limit: 10, reverse: true });
      expect([ids(r1), r1?.next]).toEqual([[25, 24, 23, 22, 21, 20, 19, 18, 17, 16], 16]);
      const r3 = await store.readHistory(s.executionArn, { limit: 10, reverse: true, afterId: 6 });
      expect([ids(r3), r3?.next]).toEqual([[5, 4, 3, 2, 1], undefined]);
      expect(ids(await store.readHistory(s.executionArn))).toHaveLength(25);
      expect(await store.readHistory("arn:nope")).toBeUndefined();
      await store.writeRawRecord("history", `${s.executionArn}#14`, undefined);
      await expectCorruption(store.readHistory(s.executionArn, { afterId: 10, limit: 10 }), "history", `${s.executionArn}#14`);
      await expectCorruption(store.readHistory(s.executionArn, { reverse: true }), "history", `${s.executionArn}#14`);
      expect(ids(await store.readHistory(s.executionArn, { limit: 10 }))).toHaveLength(10);
      await store.close();
    });

    it("lists executions newest first, by status and by version, in pages", async () => {
      const store = await h.open();
      const v1 = `${SM}:1`;
      for (let i = 0; i < 5; i++) await commitOk(store, create(summary(`l${i}`, { startDate: T0 + i * 10, ...(i % 2 ? { stateMachineVersionArn: v1 } : {}) })));
      await commitOk(store, create(summary("other", { stateMachineArn: `${SM}2` })));
      const names = (p: { items: readonly ExecutionSummary[] }): string[] => p.items.map((s) => s.name);
      const page1 = await store.listExecutions({ arn: SM, limit: 3 });
      expect(names(page1)).toEqual(["l4", "l3", "l2"]);
      const page2 = await store.listExecutions({ arn: SM, limit: 3, cursor: page1.cursor as string });
      expect([names(page2), page2.cursor]).toEqual([["l1", "l0"], undefined]);
      expect(names(await store.listExecutions({ arn: v1 }))).toEqual(["l3", "l1"]);
      await commitOk(store, { expectedRevision: 1, summary: summary("l3", { startDate: T0 + 30, stateMachineVersionArn: v1, status: "FAILED", stopDate: T0 + 99 }), state: 1 });
      expect(names(await store.listExecutions({ arn: SM, status: "RUNNING" }))).toEqual(["l4", "l2", "l1", "l0"]);
      expect(names(await store.listExecutions({ arn: SM, status: "FAILED" }))).toEqual(["l3"]);
      expect(names(await store.listExecutions({ arn: v1, status: "RUNNING" }))).toEqual(["l1"]);
      const running = await store.listRunning({ limit: 4 });
      expect(running.items).toHaveLength(4);
      expect((await store.listRunning({ cursor: running.cursor as string })).items).toHaveLength(1);
      await expect(store.listExecutions({ arn: SM, cursor: running.cursor as string })).rejects.toThrow(InvalidCursorError);
      await store.close();
    });

    it("keeps timers in due order, replaces, cancels and acknowledges them", async () => {
      const store = await h.open();
      const s = summary("t");
      const timer = (timerId: string, dueAt: number): { timerId: string; dueAt: number; payload: unknown } => ({ timerId, dueAt, payload: { id: timerId } });
      await commitOk(store, create(s, { timers: { set: [timer("w", T0 + 30), timer("b", T0 + 10)] } }));
      await store.updateTimers({ set: [timer("a", T0 + 10), timer("z", T0 + 5), timer("late", T0 + 1e12)] });
      const due = async (time: number): Promise<string[]> => (await store.timersDue(time)).items.map((t) => t.timerId);
      expect(await due(T0 + 30)).toEqual(["z", "a", "b", "w"]);
      expect(await due(T0 + 29)).toEqual(["z", "a", "b"]);
      expect((await store.timersDue(T0 + 10)).items[2]).toEqual({ ...timer("b", T0 + 10), executionArn: s.executionArn });
      const first = await store.timersDue(T0 + 30, { limit: 2 });
      expect((await store.timersDue(T0 + 30, { cursor: first.cursor as string })).items.map((t) => t.timerId)).toEqual(["b", "w"]);
      await commitOk(store, { expectedRevision: 1, summary: s, state: 1, timers: { set: [timer("w", T0 + 1)], cancel: ["b"] } });
      expect(await due(T0 + 30)).toEqual(["w", "z", "a"]);
      await store.updateTimers({ acknowledge: [{ timerId: "z", dueAt: T0 + 5 }, { timerId: "a", dueAt: T0 + 11 }], cancel: ["unknown"] });
      expect(await due(T0 + 30)).toEqual(["w", "a"]);
      expect(await due(Infinity)).toEqual(["w", "a", "late"]);
      await store.close();
    });

    it("stores documents with revisions", async () => {
      const store = await h.open();
      expect(await store.putDocument("stateMachine", `${SM}`, { definition: "{}" })).toEqual({ status: "ok", revision: 1 });
      expect(await store.putDocument("stateMachine", `${SM}`, { definition: "{1}" }, 5)).toEqual({ status: "conflict", revision: 1 });
      expect(await store.putDocument("stateMachine", `${SM}`, { definition: "{2}" }, 1)).toEqual({ status: "ok", revision: 2 });
      expect(await store.putDocument("stateMachine", `${SM}`, { definition: "{3}" })).toEqual({ status: "ok", revision: 3 });
      expect(await store.getDocument("stateMachine", SM)).toEqual({ kind: "stateMachine", key: SM, value: { definition: "{3}" }, revision: 3 });
      for (const n of [3, 1, 2]) await store.putDocument("stateMachineVersion", `${SM}:${n}`, { n });
      await store.putDocument("stateMachineVersion", `${SM}2:1`, { n: 0 });
      await store.putDocument("tags", SM, [{ key: "k", value: "v" }]);
      const page = await store.listDocuments("stateMachineVersion", { prefix: `${SM}:`, limit: 2 });
      expect(page.items.map((d) => d.value)).toEqual([{ n: 1 }, { n: 2 }]);
      const rest = await store.listDocuments("stateMachineVersion", { prefix: `${SM}:`, cursor: page.cursor as string });
      expect([rest.items.map((d) => d.value), rest.cursor]).toEqual([[{ n: 3 }], undefined]);
      expect((await store.listDocuments("stateMachine")).items).toHaveLength(1);
      expect(await store.deleteDocument("stateMachine", SM, 2)).toBe(false);
      expect(await store.deleteDocument("stateMachine", SM, 3)).toBe(true);
      expect(await store.deleteDocument("stateMachine", SM)).toBe(false);
      expect(await store.getDocument("stateMachine", SM)).toBeUndefined();
      await store.close();
    });

    it("removes finished executions before a time, with their history and timers", async () => {
      const store = await h.open();
      const finish = (n: string, stopDate: number): ExecutionSummary => summary(n, { status: "SUCCEEDED", stopDate });
      for (let i = 0; i < 5; i++) {
        await commitOk(store, create(summary(`old${i}`), { events: events(1, 3), timers: { set: [{ timerId: `old${i}-t`, dueAt: T0, payload: null }] } }));
        await commitOk(store, { expectedRevision: 1, summary: finish(`old${i}`, T0 + i), state: 1 });
      }
      await commitOk(store, create(finish("new", T0 + 1000)));
      await commitOk(store, create(summary("running")));
      expect(await store.removeFinishedBefore(T0 + 500, { batchSize: 2 })).toBe(5);
      const old = summary("old0").executionArn;
      expect(await store.load(old)).toBeUndefined();
      expect(await store.readHistory(old)).toBeUndefined();
      expect((await store.timersDue(Infinity)).items).toEqual([]);
      expect((await store.listExecutions({ arn: SM })).items.map((s) => s.name).sort()).toEqual(["new", "running"]);
      expect(await store.removeFinishedBefore(T0 + 500)).toBe(0);
      expect((await store.listRunning()).items).toEqual([summary("running").executionArn]);
      await store.close();
    });

    it("names the record when stored data is corrupted", async () => {
      const store = await h.open();
      const s = summary("bad");
      await commitOk(store, create(s, { timers: { set: [{ timerId: "bad-t", dueAt: T0, payload: 1 }] } }));
      await store.putDocument("activity", "arn:act", { name: "act" });
      const arn = s.executionArn;
      // MessagePack [99, {}]: a record from an unknown format version.
      await store.writeRawRecord("execution", arn, Uint8Array.of(0x92, 0x63, 0x80));
      await expectCorruption(store.load(arn), "execution", arn);
      await expect(store.load(arn)).rejects.toThrow(/unknown format version 99/);
      await expect(store.commit([{ expectedRevision: 1, summary: s, state: 0 }])).rejects.toThrow(StoreCorruptionError);
      await store.writeRawRecord("execution", arn, new TextEncoder().encode("not msgpack at all"));
      await expectCorruption(store.load(arn), "execution", arn);
      // MessagePack [1, "x"]: the right version, the wrong shape.
      await store.writeRawRecord("state", arn, Uint8Array.of(0x92, 0x01, 0xa1));
      await store.writeRawRecord("timer", "bad-t", Uint8Array.of(0x92, 0x01, 0xa1, 0x78));
      await expectCorruption(store.timersDue(Infinity), "timer", "bad-t");
      await store.writeRawRecord("document", "activity/arn:act", Uint8Array.of(0xc1));
      await expectCorruption(store.getDocument("activity", "arn:act"), "document", "activity/arn:act");
      // Other records stay readable.
      const ok = summary("fine");
      await commitOk(store, create(ok));
      expect((await store.load(ok.executionArn))?.revision).toBe(1);
      await store.close();
    });

    it.skipIf(!h.reopen)("keeps everything across close and reopen" + (h.reopen ? "" : " (skipped: this store does not outlive its process)"), async () => {
      const reopen = h.reopen as NonNullable<StoreHarness["reopen"]>;
      let store = await h.open();
      const s = summary("durable");
      await commitOk(store, create(s, { events: events(1, 4), state: { deep: { a: [1, 2] } }, timers: { set: [{ timerId: "d-t", dueAt: T0 + 7, payload: { p: 1 } }] } }));
      await commitOk(store, create(summary("done", { status: "ABORTED", stopDate: T0 + 3 })));
      await store.putDocument("tags", SM, [{ key: "team", value: "a" }]);
      store = await reopen(store);
      expect(await store.load(s.executionArn)).toEqual({ summary: s, state: { deep: { a: [1, 2] } }, revision: 1, historyLength: 4 });
      expect((await store.readHistory(s.executionArn))?.events).toEqual(events(1, 4));
      expect((await store.listRunning()).items).toEqual([s.executionArn]);
      expect((await store.listExecutions({ arn: SM, status: "ABORTED" })).items.map((x) => x.name)).toEqual(["done"]);
      expect((await store.timersDue(Infinity)).items).toEqual([{ timerId: "d-t", dueAt: T0 + 7, payload: { p: 1 }, executionArn: s.executionArn }]);
      expect((await store.getDocument("tags", SM))?.value).toEqual([{ key: "team", value: "a" }]);
      expect(await commitOk(store, { expectedRevision: 1, summary: s, state: 2, events: [event(5)] })).toBe(2);
      await store.close();
    });
  });
}
