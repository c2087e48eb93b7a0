/**
 * SQS-like queues in memory: visibility timeouts with receipt handles, per-message delays,
 * long polling, FIFO ordering per MessageGroupId with a 5-minute deduplication window. Queues
 * are named by name, by URL or by ARN (queue-url.ts). Given a journal (LmdbQueueStore's), a
 * queue starts from what it saved, and each operation writes its changes there before it
 * answers (reads stay in memory).
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-visibility-timeout.html
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/FIFO-queues-exactly-once-processing.html
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { Clock } from "../../runtime/ports/clock.js";
import type { QueueConfig } from "../../runtime/config/project-config.js";
import { md5Hex, md5OfMessageAttributes, sha256Hex } from "./digests.js";
import { checkSendMessage } from "./message-checks.js";
import {
  QueueError, queueDoesNotExist, type QueueStore, type QueueSummary, type ReceiveOptions, type ReceivedMessage,
  type SendMessageInput, type SendMessageOutput,
} from "./queue-store.js";
import { MemoryQueue, type StoredMessage } from "./memory-queue.js";
import type { QueueChange, QueueJournal } from "./queue-journal.js";
import { queueNameOf } from "./queue-url.js";

export interface MemoryQueueStoreOptions {
  readonly queues?: Readonly<Record<string, QueueConfig>>;
  readonly clock?: Clock;
  readonly region?: string;
  readonly accountId?: string;
  /** Where the queues are kept durably; in memory only when absent. */
  readonly journal?: QueueJournal;
}

export const DEFAULT_VISIBILITY_SECONDS = 30;
export const MAX_VISIBILITY_SECONDS = 43_200;
export const MAX_WAIT_SECONDS = 20;
export const DEDUP_WINDOW_MS = 5 * 60_000;
/** SenderId of messages sent locally (an IAM user id's shape). */
const SENDER_ID = "AIDAASLANLOCALSENDER";

export class MemoryQueueStore implements QueueStore {
  private readonly queues = new Map<string, MemoryQueue>();
  private readonly clock: Clock;
  private readonly region: string;
  private readonly accountId: string;
  private readonly journal: QueueJournal | undefined;
  private closed = false;

  constructor(options: MemoryQueueStoreOptions = {}) {
    this.clock = options.clock ?? { now: () => Date.now() };
    this.region = options.region ?? "us-east-1";
    this.accountId = options.accountId ?? "123456789012";
    this.journal = options.journal;
    for (const [name, config] of Object.entries(options.queues ?? {})) this.createQueue(name, config);
  }

  /**
   * Adds a queue (as the config's `queues` do); a queue that exists is left as it is. One the
   * journal saved keeps its messages and creation date, and takes its settings from `config`.
   */
  createQueue(name: string, config: QueueConfig = {}): void {
    if (this.queues.has(name)) return;
    const fifo = config.fifo ?? name.endsWith(".fifo");
    const saved = this.journal?.saved(name);
    const queue = new MemoryQueue(name, fifo, config.visibilityTimeoutSeconds ?? DEFAULT_VISIBILITY_SECONDS, saved?.createdAt ?? this.clock.now());
    if (saved) queue.restore(saved);
    else this.journal?.created(queue);
    this.queues.set(name, queue);
  }

  async listQueues(): Promise<QueueSummary[]> {
    return [...this.queues.values()].map((q) => ({ name: q.name, fifo: q.fifo }));
  }

  async getQueueAttributes(queue: string): Promise<Record<string, string>> {
    const q = this.queue(queue);
    const now = this.clock.now();
    const dropped = q.dropExpired(now);
    if (dropped.length > 0) await this.write(q, { removed: dropped });
    return queueAttributes(q, q.counts(now), this.region, this.accountId);
  }

  async sendMessage(queue: string, input: SendMessageInput): Promise<SendMessageOutput> {
    return this.send(this.queue(queue), input);
  }

