/**
 * The QueueStore of distributed mode: the SQS-like queues in one JetStream KV bucket
 * (`aslan_sqs`) that every worker and node shares, one entry per message, so any process
 * sends, receives, deletes and changes visibility on the same queues.
 *
 * | key                     | value                                                   |
 * |-------------------------|---------------------------------------------------------|
 * | q.<queue>               | { createdAt }: written by the first process             |
 * | m.<queue>.<MessageId>   | MessageRecord: the message, its visibility, receipts    |
 * | d.<queue>.<dedupId>     | DedupRecord: a FIFO deduplication id's first answer     |
 *
 * Why compare-and-set per message rather than a stream and a pull consumer: a consumer's
 * ack wait is one per consumer and counts on the server's clock, while SQS takes a
 * visibility timeout per receive and per ChangeMessageVisibility, DelaySeconds per
 * message, FIFO groups that block while one message is in flight, and the contract suite
 * runs on an injected clock. Each of those would be code around the consumer; here they are
 * MemoryQueue's rules over a snapshot (shared-queue-records.ts), and the one thing sharing
 * adds is that a change is a write with compare-and-set on the revision read:
 *
 * - ReceiveMessage reads the queue's messages (jetstream-queue-entries.ts: every message
 *   that exists at one point in time, none missed), picks the visible ones in order and
 *   takes each by rewriting it (receive count, visible-at, a receipt nonce) on the revision
 *   it read. Of two processes taking one message, one wins; the other moves on (on a FIFO
 *   queue it also leaves that message's group alone). A message's position is the revision
 *   of its first write, so one sent after the read comes after every message it saw.
 * - A receipt handle is the MessageId and a nonce the message keeps, valid in every process.
 *   DeleteMessage and ChangeMessageVisibility check it and write on the revision read.
 * - A receiver that dies leaves its messages as they are: they are visible again when their
 *   visibility timeout ends, to whoever receives next.
 * - FIFO: a message is written `pending` (not in the queue), then its deduplication id is
 *   claimed with compare-and-set, then the message is made visible. A send that finds the id
 *   claimed (within the 5 minutes) answers with the first MessageId and makes that message
 *   visible if its sender died before doing so; a sender that lost the claim removes its own
 *   pending message. So concurrent duplicates enqueue one message, and none is lost.
 * - Long polls watch the queue's keys (a KV watch): a message sent, made visible again, or
 *   on a FIFO queue a deleted one (which may free its group), ends the wait in every
 *   process. They also look again every RECHECK_MS, in case the watch lags (a server restart).
 *
 * Every read and write rides out a server restart (jetstream-adapter-bucket.ts); a write
 * whose reply was lost is recognised by the write id `w` it stored. A deleted message leaves
 * no delete marker behind (later reads would go through them all). Each receive reads every
 * message of its queue: about 50 ms with 1,000 messages waiting and 150 ms with 3,000 on a
 * local nats-server, so fine for queues of local size, not for backlogs of millions.
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { QueueConfig } from "../../runtime/config/project-config.js";
import type { Clock } from "../../runtime/ports/clock.js";
import {
  checkSize, decodeJson, encodeJson, entryOf, JetStreamAdapterBucket, keyToken, mapLimit, putIf, revisionOf, token, type KV, type KvEntry, type OpenedBucket,
} from "../jetstream-adapter-bucket.js";
import { md5Hex, md5OfMessageAttributes, sha256Hex } from "./digests.js";
import { currentEntries, removeIf, watchChanges } from "./jetstream-queue-entries.js";
import { MemoryQueue, RETENTION_SECONDS } from "./memory-queue.js";
import {
  checkRange, DEDUP_WINDOW_MS, DEFAULT_VISIBILITY_SECONDS, MAX_VISIBILITY_SECONDS, queueAttributes, receiptInvalid, receiveLimits, toReceived,
} from "./memory-queue-store.js";
import { checkSendMessage } from "./message-checks.js";
import {
  QueueError, queueDoesNotExist, type QueueStore, type QueueSummary, type ReceivedMessage, type ReceiveOptions, type SendMessageInput, type SendMessageOutput,
} from "./queue-store.js";
import { queueNameOf } from "./queue-url.js";
import { QueueWaiters } from "./queue-waiters.js";
import {
  countMessages, holdsReceipt, largestForm, nextVisibleAt, parseReceipt, receiptHandle, receivable, receivedRecord, storedMessage,
  type DedupRecord, type MessageRecord, type SnapshotMessage,
} from "./shared-queue-records.js";

export interface JetStreamQueueStoreOptions {
  /** NATS servers (AdapterHost.natsServers). */
  readonly servers: string;
  /** The queues it serves (the config's; each process takes their settings from its own). */
  readonly queues: Readonly<Record<string, QueueConfig>>;
  /** The KV bucket; `aslan_sqs` unless given (tests use their own). */
  readonly bucket?: string;
  readonly clock?: Clock;
  readonly region?: string;
  readonly accountId?: string;
}

