/**
 * Reading queues from a worker: one queue's receive/delete/changeVisibility, and a loop that
 * hands each message to a handler and deletes it when the handler succeeds (a handler that
 * throws leaves the message to come back after its visibility timeout, as SQS consumers do).
 */
import type { QueueStore, ReceiveOptions, ReceivedMessage } from "./queue-store.js";

export interface QueueConsumer {
  readonly queue: string;
  receive(options?: ReceiveOptions): Promise<ReceivedMessage[]>;
  delete(message: ReceivedMessage | string): Promise<void>;
  changeVisibility(message: ReceivedMessage | string, visibilityTimeoutSeconds: number): Promise<void>;
}

const receiptOf = (m: ReceivedMessage | string): string => (typeof m === "string" ? m : m.ReceiptHandle);

/** A handle on one queue of a store. */
export function queueConsumer(store: QueueStore, queue: string): QueueConsumer {
  return {
    queue,
    receive: (options) => store.receiveMessages(queue, options),
    delete: (m) => store.deleteMessage(queue, receiptOf(m)),
    changeVisibility: (m, seconds) => store.changeMessageVisibility(queue, receiptOf(m), seconds),
  };
}

export interface ConsumeOptions {
  /** Stops the loop (a long poll in progress ends at once). */
  readonly signal: AbortSignal;
  /** Long-poll wait per receive; 20 s unless given. */
  readonly waitTimeSeconds?: number;
  /** Messages per receive; 10 unless given. */
  readonly maxMessages?: number;
  readonly visibilityTimeoutSeconds?: number;
  /** Told about each handler failure (the message is not deleted). */
  readonly onError?: (error: unknown, message: ReceivedMessage) => void;
}

/**
 * Receives until `signal` aborts, calling `handler` for each message in order and deleting it
 * once the handler resolves.
 */
export async function consumeQueue(
  store: QueueStore,
  queue: string,
  handler: (message: ReceivedMessage) => unknown,
  options: ConsumeOptions,
): Promise<void> {
  const consumer = queueConsumer(store, queue);
  while (!options.signal.aborted) {
    const messages = await consumer.receive({
      maxMessages: options.maxMessages ?? 10,
      waitTimeSeconds: options.waitTimeSeconds ?? 20,
      signal: options.signal,
      ...(options.visibilityTimeoutSeconds !== undefined ? { visibilityTimeoutSeconds: options.visibilityTimeoutSeconds } : {}),
    });
    for (const message of messages) {
      try {
        await handler(message);
        await consumer.delete(message);
      } catch (e) {
        options.onError?.(e, message);
      }
    }
  }
}