  async receiveMessages(queue: string, options: ReceiveOptions = {}): Promise<ReceivedMessage[]> {
    const q = this.queue(queue);
    const { max, visibility, deadline } = receiveLimits(options, q.visibilityTimeoutSeconds);
    for (;;) {
      const got = await this.receiveNow(q, max, visibility);
      const left = deadline - Date.now();
      if (got.length > 0 || left <= 0 || this.closed || options.signal?.aborted) return got;
      const nextVisible = q.nextVisibleAt(this.clock.now());
      const sleep = nextVisible === undefined ? left : Math.min(left, Math.max(1, nextVisible - this.clock.now()));
      await q.waitForChange(sleep, options.signal);
      // Closing ends the poll with nothing (its journal may be gone).
      if (this.closed) return [];
    }
  }

  async deleteMessage(queue: string, receiptHandle: string): Promise<void> {
    const q = this.queue(queue);
    const message = q.byReceipt(receiptHandle);
    if (!message) throw receiptInvalid(receiptHandle);
    q.remove(message);
    await this.write(q, { removed: [message] });
  }

  async changeMessageVisibility(queue: string, receiptHandle: string, visibilityTimeoutSeconds: number): Promise<void> {
    const q = this.queue(queue);
    const seconds = checkRange("VisibilityTimeout", visibilityTimeoutSeconds, 0, MAX_VISIBILITY_SECONDS);
    const message = q.byReceipt(receiptHandle);
    if (!message) throw receiptInvalid(receiptHandle);
    const now = this.clock.now();
    if (message.visibleAt <= now || message.receiveCount === 0) {
      throw new QueueError("MessageNotInflight", "Message does not exist or is not available for visibility timeout change.");
    }
    message.visibleAt = now + seconds * 1000;
    await this.write(q, { saved: [message] });
    if (seconds === 0) q.notify();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const q of this.queues.values()) q.notify();
    await this.journal?.close();
  }

  /** Writes a change to the journal (call it in the same turn as the change: writes land in call order). */
  private async write(q: MemoryQueue, change: QueueChange): Promise<void> {
    await this.journal?.write(q, change);
  }

  /** A queue by name, URL or ARN (see queue-url.ts). */
  private queue(ref: string): MemoryQueue {
    const q = this.queues.get(ref) ?? this.queues.get(queueNameOf(ref) ?? "");
    if (!q) throw queueDoesNotExist();
    return q;
  }

  private async send(q: MemoryQueue, input: SendMessageInput): Promise<SendMessageOutput> {
    checkSendMessage(input, q.fifo);
    const now = this.clock.now();
    const md5 = md5Hex(input.body);
    const attributes = input.messageAttributes && Object.keys(input.messageAttributes).length > 0 ? input.messageAttributes : undefined;
    const md5Attributes = attributes ? md5OfMessageAttributes(attributes) : undefined;
    const dedupId = q.fifo ? (input.messageDeduplicationId ?? sha256Hex(input.body)) : undefined;
    if (dedupId !== undefined) {
      const seen = q.dedupHit(dedupId, now);
      // A duplicate within the window is accepted and answered as the first one, but not enqueued
      // (nor answered before the first one is written).
      if (seen) {
        await this.write(q, {});
        return { ...seen, MD5OfMessageBody: md5, ...(md5Attributes ? { MD5OfMessageAttributes: md5Attributes } : {}) };
      }
    }
    const position = q.nextPosition();
    const message: StoredMessage = {
      id: randomUUID(), body: input.body, md5, sentAt: now, position, visibleAt: now + (input.delaySeconds ?? 0) * 1000, receiveCount: 0, receipts: [],
      ...(attributes ? { attributes, md5Attributes: md5Attributes as string } : {}),
      ...(q.fifo ? { groupId: input.messageGroupId as string, dedupId: dedupId as string, sequence: MemoryQueue.sequenceOf(position) } : {}),
    };
    q.add(message);
    const out: SendMessageOutput = {
      MessageId: message.id, MD5OfMessageBody: md5,
      ...(md5Attributes ? { MD5OfMessageAttributes: md5Attributes } : {}),
      ...(message.sequence ? { SequenceNumber: message.sequence } : {}),
    };
    const dedup = dedupId !== undefined ? { id: dedupId, out, until: now + DEDUP_WINDOW_MS } : undefined;
    if (dedup) q.remember(dedup);
    const written = this.write(q, { saved: [message], ...(dedup ? { dedup } : {}) });
    q.notify();
    await written;
    return out;
  }

  private async receiveNow(q: MemoryQueue, max: number, visibilitySeconds: number): Promise<ReceivedMessage[]> {
    const now = this.clock.now();
    const dropped = q.dropExpired(now);
    const taken = q.takeVisible(now, max);
    const received = taken.map((m) => {
      m.receiveCount += 1;
      m.firstReceivedAt ??= now;
      m.visibleAt = now + visibilitySeconds * 1000;
      const receipt = newReceiptHandle();
      q.addReceipt(m, receipt);
      return toReceived(m, receipt);
    });
    if (taken.length > 0 || dropped.length > 0) await this.write(q, { saved: taken, removed: dropped });
    return received;
  }
}

