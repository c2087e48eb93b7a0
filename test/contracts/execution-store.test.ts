import { copyFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { StoreCorruptionError, type ExecutionStore } from "../../runtime/ports/execution-store.js";
import { LmdbExecutionStore } from "../../runtime/stores/lmdb-execution-store.js";
import { STORE_FORMAT_VERSION } from "../../runtime/stores/record-codec.js";
import { MemoryExecutionStore } from "../../runtime/stores/memory-execution-store.js";
import { event, executionStoreContract, SM, summary, type TestedStore } from "./execution-store.contract.js";

const dirs: string[] = [];
const tempDir = async (): Promise<string> => {
  const dir = await mkdtemp(join(tmpdir(), "aslan-store-"));
  dirs.push(dir);
  return dir;
};
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

executionStoreContract({ name: "MemoryExecutionStore", open: async () => new MemoryExecutionStore(), groupsCommits: false });

const paths = new WeakMap<TestedStore, string>();
const openLmdb = async (path: string): Promise<TestedStore> => {
  const store = await LmdbExecutionStore.open({ path });
  paths.set(store, path);
  return store;
};
executionStoreContract({
  name: "LmdbExecutionStore",
  open: async () => openLmdb(await tempDir()),
  reopen: async (store) => {
    await store.close();
    return openLmdb(paths.get(store) as string);
  },
  groupsCommits: true,
});

// ---- format version fixtures (store-v1: one record per event; store-v2: one per commit) --

const fixtureDir = (version: number): string => fileURLToPath(new URL(`../fixtures/store-v${version}/`, import.meta.url));
const fixtureSummary = summary("fixture", { input: '{"order":7}', stateMachineVersionArn: `${SM}:1` });
const fixtureState = { version: 1, actors: { root: { status: "active", value: "Wait", context: { input: { order: 7 } } } }, pendingTasks: [{ taskId: "t-1", attempt: 0 }] };
const fixtureTimer = { timerId: "fixture#wait", dueAt: 1_700_000_060_000, payload: { kind: "wait" } };

/** What each fixture holds; `ASLAN_WRITE_STORE_FIXTURE=1 npx vitest run test/contracts/execution-store.test.ts` rewrites the current version's. */
async function writeFixture(store: ExecutionStore): Promise<void> {
  await store.commit([{ expectedRevision: 0, summary: fixtureSummary, state: fixtureState, events: [event(1, "ExecutionStarted"), event(2)], timers: { set: [fixtureTimer] } }]);
  await store.commit([{ expectedRevision: 0, summary: summary("finished", { status: "SUCCEEDED", stopDate: 1_700_000_000_500, output: "{}" }), state: null, events: [event(1)] }]);
  await store.putDocument("stateMachine", SM, { name: "Flow", definition: '{"StartAt":"Wait","States":{}}' });
}

describe("LmdbExecutionStore format versions", () => {
  it.runIf(process.env["ASLAN_WRITE_STORE_FIXTURE"] === "1")("writes the fixture of the current format version", async () => {
    const dir = await tempDir();
    const store = await LmdbExecutionStore.open({ path: dir });
    await writeFixture(store);
    await store.close();
    await mkdir(fixtureDir(STORE_FORMAT_VERSION), { recursive: true });
    await copyFile(join(dir, "data.mdb"), join(fixtureDir(STORE_FORMAT_VERSION), "data.mdb"));
  });

  it.each([1, 2])("reads a store written by format version %i", async (version) => {
    const dir = await tempDir();
    await copyFile(join(fixtureDir(version), "data.mdb"), join(dir, "data.mdb"));
    const store = await LmdbExecutionStore.open({ path: dir });
    expect(await store.load(fixtureSummary.executionArn)).toEqual({ summary: fixtureSummary, state: fixtureState, revision: 1, historyLength: 2 });
    expect((await store.readHistory(fixtureSummary.executionArn, { reverse: true }))?.events).toEqual([event(2), event(1, "ExecutionStarted")]);
    expect(await store.readHistory(fixtureSummary.executionArn, { afterId: 1 })).toEqual({ events: [event(2)] });
    expect(await store.readHistory(fixtureSummary.executionArn, { reverse: true, limit: 1 })).toEqual({ events: [event(2)], next: 2 });
    expect((await store.timersDue(Infinity)).items).toEqual([{ ...fixtureTimer, executionArn: fixtureSummary.executionArn }]);
    expect((await store.listRunning()).items).toEqual([fixtureSummary.executionArn]);
    expect((await store.listExecutions({ arn: SM })).items.map((s) => s.name)).toEqual(["fixture", "finished"]);
    expect((await store.getDocument("stateMachine", SM))?.value).toEqual({ name: "Flow", definition: '{"StartAt":"Wait","States":{}}' });
    await store.close();
  });

  it("continues a version-1 history with records of the current version, and reads it as one", async () => {
    const dir = await tempDir();
    await copyFile(join(fixtureDir(1), "data.mdb"), join(dir, "data.mdb"));
    const store = await LmdbExecutionStore.open({ path: dir });
    const arn = fixtureSummary.executionArn;
    await store.commit([{ expectedRevision: 1, summary: fixtureSummary, state: fixtureState, events: [event(3), event(4), event(5)] }]);
    expect((await store.readHistory(arn))?.events.map((e) => e.id)).toEqual([1, 2, 3, 4, 5]);
    expect((await store.readHistory(arn, { afterId: 1, limit: 3 }))?.events.map((e) => e.id)).toEqual([2, 3, 4]);
    expect((await store.readHistory(arn, { reverse: true, afterId: 5, limit: 3 }))?.events.map((e) => e.id)).toEqual([4, 3, 2]);
    await store.close();
  });

  it("refuses a store from an unknown format version, naming the record", async () => {
    const dir = await tempDir();
    const store = await LmdbExecutionStore.open({ path: dir });
    // MessagePack [3, {}]: a format version after this build's.
    await store.writeRawRecord("meta", "format", Uint8Array.of(0x92, 0x03, 0x80));
    await store.close();
    const error = await LmdbExecutionStore.open({ path: dir }).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(StoreCorruptionError);
    expect((error as StoreCorruptionError).record).toEqual({ kind: "meta", key: "format" });
    expect((error as Error).message).toMatch(/unknown format version 3/);
  });

  it("refuses a data file that is not an LMDB store", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, "data.mdb"), Buffer.alloc(64 * 1024, 0x5a));
    await expect(LmdbExecutionStore.open({ path: dir })).rejects.toThrow(StoreCorruptionError);
  });
});

