/**
 * What only the JetStream QueueStore has (queue-store-contract.test.ts runs the contract on
 * it): stores on separate connections, as separate processes have, share the queues. A
 * message one receives is invisible to the other until its timeout, and either deletes it
 * with the other's receipt handle; a long poll in one wakes when the other sends (or, on a
 * FIFO queue, frees a group); messages sent and received concurrently through several
 * connections are each received exactly once, FIFO groups in order; a receiver that dies
 * gives its message back after the visibility timeout; duplicates sent at once through two
 * connections enqueue one message, and a duplicate revives the message of a sender that died
 * half-way; deleted messages, closed deduplication windows and expired messages leave
 * nothing in the bucket; writes ride out a nats-server restart; the adapter runs on it with
 * `natsServers`.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { QueueConfig } from "../../runtime/config/project-config.js";
import type { Clock } from "../../runtime/ports/clock.js";
import type { AdapterTask } from "../../runtime/ports/adapter.js";
import { connectJetStream } from "../../runtime/nats/jetstream-connection.js";
import { parseResource } from "../../translators/dataflow/resource.js";
import { natsForFile } from "../../test/support/nats-for-file.js";
import { errorCode } from "../../test/support/queue-error-code.js";
import { startNatsServer } from "../../test/support/nats-server.js";
import { encodeJson, JetStreamAdapterBucket, keyToken, token } from "../jetstream-adapter-bucket.js";
import { md5Hex } from "./digests.js";
import { createSqsAdapter, queueStoreOf } from "./index.js";
import { JetStreamQueueStore } from "./jetstream-queue-store.js";
import { MemoryQueue } from "./memory-queue.js";
import type { QueueStore, ReceivedMessage } from "./queue-store.js";
import type { DedupRecord, MessageRecord } from "./shared-queue-records.js";

const nats = natsForFile();

function storeOn(bucket: string, queues: Readonly<Record<string, QueueConfig>>, options: { clock?: Clock; servers?: string } = {}): JetStreamQueueStore {
  const store = new JetStreamQueueStore({ servers: options.servers ?? nats.url, queues, bucket, ...(options.clock ? { clock: options.clock } : {}) });
  nats.atEnd(() => store.close());
  return store;
}

/** Two stores on one fresh bucket (two processes), on one manual clock when asked. */
function twoProcesses(queues: Readonly<Record<string, QueueConfig>>, manual = false): { a: JetStreamQueueStore; b: JetStreamQueueStore; advance: (s: number) => void; another: () => JetStreamQueueStore; bucket: string } {
  let now = 1_700_000_000_000;
  const clock = manual ? { clock: { now: () => now } } : {};
  const bucket = nats.freshBucket();
  return { a: storeOn(bucket, queues, clock), b: storeOn(bucket, queues, clock), advance: (s) => (now += s * 1000), another: () => storeOn(bucket, queues, clock), bucket };
}

/** The keys the bucket's stream holds messages for, delete markers included. */
async function storedKeys(bucket: string): Promise<string[]> {
  const link = await connectJetStream({ servers: nats.url });
  try {
    const info = await link.jsm.streams.info(`KV_${bucket}`, { subjects_filter: `$KV.${bucket}.>` });
    return Object.keys(info.state.subjects ?? {}).map((subject) => subject.slice(`$KV.${bucket}.`.length)).sort();
  } finally {
    await link.nc.close();
  }
}


const bodies = (messages: readonly ReceivedMessage[]): string[] => messages.map((m) => m.Body);

/** A worker: receives from `store` until `stop()` says so, handles each message (a short wait, then records its body) and deletes it. */
async function drain(store: QueueStore, queue: string, got: string[], stop: () => boolean): Promise<void> {
  while (!stop()) {
    const messages = await store.receiveMessages(queue, { maxMessages: 10, waitTimeSeconds: 1, visibilityTimeoutSeconds: 60 });
    for (const m of messages) {
      await new Promise((r) => setTimeout(r, 2));
      got.push(m.Body);
      await store.deleteMessage(queue, m.ReceiptHandle);
    }
  }
}

