/**
 * What LmdbQueueStore adds to the QueueStore contract (queue-store-contract.test.ts runs that
 * on it): a store opened again on the same directory (a restart) has the same queues, with
 * messages in order, receive counts, receipt handles, in-flight and delayed messages (visible
 * again when their time comes), FIFO groups, sequence numbers and deduplication windows.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createEngine } from "../../index.js";
import type { QueueConfig } from "../../runtime/config/project-config.js";
import { StoreCorruptionError } from "../../runtime/ports/execution-store.js";
import { createSqsAdapter, queueStoreOf } from "./index.js";
import { LmdbQueueStore } from "./lmdb-queue-store.js";
import { QueueError, type QueueStore } from "./queue-store.js";

const dirs: string[] = [];
const open: QueueStore[] = [];
afterEach(async () => {
  for (const store of open.splice(0)) await store.close?.();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "aslan-sqs-lmdb-"));
  dirs.push(dir);
  return dir;
}

/** Stores on one directory and one manual clock; `restart()` closes the current one and opens the next. */
function restartable(queues: Readonly<Record<string, QueueConfig>>): { store: () => QueueStore; restart: (next?: Readonly<Record<string, QueueConfig>>) => Promise<void>; advance: (s: number) => void } {
  const path = join(tempDir(), "sqs");
  let now = 1_700_000_000_000;
  const clock = { now: () => now };
  let current = LmdbQueueStore.open({ path, queues, clock });
  open.push(current);
  return {
    store: () => current,
    restart: async (next = queues) => {
      await current.close();
      open.splice(open.indexOf(current), 1);
      current = LmdbQueueStore.open({ path, queues: next, clock });
      open.push(current);
    },
    advance: (s) => (now += s * 1000),
  };
}

const bodies = (messages: readonly { Body: string }[]): string[] => messages.map((m) => m.Body);

