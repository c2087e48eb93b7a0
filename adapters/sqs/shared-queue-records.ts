/**
 * A queue kept as one record per message in a store that several processes share
 * (JetStreamQueueStore): the records, their receipt handles, and the pure parts of
 * ReceiveMessage and GetQueueAttributes over a snapshot of them. The semantics are
 * MemoryQueue's: visible once `visibleAt` has passed, oldest first, and on a FIFO queue a
 * group with a message in flight is skipped whole.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-visibility-timeout.html
 */
import type { StoredMessage } from "./memory-queue.js";

/** A message as stored. */
export interface MessageRecord extends Omit<StoredMessage, "position" | "receipts"> {
  /** Names the write that stored this value (a write whose reply was lost is recognised by it). */
  readonly w: string;
  /** Its place in the queue; absent until the record is first rewritten (it is then the revision of its first write). */
  readonly position?: number;
  /** The nonces of its latest receipt handles (any of them deletes it, as on SQS). */
  readonly receipts: readonly string[];
  /** A FIFO message whose deduplication id is not claimed yet: not in the queue. */
  readonly pending?: boolean;
}

/** A FIFO queue's answer to a deduplication id while the window is open. */
export interface DedupRecord {
  readonly w: string;
  /** The MessageId (and key) of the message sent first. */
  readonly id: string;
  readonly sequence: string;
  /** Epoch milliseconds. */
  readonly until: number;
}

/** A message of a snapshot: its record, where it is kept, the revision read and its position. */
export interface SnapshotMessage {
  readonly key: string;
  readonly revision: number;
  readonly record: MessageRecord;
  readonly position: number;
}

/** Receipt handles kept per message: SQS asks for the latest one, older ones may not work. */
const RECEIPTS_KEPT = 16;
const RECEIPT = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([A-Za-z0-9_-]{32})$/;

/** A receipt handle: the message's id (its key) and a nonce the message keeps. */
export const receiptHandle = (messageId: string, nonce: string): string => `${messageId}.${nonce}`;

export function parseReceipt(handle: string): { messageId: string; nonce: string } | undefined {
  const match = RECEIPT.exec(handle);
  return match ? { messageId: match[1] as string, nonce: match[2] as string } : undefined;
}

export const holdsReceipt = (record: MessageRecord, nonce: string): boolean => record.receipts.includes(nonce);

/** The record after a receive that hands out `nonce`, invisible until `visibleAt`. */
export function receivedRecord(m: SnapshotMessage, w: string, now: number, visibleAt: number, nonce: string): MessageRecord {
  const r = m.record;
  return {
    ...r, w, position: m.position, visibleAt, receiveCount: r.receiveCount + 1, firstReceivedAt: r.firstReceivedAt ?? now,
    receipts: [...r.receipts, nonce].slice(-RECEIPTS_KEPT),
  };
}

/** The message as MemoryQueueStore's helpers take it. */
export const storedMessage = (m: SnapshotMessage | { record: MessageRecord; position: number }): StoredMessage => ({ ...m.record, position: m.position, receipts: [...m.record.receipts] });

export const inFlight = (r: MessageRecord, now: number): boolean => r.receiveCount > 0 && r.visibleAt > now;

/**
 * The messages a receive may take, oldest first: visible, in the queue, and on a FIFO queue
 * not in a group with a message in flight. The caller also skips the rest of a group once
 * it fails to take one of its messages (another process took it).
 */
export function receivable(messages: readonly SnapshotMessage[], now: number, fifo: boolean): SnapshotMessage[] {
  const blocked = new Set<string>();
  if (fifo) for (const m of messages) if (inFlight(m.record, now) && m.record.groupId !== undefined) blocked.add(m.record.groupId);
  return messages.filter((m) => !m.record.pending && m.record.visibleAt <= now && !(m.record.groupId !== undefined && blocked.has(m.record.groupId)));
}

export function countMessages(messages: readonly SnapshotMessage[], now: number): { visible: number; inFlight: number; delayed: number } {
  const counts = { visible: 0, inFlight: 0, delayed: 0 };
  for (const { record } of messages) {
    if (record.pending) continue;
    if (record.visibleAt <= now) counts.visible += 1;
    else if (record.receiveCount > 0) counts.inFlight += 1;
    else counts.delayed += 1;
  }
  return counts;
}

/** When the next message that is not visible now becomes visible. */
export function nextVisibleAt(messages: readonly SnapshotMessage[], now: number): number | undefined {
  let next: number | undefined;
  for (const { record } of messages) if (!record.pending && record.visibleAt > now && (next === undefined || record.visibleAt < next)) next = record.visibleAt;
  return next;
}

/** The record grown as large as receives make it: what a size check before sending must allow for. */
export const largestForm = (r: MessageRecord): MessageRecord => ({
  ...r, position: Number.MAX_SAFE_INTEGER, firstReceivedAt: r.sentAt, receiveCount: Number.MAX_SAFE_INTEGER, sequence: "0".repeat(20),
  receipts: Array.from({ length: RECEIPTS_KEPT }, () => "x".repeat(32)),
});