/** GetQueueAttributes (All) of a queue with these message counts. */
export function queueAttributes(
  q: Pick<MemoryQueue, "name" | "fifo" | "createdAt" | "visibilityTimeoutSeconds"> & { readonly retentionSeconds: number },
  counts: { visible: number; inFlight: number; delayed: number },
  region: string,
  accountId: string,
): Record<string, string> {
  return {
    QueueArn: `arn:aws:sqs:${region}:${accountId}:${q.name}`,
    ApproximateNumberOfMessages: String(counts.visible),
    ApproximateNumberOfMessagesNotVisible: String(counts.inFlight),
    ApproximateNumberOfMessagesDelayed: String(counts.delayed),
    CreatedTimestamp: String(Math.floor(q.createdAt / 1000)),
    LastModifiedTimestamp: String(Math.floor(q.createdAt / 1000)),
    VisibilityTimeout: String(q.visibilityTimeoutSeconds),
    MaximumMessageSize: "262144",
    MessageRetentionPeriod: String(q.retentionSeconds),
    DelaySeconds: "0",
    ReceiveMessageWaitTimeSeconds: "0",
    ...(q.fifo ? { FifoQueue: "true", ContentBasedDeduplication: "true" } : {}),
  };
}

/** A message as ReceiveMessage answers it, with this receipt handle. */
export function toReceived(m: StoredMessage, receipt: string): ReceivedMessage {
  return {
    MessageId: m.id, ReceiptHandle: receipt, MD5OfBody: m.md5, Body: m.body,
    Attributes: {
      SenderId: SENDER_ID,
      SentTimestamp: String(m.sentAt),
      ApproximateReceiveCount: String(m.receiveCount),
      ApproximateFirstReceiveTimestamp: String(m.firstReceivedAt ?? m.sentAt),
      ...(m.groupId !== undefined ? { MessageGroupId: m.groupId, MessageDeduplicationId: m.dedupId ?? "", SequenceNumber: m.sequence ?? "" } : {}),
    },
    ...(m.attributes ? { MessageAttributes: m.attributes, MD5OfMessageAttributes: m.md5Attributes ?? "" } : {}),
  };
}

const newReceiptHandle = (): string => randomBytes(48).toString("base64url");

export const receiptInvalid = (handle: string): QueueError =>
  new QueueError("ReceiptHandleIsInvalid", `The input receipt handle "${handle}" is not a valid receipt handle.`);

/** `value` when it is an integer in [min, max]; InvalidParameterValue naming `field` otherwise. */
/** ReceiveMessage's checked options: how many, how long they stay invisible, and until when (epoch ms) a long poll waits. */
export function receiveLimits(options: ReceiveOptions, queueVisibilitySeconds: number): { max: number; visibility: number; deadline: number } {
  const max = checkRange("MaxNumberOfMessages", options.maxMessages ?? 1, 1, 10);
  const visibility = checkRange("VisibilityTimeout", options.visibilityTimeoutSeconds ?? queueVisibilitySeconds, 0, MAX_VISIBILITY_SECONDS);
  const wait = checkRange("WaitTimeSeconds", options.waitTimeSeconds ?? 0, 0, MAX_WAIT_SECONDS);
  return { max, visibility, deadline: Date.now() + wait * 1000 };
}

export function checkRange(field: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new QueueError("InvalidParameterValue", `Value ${value} for parameter ${field} is invalid. Reason: Must be between ${min} and ${max}, if provided.`);
  }
  return value;
}