export const QUEUES_BUCKET = "aslan_sqs";

/** How often a long poll looks at its queue even when the watch told it nothing. */
const RECHECK_MS = 2_000;
/** How often a FIFO queue's closed deduplication windows are removed (by each process that receives from it). */
const DEDUP_SWEEP_MS = 60_000;
/** A pending FIFO message older than its deduplication window and this was left by a sender that died; no send can revive it. */
const PENDING_GRACE_MS = 60_000;
const REMOVALS_IN_FLIGHT = 64;

/** One configured queue, as this process serves it. */
interface SharedQueue {
  readonly name: string;
  readonly fifo: boolean;
  readonly visibilityTimeoutSeconds: number;
  readonly retentionSeconds: number;
  /** The queue name as a key token. */
  readonly tok: string;
  createdAt: number;
  readonly waiters: QueueWaiters;
  /** The watch waking long polls, while it runs. */
  watch: Promise<void> | undefined;
  stopWatch: (() => void) | undefined;
  sweptAt: number;
}

const keys = {
  queue: (q: SharedQueue): string => `q.${q.tok}`,
  message: (q: SharedQueue, messageId: string): string => `m.${q.tok}.${messageId}`,
  messages: (q: SharedQueue): string => `m.${q.tok}.*`,
  dedup: (q: SharedQueue, dedupId: string): string => `d.${q.tok}.${keyToken(dedupId)}`,
  dedups: (q: SharedQueue): string => `d.${q.tok}.*`,
};

const writeOf = (e: KvEntry): string | undefined => decodeJson<{ w?: string }>(e).w;
const newNonce = (): string => randomBytes(24).toString("base64url");

export class JetStreamQueueStore implements QueueStore {
  private readonly bucket: JetStreamAdapterBucket;
  private readonly queues = new Map<string, SharedQueue>();
  private readonly clock: Clock;
  private readonly region: string;
  private readonly accountId: string;
  private ready: Promise<OpenedBucket> | undefined;
  private closed = false;

  constructor(options: JetStreamQueueStoreOptions) {
    this.bucket = new JetStreamAdapterBucket({ servers: options.servers, bucket: options.bucket ?? QUEUES_BUCKET, connectionName: "aslan-sqs" });
    this.clock = options.clock ?? { now: () => Date.now() };
    this.region = options.region ?? "us-east-1";
    this.accountId = options.accountId ?? "123456789012";
    for (const [name, config] of Object.entries(options.queues)) {
      this.queues.set(name, {
        name, fifo: config.fifo ?? name.endsWith(".fifo"), visibilityTimeoutSeconds: config.visibilityTimeoutSeconds ?? DEFAULT_VISIBILITY_SECONDS,
        retentionSeconds: RETENTION_SECONDS, tok: token(name), createdAt: 0, waiters: new QueueWaiters(), sweptAt: 0, watch: undefined, stopWatch: undefined,
      });
    }
  }

  async listQueues(): Promise<QueueSummary[]> {
    return [...this.queues.values()].map((q) => ({ name: q.name, fifo: q.fifo }));
  }

  async getQueueAttributes(queue: string): Promise<Record<string, string>> {
    const q = this.queue(queue);
    const { kv } = await this.opened();
    const now = this.clock.now();
    return queueAttributes(q, countMessages(await this.snapshot(kv, q, now), now), this.region, this.accountId);
  }