describe("LmdbExecutionStore specifics", () => {
  it("lets LMDB's conditional write decide a race between two stores over one directory", async () => {
    const path = await tempDir();
    const [a, b] = [await LmdbExecutionStore.open({ path }), await LmdbExecutionStore.open({ path })];
    const s = summary("race");
    await a.commit([{ expectedRevision: 0, summary: s, state: 0, events: [event(1)] }]);
    // lmdb-js renews a store's read snapshot a macrotask after it was used: let b see revision 1.
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect((await b.load(s.executionArn))?.revision).toBe(1);
    // Both plan against revision 1 (neither sees the other's queued write): one lands, one conflicts.
    const outcomes = await Promise.all([a, b].map((store, i) => store.commit([{ expectedRevision: 1, summary: s, state: i }])));
    const [won, lost] = outcomes[0]?.[0]?.status === "ok" ? [0, 1] : [1, 0];
    expect(outcomes[won]?.[0]).toMatchObject({ status: "ok", revision: 2 });
    expect(outcomes[lost]?.[0]).toMatchObject({ status: "conflict", revision: 2 });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await a.load(s.executionArn)).toMatchObject({ state: won, revision: 2 });
    await a.close();
    await b.close();
  });

  it("skips a due-time entry its timer does not agree with, and sets that timer again", async () => {
    const store = await LmdbExecutionStore.open({ path: await tempDir() });
    await store.writeRawRecord("index", JSON.stringify(["t", 5, "ghost"]), new Uint8Array());
    await store.updateTimers({ set: [{ timerId: "moved", dueAt: 7, payload: 1 }] });
    await store.updateTimers({ set: [{ timerId: "moved", dueAt: 50, payload: 2 }] });
    expect((await store.timersDue(10)).items).toEqual([]);
    await store.updateTimers({ set: [{ timerId: "ghost", dueAt: 5, payload: 3 }] });
    expect((await store.timersDue(100)).items.map((t) => [t.timerId, t.payload])).toEqual([["ghost", 3], ["moved", 2]]);
    await store.close();
  });
});