describe("JetStreamQueueStore shared by processes", () => {
  it("hides a message one connection received from the other until its timeout; either changes or deletes it with the other's receipt handle", async () => {
    const { a, b, advance } = twoProcesses({ q: { visibilityTimeoutSeconds: 10 } }, true);
    const sent = await a.sendMessage("q", { body: "m" });
    const [first] = await a.receiveMessages("q");
    expect(first?.MessageId).toBe(sent.MessageId);
    expect(await b.receiveMessages("q", { maxMessages: 10 })).toEqual([]);
    expect(await b.getQueueAttributes("q")).toMatchObject({ ApproximateNumberOfMessages: "0", ApproximateNumberOfMessagesNotVisible: "1" });
    advance(9);
    expect(await b.receiveMessages("q")).toEqual([]);
    advance(1);
    const [again] = await b.receiveMessages("q");
    expect(again?.MessageId).toBe(sent.MessageId);
    expect(again?.Attributes["ApproximateReceiveCount"]).toBe("2");
    expect(await a.receiveMessages("q")).toEqual([]);

    // a keeps b's message invisible longer, then deletes it with b's receipt handle.
    await a.changeMessageVisibility("q", again?.ReceiptHandle ?? "", 100);
    advance(50);
    expect(await b.receiveMessages("q")).toEqual([]);
    await a.deleteMessage("q", again?.ReceiptHandle ?? "");
    advance(200);
    expect(await a.receiveMessages("q")).toEqual([]);
    expect(await b.receiveMessages("q")).toEqual([]);
    expect(await a.getQueueAttributes("q")).toMatchObject({ ApproximateNumberOfMessages: "0", ApproximateNumberOfMessagesNotVisible: "0" });
    expect(await errorCode(b.deleteMessage("q", first?.ReceiptHandle ?? ""))).toBe("ReceiptHandleIsInvalid");
  });

  it("ends a long poll in one connection as soon as the other sends, or frees the FIFO group it waits on", async () => {
    const { a, b } = twoProcesses({ q: {}, "f.fifo": {} });
    // Both connected and watching, so the timings below are about the wake-up alone.
    await a.receiveMessages("q", { waitTimeSeconds: 1 });
    let sentAt = 0;
    const waiting = a.receiveMessages("q", { waitTimeSeconds: 10 });
    setTimeout(() => void b.sendMessage("q", { body: "from b" }).then(() => (sentAt = Date.now())), 200);
    expect(bodies(await waiting)).toEqual(["from b"]);
    // Well before a long poll looks again on its own (every 2 s).
    expect(Date.now() - sentAt).toBeLessThan(1_000);

    for (const body of ["g1", "g2"]) await b.sendMessage("f.fifo", { body, messageGroupId: "g" });
    const [g1] = await b.receiveMessages("f.fifo", { visibilityTimeoutSeconds: 60 });
    expect(g1?.Body).toBe("g1");
    let deletedAt = 0;
    const blocked = a.receiveMessages("f.fifo", { waitTimeSeconds: 10 });
    setTimeout(() => void b.deleteMessage("f.fifo", g1?.ReceiptHandle ?? "").then(() => (deletedAt = Date.now())), 300);
    expect(bodies(await blocked)).toEqual(["g2"]);
    expect(deletedAt).toBeGreaterThan(0);
    expect(Date.now() - deletedAt).toBeLessThan(1_000);
  });

  it("receives each of 200 messages sent at once through two connections exactly once, by two competing receivers", async () => {
    const bucket = nats.freshBucket();
    const [a, b, c, d] = [1, 2, 3, 4].map(() => storeOn(bucket, { q: {} })) as [JetStreamQueueStore, JetStreamQueueStore, JetStreamQueueStore, JetStreamQueueStore];
    const byC: string[] = [];
    const byD: string[] = [];
    const done = (): boolean => byC.length + byD.length >= 200;
    const receivers = [drain(c, "q", byC, done), drain(d, "q", byD, done)];
    await Promise.all(Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? a : b).sendMessage("q", { body: String(i) })));
    await Promise.race([Promise.all(receivers), new Promise((r) => setTimeout(r, 15_000))]);
    const all = [...byC, ...byD];
    expect(all).toHaveLength(200);
    expect(new Set(all).size).toBe(200);
    expect([...all].map(Number).sort((x, y) => x - y)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    // Both took part (each long poll returns what it took, so neither can take all 200 alone while the other waits).
    expect(byC.length).toBeGreaterThan(0);
    expect(byD.length).toBeGreaterThan(0);
    expect(await a.getQueueAttributes("q")).toMatchObject({ ApproximateNumberOfMessages: "0", ApproximateNumberOfMessagesNotVisible: "0" });
  });

  it("keeps each FIFO group's order when its messages are sent through two connections and received by two", async () => {
    const bucket = nats.freshBucket();
    const [a, b, c, d] = [1, 2, 3, 4].map(() => storeOn(bucket, { "f.fifo": {} })) as [JetStreamQueueStore, JetStreamQueueStore, JetStreamQueueStore, JetStreamQueueStore];
    const got: string[] = [];
    const done = (): boolean => got.length >= 80;
    const receivers = [drain(c, "f.fifo", got, done), drain(d, "f.fifo", got, done)];
    // Four groups sent at once; each group's 20 messages one after the other, alternating connections.
    await Promise.all(["w", "x", "y", "z"].map(async (group) => {
      for (let i = 0; i < 20; i++) await (i % 2 === 0 ? a : b).sendMessage("f.fifo", { body: `${group}${i}`, messageGroupId: group });
    }));
    await Promise.race([Promise.all(receivers), new Promise((r) => setTimeout(r, 15_000))]);
    expect(got).toHaveLength(80);
    for (const group of ["w", "x", "y", "z"]) {
      expect(got.filter((body) => body.startsWith(group))).toEqual(Array.from({ length: 20 }, (_, i) => `${group}${i}`));
    }
  });

  it("gives a message back after its visibility timeout when the process that received it dies", async () => {
    const { a, b } = twoProcesses({ q: {} });
    await a.sendMessage("q", { body: "orphan" });
    const [taken] = await a.receiveMessages("q", { visibilityTimeoutSeconds: 1 });
    expect(taken?.Body).toBe("orphan");
    await a.close();
    const started = Date.now();
    const [back] = await b.receiveMessages("q", { waitTimeSeconds: 5 });
    expect(back).toMatchObject({ MessageId: taken?.MessageId, Body: "orphan" });
    expect(back?.Attributes["ApproximateReceiveCount"]).toBe("2");
    expect(Date.now() - started).toBeGreaterThanOrEqual(700);
  });

  it("enqueues one message for duplicates sent at once through two connections", async () => {
    const { a, b } = twoProcesses({ "f.fifo": {} });
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : b).sendMessage("f.fifo", { body: "same", messageGroupId: "g" })));
    expect(new Set(answers.map((x) => x.MessageId)).size).toBe(1);
    expect(new Set(answers.map((x) => x.SequenceNumber)).size).toBe(1);
    expect(await b.getQueueAttributes("f.fifo")).toMatchObject({ ApproximateNumberOfMessages: "1" });
    const received = await a.receiveMessages("f.fifo", { maxMessages: 10 });
    expect(received.map((m) => m.MessageId)).toEqual([answers[0]?.MessageId]);
  });

  it("FIFO: a duplicate sent after the first sender died between claiming the id and making its message visible makes it visible", async () => {
    const { a, bucket } = twoProcesses({ "f.fifo": {} }, true);
    // What a sender leaves when it dies at that point: its message pending, the id claimed for it.
    const raw = new JetStreamAdapterBucket({ servers: nats.url, bucket, connectionName: "test" });
    nats.atEnd(() => raw.close());
    const opened = await raw.open();
    const id = randomUUID();
    const now = 1_700_000_000_000;
    const pending: MessageRecord = { w: "w1", id, body: "x", md5: md5Hex("x"), sentAt: now, visibleAt: now, receiveCount: 0, receipts: [], groupId: "g", dedupId: "d", pending: true };
    const revision = await opened.kv.put(`m.${token("f.fifo")}.${id}`, encodeJson(pending));
    const claim: DedupRecord = { w: "w2", id, sequence: MemoryQueue.sequenceOf(revision), until: now + 300_000 };
    await opened.kv.put(`d.${token("f.fifo")}.${keyToken("d")}`, encodeJson(claim));
    expect(await a.receiveMessages("f.fifo")).toEqual([]);
    const retried = await a.sendMessage("f.fifo", { body: "x", messageGroupId: "g", messageDeduplicationId: "d" });
    expect(retried).toMatchObject({ MessageId: id, SequenceNumber: claim.sequence });
    const [received] = await a.receiveMessages("f.fifo", { maxMessages: 10 });
    expect(received).toMatchObject({ MessageId: id, Body: "x" });
    expect(received?.Attributes["SequenceNumber"]).toBe(claim.sequence);
  });

  it("keeps nothing it no longer needs: no delete markers, no closed deduplication windows, no messages past the retention period", async () => {
    const { a, b, advance, another, bucket } = twoProcesses({ q: {}, "f.fifo": {} }, true);
    await a.sendMessage("q", { body: "old" });
    await a.sendMessage("q", { body: "deleted" });
    const [deleted] = await b.receiveMessages("q", { visibilityTimeoutSeconds: 60 });
    await a.deleteMessage("q", deleted?.ReceiptHandle ?? "");
    const first = await a.sendMessage("f.fifo", { body: "x", messageGroupId: "g" });
    const [x] = await b.receiveMessages("f.fifo");
    await b.deleteMessage("f.fifo", x?.ReceiptHandle ?? "");
    // The deduplication id is new again once its window closes, in the other process too.
    advance(301);
    expect((await b.sendMessage("f.fifo", { body: "x", messageGroupId: "g" })).MessageId).not.toBe(first.MessageId);
    advance(345_601);
    expect(await a.getQueueAttributes("q")).toMatchObject({ ApproximateNumberOfMessages: "0", ApproximateNumberOfMessagesNotVisible: "0" });
    // A process's first receive on a FIFO queue sweeps closed windows (then once a minute).
    expect(await another().receiveMessages("f.fifo")).toEqual([]);
    expect(await storedKeys(bucket)).toEqual([`q.${token("f.fifo")}`, `q.${token("q")}`].sort());
  });

  it("rides out a nats-server restart: a send made while the server is down lands, a receipt handle from before it still deletes", async () => {
    const server = await startNatsServer();
    try {
      const bucket = nats.freshBucket();
      const [a, b] = [storeOn(bucket, { q: {} }, { servers: server.url }), storeOn(bucket, { q: {} }, { servers: server.url })];
      await a.sendMessage("q", { body: "before" });
      const [before] = await b.receiveMessages("q", { visibilityTimeoutSeconds: 60 });
      await server.kill();
      const sending = a.sendMessage("q", { body: "during" });
      await new Promise((r) => setTimeout(r, 300));
      await server.restart();
      await sending;
      await a.deleteMessage("q", before?.ReceiptHandle ?? "");
      expect(bodies(await b.receiveMessages("q", { maxMessages: 10 }))).toEqual(["during"]);
      expect(await a.getQueueAttributes("q")).toMatchObject({ ApproximateNumberOfMessages: "0", ApproximateNumberOfMessagesNotVisible: "1" });
      await Promise.all([a.close(), b.close()]);
    } finally {
      await server.stop();
    }
  });
});

const task = (payload: AdapterTask["payload"]): AdapterTask => ({
  taskId: "t", resource: parseResource("arn:aws:states:::sqs:sendMessage"), payload, stateName: "S", executionArn: "arn", signal: new AbortController().signal, heartbeat: () => undefined,
});

describe("createSqsAdapter in distributed mode", () => {
  it("keeps the config's queues in JetStream KV: what one adapter's Task sends, another's store receives", async () => {
    // The default bucket, as `aslan worker --nats` uses it: this server is the file's own.
    const config = { queues: { orders: {} } };
    const [sender, reader] = [createSqsAdapter(config, { natsServers: nats.url }), createSqsAdapter(config, { natsServers: nats.url })];
    nats.atEnd(async () => await sender?.close());
    nats.atEnd(async () => await reader?.close());
    const store = queueStoreOf(reader);
    expect(store).toBeInstanceOf(JetStreamQueueStore);
    await sender?.run(task({ QueueUrl: "orders", MessageBody: { id: 7 } }));
    expect(bodies((await store?.receiveMessages("orders")) ?? [])).toEqual(['{"id":7}']);
  });
});