  async sendMessage(queue: string, input: SendMessageInput): Promise<SendMessageOutput> {
    const q = this.queue(queue);
    checkSendMessage(input, q.fifo);
    const opened = await this.opened();
    const now = this.clock.now();
    const md5 = md5Hex(input.body);
    const attributes = input.messageAttributes && Object.keys(input.messageAttributes).length > 0 ? input.messageAttributes : undefined;
    const md5Attributes = attributes ? md5OfMessageAttributes(attributes) : undefined;
    const record: MessageRecord = {
      w: randomUUID(), id: randomUUID(), body: input.body, md5, sentAt: now, visibleAt: now + (input.delaySeconds ?? 0) * 1000, receiveCount: 0, receipts: [],
      ...(attributes ? { attributes, md5Attributes: md5Attributes as string } : {}),
      ...(q.fifo ? { groupId: input.messageGroupId as string, dedupId: input.messageDeduplicationId ?? sha256Hex(input.body), pending: true } : {}),
    };
    checkSize(opened, encodeJson(largestForm(record)), "The message");
    const sent = q.fifo ? await this.sendFifo(opened.kv, q, record, now) : await this.sendStandard(opened.kv, q, record, now);
    return {
      MessageId: sent.id, MD5OfMessageBody: md5,
      ...(md5Attributes ? { MD5OfMessageAttributes: md5Attributes } : {}),
      ...(sent.sequence !== undefined ? { SequenceNumber: sent.sequence } : {}),
    };
  }

  async receiveMessages(queue: string, options: ReceiveOptions = {}): Promise<ReceivedMessage[]> {
    const q = this.queue(queue);
    const { max, visibility, deadline } = receiveLimits(options, q.visibilityTimeoutSeconds);
    try {
      // Watching before the first look: a message sent after it wakes the poll.
      if (deadline > Date.now()) await this.watching(q);
      for (;;) {
        const seen = q.waiters.changes;
        const { received, next } = await this.receiveNow(q, max, visibility);
        const left = deadline - Date.now();
        if (received.length > 0 || left <= 0 || this.closed || options.signal?.aborted) return received;
        if (q.waiters.changes !== seen) continue;
        const untilVisible = next === undefined ? left : Math.max(1, next - this.clock.now());
        await q.waiters.wait(Math.min(left, untilVisible, RECHECK_MS), options.signal);
        if (this.closed) return [];
      }
    } catch (error) {
      // Closing ends a poll with nothing, as on the other stores.
      if (this.closed) return [];
      throw error;
    }
  }

  async deleteMessage(queue: string, receiptHandle: string): Promise<void> {
    const q = this.queue(queue);
    const { kv } = await this.opened();
    for (;;) {
      const { key, entry } = await this.byReceipt(kv, q, receiptHandle);
      if (await removeIf(kv, key, entry.revision)) return;
    }
  }

  async changeMessageVisibility(queue: string, receiptHandle: string, visibilityTimeoutSeconds: number): Promise<void> {
    const q = this.queue(queue);
    const seconds = checkRange("VisibilityTimeout", visibilityTimeoutSeconds, 0, MAX_VISIBILITY_SECONDS);
    const { kv } = await this.opened();
    for (;;) {
      const { key, entry, record } = await this.byReceipt(kv, q, receiptHandle);
      const now = this.clock.now();
      if (record.visibleAt <= now || record.receiveCount === 0) {
        throw new QueueError("MessageNotInflight", "Message does not exist or is not available for visibility timeout change.");
      }
      const next: MessageRecord = { ...record, w: randomUUID(), position: record.position ?? entry.revision, visibleAt: now + seconds * 1000 };
      if ((await putIf(kv, key, encodeJson(next), entry.revision, (e) => writeOf(e) === next.w)) !== undefined) {
        if (seconds === 0) q.waiters.changed(0);
        return;
      }
    }
  }

  /** Ends pending long polls and closes the connection. */
  async close(): Promise<void> {
    this.closed = true;
    for (const q of this.queues.values()) {
      q.stopWatch?.();
      q.waiters.wakeAll();
    }
    await this.bucket.close();
  }

  /** A queue by name, URL or ARN (see queue-url.ts). */
  private queue(ref: string): SharedQueue {
    const q = this.queues.get(ref) ?? this.queues.get(queueNameOf(ref) ?? "");
    if (!q) throw queueDoesNotExist();
    return q;
  }

  /** The bucket, once every configured queue has its creation date (the first process's). */
  private opened(): Promise<OpenedBucket> {
    this.ready ??= this.bucket.open().then(async (opened) => {
      await Promise.all([...this.queues.values()].map(async (q) => (q.createdAt = await this.createdAt(opened.kv, q))));
      return opened;
    });
    return this.ready;
  }

