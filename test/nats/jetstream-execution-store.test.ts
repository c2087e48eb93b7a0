import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Kvm } from "@nats-io/kv";
import { Engine } from "../../runtime/engine/engine.js";
import { connectJetStream } from "../../runtime/nats/jetstream-connection.js";
import { JetStreamExecutionStore } from "../../runtime/nats/jetstream-execution-store.js";
import { encodeEntry } from "../../runtime/nats/jetstream-store-entry.js";
import { storeKeys } from "../../runtime/nats/jetstream-store-keys.js";
import { event, executionStoreContract, summary, type TestedStore } from "../contracts/execution-store.contract.js";
import { hasNatsServer, startNatsServer, type NatsServer } from "../support/nats-server.js";

// One server for the file; every store gets its own bucket prefix, so tests stay apart.
let server: NatsServer | undefined;
beforeAll(async () => {
  if (hasNatsServer()) server = await startNatsServer();
});
afterAll(async () => {
  await server?.stop();
});

const url = (): string => {
  if (!server) throw new Error("nats-server is not installed");
  return server.url;
};
const freshPrefix = (): string => `t${randomBytes(6).toString("hex")}`;
const prefixes = new WeakMap<TestedStore, string>();
const openStore = async (prefix: string): Promise<JetStreamExecutionStore> => {
  const store = await JetStreamExecutionStore.open({ servers: url(), prefix });
  prefixes.set(store, prefix);
  return store;
};

executionStoreContract({
  name: "JetStreamExecutionStore",
  open: () => openStore(freshPrefix()),
  reopen: async (store) => {
    await store.close();
    return openStore(prefixes.get(store) as string);
  },
  groupsCommits: false,
});

describe("JetStreamExecutionStore with several writers", () => {
  it("lets the KV compare-and-set decide a race between two stores, and keeps only the winner's history", async () => {
    const prefix = freshPrefix();
    const [a, b] = [await openStore(prefix), await openStore(prefix)];
    const s = summary("race");
    expect((await a.commit([{ expectedRevision: 0, summary: s, state: 0, events: [event(1, "ExecutionStarted")] }]))[0]?.status).toBe("ok");
    expect((await b.load(s.executionArn))?.revision).toBe(1);
    // Both plan against revision 1 with different events 2 and 3: one lands, the other conflicts.
    const mine = (i: number): ReturnType<typeof event>[] => [event(2, `Step${i}`), event(3, `Step${i}`)];
    const outcomes = await Promise.all([a, b].map((store, i) => store.commit([{ expectedRevision: 1, summary: s, state: i, events: mine(i) }])));
    const statuses = outcomes.map(([o]) => o?.status);
    expect([...statuses].sort()).toEqual(["conflict", "ok"]);
    const won = statuses.indexOf("ok");
    expect(outcomes[1 - won]?.[0]).toEqual({ status: "conflict", executionArn: s.executionArn, revision: 2 });
    for (const store of [a, b]) {
      expect(await store.load(s.executionArn)).toMatchObject({ state: won, revision: 2, historyLength: 3 });
      expect((await store.readHistory(s.executionArn))?.events).toEqual([event(1, "ExecutionStarted"), ...mine(won)]);
    }
    // The loser goes on from what it reads now.
    const loser = won === 0 ? b : a;
    expect((await loser.commit([{ expectedRevision: 2, summary: s, state: 9, events: [event(4)] }]))[0]).toMatchObject({ status: "ok", revision: 3, historyLength: 4 });
    expect((await a.readHistory(s.executionArn, { reverse: true, limit: 1 }))?.events).toEqual([event(4)]);
    await a.close();
    await b.close();
  });

  it("settles a step whose writer died after its compare-and-set: history shows it, recovery writes its timers", async () => {
    const prefix = freshPrefix();
    const store = await openStore(prefix);
    const s = summary("orphan");
    await store.commit([{ expectedRevision: 0, summary: s, state: 0, events: [event(1)] }]);
    // Revision 2 as a writer that died right after its compare-and-set leaves it: the entry, nothing settled.
    const timer = { timerId: "orphan-t", dueAt: 5, payload: null, executionArn: s.executionArn };
    const step = { events: [event(2)], set: [timer], cancel: [], index: "same" as const };
    const link = await connectJetStream({ servers: url() });
    const kv = await new Kvm(link.js).open(`${prefix}_executions`);
    const key = storeKeys.execution(s.executionArn);
    const stored = await kv.get(key);
    await kv.update(key, encodeEntry({ summary: s, revision: 2, historyLength: 2 }, 1, step, "dead"), stored?.revision ?? 0);
    await link.nc.close();
    const other = await openStore(prefix);
    expect(await other.load(s.executionArn)).toMatchObject({ revision: 2, historyLength: 2, state: 1 });
    expect((await other.readHistory(s.executionArn))?.events).toEqual([event(1), event(2)]);
    expect(await other.getTimer("orphan-t")).toBeUndefined();
    expect((await other.listRunning()).items).toEqual([s.executionArn]);
    expect(await other.getTimer("orphan-t")).toEqual(timer);
    // Settled now: the history bucket holds event 2 (deleting it is a gap again).
    await other.writeRawRecord("history", `${s.executionArn}#2`, undefined);
    await expect(other.readHistory(s.executionArn)).rejects.toThrow(/history gap/);
    await store.close();
    await other.close();
  });
});

describe("a step larger than one NATS message", () => {
  it("is rejected with the reason (the server would refuse it every time), and what is stored stays", async () => {
    const store = await openStore(freshPrefix());
    const s = summary("big");
    expect((await store.commit([{ expectedRevision: 0, summary: s, state: "small", events: [event(1, "ExecutionStarted")] }]))[0]?.status).toBe("ok");
    // 1.2 MB of state: over nats-server's default max_payload of 1 MB.
    const [outcome] = await store.commit([{ expectedRevision: 1, summary: s, state: "x".repeat(1_200_000), events: [event(2)] }]);
    expect(outcome).toMatchObject({ status: "rejected", executionArn: s.executionArn });
    expect(outcome?.status === "rejected" ? outcome.reason : "").toMatch(/more than one message of the NATS server takes \(max_payload 1048576 bytes.*raise max_payload/);
    expect(await store.load(s.executionArn)).toMatchObject({ revision: 1, state: "small" });
    await store.close();
  });

  it("fails its execution with States.Runtime, which the store then holds", async () => {
    const store = await openStore(freshPrefix());
    const engine = new Engine({ store, log: { warn: () => {}, error: () => {} } });
    await engine.start();
    try {
      // One step: 3,000 inline Map iterations of a Pass state write about 9,000 history events at once.
      const definition = { StartAt: "M", States: { M: { Type: "Map", ItemProcessor: { StartAt: "P", States: { P: { Type: "Pass", Result: "a value of some length to fill the history", End: true } } }, End: true } } };
      const run = engine.startExecution(engine.createStateMachine("big", definition), Array.from({ length: 3_000 }, (_, i) => i), "big");
      await engine.result(run);
      await engine.flushed();
      const stored = await store.load(run.info.arn);
      expect(stored?.summary).toMatchObject({ status: "FAILED", error: "States.Runtime" });
      expect(stored?.summary.cause).toMatch(/could not be stored: this step is \d+ bytes as stored .*max_payload/);
    } finally {
      await engine.close();
      await store.close();
    }
  });
});