describe("LmdbQueueStore across a restart", () => {
  it("keeps messages in order with their receive counts; one in flight comes back when its timeout ends, a delayed one after its delay", async () => {
    const { store, restart, advance } = restartable({ q: { visibilityTimeoutSeconds: 10 } });
    await store().sendMessage("q", { body: "first" });
    await store().sendMessage("q", { body: "second" });
    await store().sendMessage("q", { body: "delayed", delaySeconds: 30 });
    const [inFlight] = await store().receiveMessages("q");
    const created = (await store().getQueueAttributes("q"))["CreatedTimestamp"];
    advance(5);
    await restart();

    expect(await store().getQueueAttributes("q")).toMatchObject({
      CreatedTimestamp: created, ApproximateNumberOfMessages: "1", ApproximateNumberOfMessagesNotVisible: "1", ApproximateNumberOfMessagesDelayed: "1",
    });
    expect(bodies(await store().receiveMessages("q", { maxMessages: 10, visibilityTimeoutSeconds: 60 }))).toEqual(["second"]);
    advance(5);
    const [back] = await store().receiveMessages("q", { maxMessages: 10, visibilityTimeoutSeconds: 60 });
    expect(back).toMatchObject({ MessageId: inFlight?.MessageId, Body: "first" });
    expect(back?.Attributes).toMatchObject({ ApproximateReceiveCount: "2", ApproximateFirstReceiveTimestamp: inFlight?.Attributes["ApproximateFirstReceiveTimestamp"] });
    advance(20);
    expect(bodies(await store().receiveMessages("q", { maxMessages: 10 }))).toEqual(["delayed"]);
  });

  it("a receipt handle from before the restart still deletes its message, for good", async () => {
    const { store, restart, advance } = restartable({ q: {} });
    await store().sendMessage("q", { body: "m" });
    const [m] = await store().receiveMessages("q");
    await restart();
    await store().deleteMessage("q", m?.ReceiptHandle ?? "");
    await restart();
    advance(60);
    expect(await store().receiveMessages("q")).toEqual([]);
    expect(await store().getQueueAttributes("q")).toMatchObject({ ApproximateNumberOfMessages: "0", ApproximateNumberOfMessagesNotVisible: "0" });
  });

  it("FIFO: a group stays blocked behind its message in flight, duplicates inside the window are still dropped, sequence numbers keep growing", async () => {
    const { store, restart, advance } = restartable({ "f.fifo": {} });
    const sent = [];
    for (const [group, body] of [["a", "a1"], ["a", "a2"], ["b", "b1"]] as const) sent.push(await store().sendMessage("f.fifo", { body, messageGroupId: group, messageDeduplicationId: body }));
    const [a1] = await store().receiveMessages("f.fifo");
    expect(a1?.Body).toBe("a1");
    await restart();

    const duplicate = await store().sendMessage("f.fifo", { body: "a2 again", messageGroupId: "a", messageDeduplicationId: "a2" });
    expect(duplicate.MessageId).toBe(sent[1]?.MessageId);
    const later = await store().sendMessage("f.fifo", { body: "b2", messageGroupId: "b", messageDeduplicationId: "b2" });
    expect(BigInt(later.SequenceNumber ?? "0")).toBeGreaterThan(BigInt(sent[2]?.SequenceNumber ?? "0"));
    const free = await store().receiveMessages("f.fifo", { maxMessages: 10 });
    expect(bodies(free)).toEqual(["b1", "b2"]);
    for (const m of free) await store().deleteMessage("f.fifo", m.ReceiptHandle);
    await store().deleteMessage("f.fifo", a1?.ReceiptHandle ?? "");
    expect(bodies(await store().receiveMessages("f.fifo", { maxMessages: 10 }))).toEqual(["a2"]);

    // Five minutes after the first send its deduplication id is new again, across a restart too.
    advance(301);
    await restart();
    const fresh = await store().sendMessage("f.fifo", { body: "a1", messageGroupId: "a", messageDeduplicationId: "a1" });
    expect(fresh.MessageId).not.toBe(sent[0]?.MessageId);
  });

  it("takes its settings from the config each start; a queue left out is not served, and comes back with its messages", async () => {
    const { store, restart, advance } = restartable({ q: { visibilityTimeoutSeconds: 30 }, other: {} });
    await store().sendMessage("q", { body: "kept" });
    await restart({ other: {} });
    await expect(store().receiveMessages("q")).rejects.toThrow(QueueError);
    await restart({ q: { visibilityTimeoutSeconds: 5 }, other: {} });
    expect((await store().getQueueAttributes("q"))["VisibilityTimeout"]).toBe("5");
    expect(bodies(await store().receiveMessages("q"))).toEqual(["kept"]);
    advance(5);
    expect(bodies(await store().receiveMessages("q"))).toEqual(["kept"]);
  });

  it("drops messages past the retention period (4 days), on disk too", async () => {
    const { store, restart, advance } = restartable({ q: {} });
    await store().sendMessage("q", { body: "old" });
    advance(345_601);
    await store().sendMessage("q", { body: "new" });
    expect(bodies(await store().receiveMessages("q", { maxMessages: 10 }))).toEqual(["new"]);
    await restart();
    expect((await store().getQueueAttributes("q"))["ApproximateNumberOfMessagesNotVisible"]).toBe("1");
    expect((await store().getQueueAttributes("q"))["ApproximateNumberOfMessages"]).toBe("0");
  });
});

describe("the SQS adapter with a data directory", () => {
  it("keeps in <dataDir>/sqs what a Task sent; close() closes the store so the next one opens it", async () => {
    const dataDir = tempDir();
    const config = { queues: { orders: {} } };
    const adapter = createSqsAdapter(config, { dataDir });
    if (!adapter) throw new Error("no adapter");
    const engine = createEngine({ adapters: [adapter], virtualTime: true });
    const machine = engine.createStateMachine("send", { StartAt: "S", States: { S: { Type: "Task", Resource: "arn:aws:states:::sqs:sendMessage", Parameters: { QueueUrl: "orders", MessageBody: { id: 7 } }, End: true } } });
    expect((await engine.result(engine.startExecution(machine, {}))).status).toBe("SUCCEEDED");
    engine.close();
    await adapter.close();

    const next = queueStoreOf(createSqsAdapter(config, { dataDir }));
    if (!next) throw new Error("no store");
    open.push(next);
    expect(next).toBeInstanceOf(LmdbQueueStore);
    expect(bodies(await next.receiveMessages("orders"))).toEqual(['{"id":7}']);
  });

  it("refuses to start on a data file that is not LMDB's", () => {
    const dataDir = tempDir();
    mkdirSync(join(dataDir, "sqs"));
    writeFileSync(join(dataDir, "sqs", "data.mdb"), "x".repeat(64));
    expect(() => createSqsAdapter({ queues: { q: {} } }, { dataDir })).toThrow(StoreCorruptionError);
  });
});