  private async createdAt(kv: KV, q: SharedQueue): Promise<number> {
    for (;;) {
      const entry = await entryOf(kv, keys.queue(q));
      if (entry?.operation === "PUT") return decodeJson<{ createdAt: number }>(entry).createdAt;
      const mine = { w: randomUUID(), createdAt: this.clock.now() };
      if ((await putIf(kv, keys.queue(q), encodeJson(mine), revisionOf(entry), (e) => writeOf(e) === mine.w)) !== undefined) return mine.createdAt;
    }
  }

  /** Writes a message under a key no one has used (its fresh MessageId); resolves with the revision, its position. */
  private async create(kv: KV, key: string, record: MessageRecord): Promise<number> {
    const revision = await putIf(kv, key, encodeJson(record), 0, (e) => writeOf(e) === record.w);
    if (revision === undefined) throw new Error(`the JetStream KV key ${key} of a new message was taken`);
    return revision;
  }

  private async sendStandard(kv: KV, q: SharedQueue, record: MessageRecord, now: number): Promise<{ id: string; sequence?: undefined }> {
    await this.create(kv, keys.message(q, record.id), record);
    q.waiters.changed(record.visibleAt - now);
    return { id: record.id };
  }

  /**
   * A FIFO send (see the header): the first answer for its deduplication id, or this
   * message's, written pending, claimed, then made visible.
   */
  private async sendFifo(kv: KV, q: SharedQueue, record: MessageRecord, now: number): Promise<{ id: string; sequence: string }> {
    const dedupKey = keys.dedup(q, record.dedupId as string);
    const messageKey = keys.message(q, record.id);
    let written: number | undefined;
    for (;;) {
      const entry = await entryOf(kv, dedupKey);
      const seen = entry?.operation === "PUT" ? decodeJson<DedupRecord>(entry) : undefined;
      if (seen && seen.until > now) {
        // No one else knows this pending message's key: removing it cannot race a receive.
        if (written !== undefined) await removeIf(kv, messageKey, written);
        await this.publish(kv, q, seen);
        return seen;
      }
      written ??= await this.create(kv, messageKey, record);
      const claim: DedupRecord = { w: randomUUID(), id: record.id, sequence: MemoryQueue.sequenceOf(written), until: now + DEDUP_WINDOW_MS };
      if ((await putIf(kv, dedupKey, encodeJson(claim), revisionOf(entry), (e) => writeOf(e) === claim.w)) === undefined) continue;
      await this.publish(kv, q, claim, { record, revision: written });
      return claim;
    }
  }

  /** Makes the message a deduplication record names visible, unless it is already (or was received and deleted). */
  private async publish(kv: KV, q: SharedQueue, dedup: DedupRecord, known?: { record: MessageRecord; revision: number }): Promise<void> {
    const key = keys.message(q, dedup.id);
    let current = known;
    for (;;) {
      if (!current) {
        const entry = await entryOf(kv, key);
        if (entry?.operation !== "PUT") return;
        current = { record: decodeJson<MessageRecord>(entry), revision: entry.revision };
      }
      if (!current.record.pending) return;
      const { pending: _pending, ...rest } = current.record;
      // Never rewritten while pending, so its revision is still that of its first write: its position.
      const next: MessageRecord = { ...rest, w: randomUUID(), position: current.revision, sequence: dedup.sequence };
      if ((await putIf(kv, key, encodeJson(next), current.revision, (e) => writeOf(e) === next.w)) !== undefined) {
        q.waiters.changed(next.visibleAt - this.clock.now());
        return;
      }
      current = undefined;
    }
  }

  /** Takes up to `max` visible messages (see the header); also says when the next invisible one becomes visible. */
  private async receiveNow(q: SharedQueue, max: number, visibilitySeconds: number): Promise<{ received: ReceivedMessage[]; next: number | undefined }> {
    const { kv } = await this.opened();
    const now = this.clock.now();
    await this.sweepDedup(kv, q, now);
    const messages = await this.snapshot(kv, q, now);
    const received: ReceivedMessage[] = [];
    // FIFO groups another process took a message of meanwhile.
    const taken = new Set<string>();
    for (const m of receivable(messages, now, q.fifo)) {
      if (received.length >= max) break;
      const group = m.record.groupId;
      if (group !== undefined && taken.has(group)) continue;
      const got = await this.take(kv, m, now, visibilitySeconds);
      if (got) received.push(got);
      else if (group !== undefined) taken.add(group);
    }
    return { received, next: nextVisibleAt(messages, now) };
  }

