/**
 * The QueueStore contract: visibility timeouts, receipt handles, FIFO groups, long polling and
 * consumers, run on every implementation that keeps queues itself (MemoryQueueStore,
 * LmdbQueueStore in a temp directory, and JetStreamQueueStore against a real nats-server, a
 * bucket per store; SdkQueueStore forwards to SQS).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, it, expect } from "vitest";
import type { QueueConfig } from "../../runtime/config/project-config.js";
import type { Clock } from "../../runtime/ports/clock.js";
import { natsForFile } from "../../test/support/nats-for-file.js";
import { JetStreamQueueStore } from "./jetstream-queue-store.js";
import { LmdbQueueStore } from "./lmdb-queue-store.js";
import { MemoryQueueStore } from "./memory-queue-store.js";
import type { QueueStore } from "./queue-store.js";
import { consumeQueue, queueConsumer } from "./consumer.js";
import { errorCode } from "../../test/support/queue-error-code.js";

/** Makes a store serving `queues`, on `clock` (the system clock when absent). */
export type MakeQueueStore = (queues: Readonly<Record<string, QueueConfig>>, clock?: Clock) => QueueStore;


export function queueStoreContract(name: string, make: MakeQueueStore): void {
  function clocked(queues: Record<string, QueueConfig>): { store: QueueStore; advance: (s: number) => void } {
    let now = 1_700_000_000_000;
    return { store: make(queues, { now: () => now }), advance: (s) => (now += s * 1000) };
  }

  describe(`QueueStore contract: ${name}`, () => {
    it("a received message is invisible for the visibility timeout, then comes back with a higher ApproximateReceiveCount", async () => {
      const { store, advance } = clocked({ q: { visibilityTimeoutSeconds: 10 } });
      await store.sendMessage("q", { body: "m" });
      const [first] = await store.receiveMessages("q");
      expect(first?.Attributes["ApproximateReceiveCount"]).toBe("1");
      expect(await store.receiveMessages("q")).toEqual([]);
      expect(await store.getQueueAttributes("q")).toMatchObject({ ApproximateNumberOfMessages: "0", ApproximateNumberOfMessagesNotVisible: "1" });
      advance(9);
      expect(await store.receiveMessages("q")).toEqual([]);
      advance(1);
      const [again] = await store.receiveMessages("q");
      expect(again?.MessageId).toBe(first?.MessageId);
      expect(again?.ReceiptHandle).not.toBe(first?.ReceiptHandle);
      expect(again?.Attributes).toMatchObject({ ApproximateReceiveCount: "2", ApproximateFirstReceiveTimestamp: first?.Attributes["ApproximateFirstReceiveTimestamp"] });
    });

    it("delete removes a message for good; an unknown receipt handle is ReceiptHandleIsInvalid", async () => {
      const { store, advance } = clocked({ q: {} });
      await store.sendMessage("q", { body: "m" });
      const [m] = await store.receiveMessages("q");
      await store.deleteMessage("q", m?.ReceiptHandle ?? "");
      advance(60);
      expect(await store.receiveMessages("q")).toEqual([]);
      expect(await errorCode(store.deleteMessage("q", "bogus"))).toBe("ReceiptHandleIsInvalid");
      expect(await errorCode(store.receiveMessages("nope"))).toBe("QueueDoesNotExist");
    });

    it("changeMessageVisibility: 0 makes it visible at once; a message not in flight is MessageNotInflight", async () => {
      const { store, advance } = clocked({ q: {} });
      await store.sendMessage("q", { body: "m" });
      const [m] = await store.receiveMessages("q", { visibilityTimeoutSeconds: 300 });
      await store.changeMessageVisibility("q", m?.ReceiptHandle ?? "", 0);
      const [again] = await store.receiveMessages("q", { visibilityTimeoutSeconds: 5 });
      expect(again?.Body).toBe("m");
      advance(5);
      expect(await errorCode(store.changeMessageVisibility("q", again?.ReceiptHandle ?? "", 10))).toBe("MessageNotInflight");
    });

    it("FIFO: a group's next message waits until the one in flight is deleted; other groups go on", async () => {
      const { store } = clocked({ "f.fifo": {} });
      for (const [group, body] of [["a", "a1"], ["a", "a2"], ["b", "b1"]] as const) {
        await store.sendMessage("f.fifo", { body, messageGroupId: group, messageDeduplicationId: body });
      }
      const first = await store.receiveMessages("f.fifo", { maxMessages: 1 });
      expect(first.map((m) => m.Body)).toEqual(["a1"]);
      // a2 is held back behind a1 (in flight); b1 is free.
      expect((await store.receiveMessages("f.fifo", { maxMessages: 10 })).map((m) => m.Body)).toEqual(["b1"]);
      await store.deleteMessage("f.fifo", first[0]?.ReceiptHandle ?? "");
      expect((await store.receiveMessages("f.fifo", { maxMessages: 10 })).map((m) => m.Body)).toEqual(["a2"]);
    });

    it("FIFO: one receive returns a group's messages in order; content-based deduplication", async () => {
      const { store } = clocked({ "f.fifo": {} });
      const one = await store.sendMessage("f.fifo", { body: "x", messageGroupId: "g" });
      const dup = await store.sendMessage("f.fifo", { body: "x", messageGroupId: "g" });
      await store.sendMessage("f.fifo", { body: "y", messageGroupId: "g" });
      expect(dup.MessageId).toBe(one.MessageId);
      expect((await store.receiveMessages("f.fifo", { maxMessages: 10 })).map((m) => m.Body)).toEqual(["x", "y"]);
    });

    it("checks SendMessage's parameters as SQS does", async () => {
      const { store } = clocked({ q: {}, "f.fifo": {} });
      expect(await errorCode(store.sendMessage("q", { body: "" }))).toBe("MissingParameter");
      expect(await errorCode(store.sendMessage("q", { body: "bad \u0000 char" }))).toBe("InvalidMessageContents");
      expect(await errorCode(store.sendMessage("q", { body: "x".repeat(262_145) }))).toBe("InvalidParameterValue");
      expect(await errorCode(store.sendMessage("q", { body: "x", messageDeduplicationId: "d" }))).toBe("InvalidParameterValue");
      expect(await errorCode(store.sendMessage("f.fifo", { body: "x", messageGroupId: "g", delaySeconds: 5 }))).toBe("InvalidParameterValue");
      expect(await errorCode(store.sendMessage("q", { body: "x", messageAttributes: { n: { DataType: "Number", StringValue: "abc" } } }))).toBe("InvalidParameterValue");
      expect(await errorCode(store.sendMessage("q", { body: "x", messageAttributes: { s: { DataType: "Text", StringValue: "v" } } }))).toBe("InvalidParameterValue");
      expect(await errorCode(store.receiveMessages("q", { maxMessages: 11 }))).toBe("InvalidParameterValue");
    });

    it("long polling waits for a message sent meanwhile, and ends early when its signal aborts", async () => {
      const store = make({ q: {} });
      const started = Date.now();
      const waiting = store.receiveMessages("q", { waitTimeSeconds: 5 });
      setTimeout(() => void store.sendMessage("q", { body: "late" }), 30);
      expect((await waiting).map((m) => m.Body)).toEqual(["late"]);
      expect(Date.now() - started).toBeLessThan(2000);
      const abort = new AbortController();
      const aborted = store.receiveMessages("q", { waitTimeSeconds: 20, signal: abort.signal });
      setTimeout(() => abort.abort(), 20);
      expect(await aborted).toEqual([]);
      expect(Date.now() - started).toBeLessThan(4000);
    });

    it("long polling also wakes when an in-flight message's visibility timeout ends", async () => {
      const store = make({ q: {} });
      await store.sendMessage("q", { body: "m" });
      await store.receiveMessages("q", { visibilityTimeoutSeconds: 1 });
      const started = Date.now();
      const [m] = await store.receiveMessages("q", { waitTimeSeconds: 5 });
      expect(m?.Attributes["ApproximateReceiveCount"]).toBe("2");
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
      expect(Date.now() - started).toBeLessThan(3000);
    });
  });

  describe(`consumer on ${name}`, () => {
    it("consumeQueue hands messages to the handler, deletes handled ones, leaves failed ones for redelivery", async () => {
      const store = make({ q: { visibilityTimeoutSeconds: 60 } });
      for (const body of ["ok-1", "fail", "ok-2"]) await store.sendMessage("q", { body });
      const abort = new AbortController();
      const seen: string[] = [];
      const errors: string[] = [];
      const loop = consumeQueue(store, "q", (m) => {
        seen.push(m.Body);
        if (m.Body === "fail") throw new Error("boom");
        if (seen.length === 3) abort.abort();
      }, { signal: abort.signal, waitTimeSeconds: 1, onError: (e, m) => errors.push(`${m.Body}: ${(e as Error).message}`) });
      await loop;
      expect(seen).toEqual(["ok-1", "fail", "ok-2"]);
      expect(errors).toEqual(["fail: boom"]);
      expect(await store.getQueueAttributes("q")).toMatchObject({ ApproximateNumberOfMessages: "0", ApproximateNumberOfMessagesNotVisible: "1" });
      const c = queueConsumer(store, "q");
      expect(await c.receive()).toEqual([]);
    });
  });
}

queueStoreContract("MemoryQueueStore", (queues, clock) => new MemoryQueueStore({ queues, ...(clock ? { clock } : {}) }));

const dirs: string[] = [];
const opened: QueueStore[] = [];
afterAll(async () => {
  for (const store of opened.splice(0)) await store.close?.();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

queueStoreContract("LmdbQueueStore", (queues, clock) => {
  const dir = mkdtempSync(join(tmpdir(), "aslan-sqs-contract-"));
  dirs.push(dir);
  const store = LmdbQueueStore.open({ path: join(dir, "sqs"), queues, durability: "committed", ...(clock ? { clock } : {}) });
  opened.push(store);
  return store;
});

const nats = natsForFile();
queueStoreContract("JetStreamQueueStore", (queues, clock) => {
  const store = new JetStreamQueueStore({ servers: nats.url, queues, bucket: nats.freshBucket(), ...(clock ? { clock } : {}) });
  nats.atEnd(() => store.close());
  return store;
});