  /** Receives one message: rewrites it on the revision read; undefined when another write came first. */
  private async take(kv: KV, m: SnapshotMessage, now: number, visibilitySeconds: number): Promise<ReceivedMessage | undefined> {
    const nonce = newNonce();
    const next = receivedRecord(m, randomUUID(), now, now + visibilitySeconds * 1000, nonce);
    const revision = await putIf(kv, m.key, encodeJson(next), m.revision, (e) => writeOf(e) === next.w);
    return revision === undefined ? undefined : toReceived(storedMessage({ record: next, position: m.position }), receiptHandle(next.id, nonce));
  }

  /** The queue's messages in position order; those past the retention period (and pending ones a dead sender left) are removed. */
  private async snapshot(kv: KV, q: SharedQueue, now: number): Promise<SnapshotMessage[]> {
    const messages: SnapshotMessage[] = [];
    const removals: Promise<boolean>[] = [];
    for (const entry of await currentEntries(kv, keys.messages(q))) {
      if (entry.operation !== "PUT") continue;
      const record = decodeJson<MessageRecord>(entry);
      const abandoned = record.pending === true && record.sentAt < now - DEDUP_WINDOW_MS - PENDING_GRACE_MS;
      if (record.sentAt < now - q.retentionSeconds * 1000 || abandoned) removals.push(removeIf(kv, entry.key, entry.revision));
      else messages.push({ key: entry.key, revision: entry.revision, record, position: record.position ?? entry.revision });
    }
    await Promise.all(removals);
    return messages.sort((a, b) => a.position - b.position);
  }

  /** The message a receipt handle names, as stored now; ReceiptHandleIsInvalid when it is gone or the handle is not one of its own. */
  private async byReceipt(kv: KV, q: SharedQueue, handle: string): Promise<{ key: string; entry: { revision: number }; record: MessageRecord }> {
    const receipt = parseReceipt(handle);
    if (!receipt) throw receiptInvalid(handle);
    const key = keys.message(q, receipt.messageId);
    const entry = await entryOf(kv, key);
    const record = entry?.operation === "PUT" ? decodeJson<MessageRecord>(entry) : undefined;
    if (!entry || !record || record.pending || !holdsReceipt(record, receipt.nonce)) throw receiptInvalid(handle);
    return { key, entry, record };
  }

  /** Removes a FIFO queue's closed deduplication windows, at most once a DEDUP_SWEEP_MS per process. */
  private async sweepDedup(kv: KV, q: SharedQueue, now: number): Promise<void> {
    if (!q.fifo || Date.now() < q.sweptAt + DEDUP_SWEEP_MS) return;
    q.sweptAt = Date.now();
    const closed = (await currentEntries(kv, keys.dedups(q))).filter((e) => e.operation === "PUT" && decodeJson<DedupRecord>(e).until <= now);
    await mapLimit(closed, REMOVALS_IN_FLIGHT, (e) => removeIf(kv, e.key, e.revision));
  }

  /** Starts the watch that wakes this queue's long polls, unless it runs; a watch that fails to start leaves them to RECHECK_MS. */
  private async watching(q: SharedQueue): Promise<void> {
    q.watch ??= this.watch(q).catch(() => {
      q.watch = undefined;
    });
    await q.watch;
  }

  private async watch(q: SharedQueue): Promise<void> {
    const { kv } = await this.opened();
    const stop = await watchChanges(kv, keys.messages(q), (entry) => this.changed(q, entry), () => {
      q.watch = undefined;
      q.stopWatch = undefined;
    });
    if (this.closed) stop();
    else q.stopWatch = stop;
  }

  /** What a change another process (or this one) made means to long polls. */
  private changed(q: SharedQueue, entry: KvEntry): void {
    if (entry.operation !== "PUT") {
      // A deleted FIFO message may free its group.
      if (q.fifo) q.waiters.changed(0);
      return;
    }
    const record = decodeJson<MessageRecord>(entry);
    if (!record.pending) q.waiters.changed(record.visibleAt - this.clock.now());
  }
}
