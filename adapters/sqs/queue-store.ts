/**
 * The QueueStore port: SQS-like queues that Task states send to, SNS topics fan out to and
 * workers read from. Shapes follow the SQS API (SendMessage, ReceiveMessage, DeleteMessage,
 * ChangeMessageVisibility, GetQueueAttributes) so a forwarding implementation can map them 1:1.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_Operations.html
 */
import { ServiceError } from "../service-error.js";

/** SQS's MessageAttributeValue: DataType `String`, `Number` or `Binary` (optionally `.<custom>`). */
export interface MessageAttributeValue {
  readonly DataType: string;
  readonly StringValue?: string;
  /** Base64, as the JSON protocol carries binary values. */
  readonly BinaryValue?: string;
}

export type MessageAttributes = Readonly<Record<string, MessageAttributeValue>>;

export interface SendMessageInput {
  readonly body: string;
  readonly delaySeconds?: number;
  readonly messageAttributes?: MessageAttributes;
  /** FIFO queues only (required there). */
  readonly messageGroupId?: string;
  /** FIFO queues only; content-based (SHA-256 of the body) when absent. */
  readonly messageDeduplicationId?: string;
}

/** SendMessage's response. */
export interface SendMessageOutput {
  readonly MessageId: string;
  readonly MD5OfMessageBody: string;
  readonly MD5OfMessageAttributes?: string;
  /** FIFO queues only. */
  readonly SequenceNumber?: string;
}

export interface ReceiveOptions {
  /** 1–10, as SQS's MaxNumberOfMessages (1 when absent). */
  readonly maxMessages?: number;
  /** Overrides the queue's visibility timeout for these messages (0–43200). */
  readonly visibilityTimeoutSeconds?: number;
  /** Long polling: wait up to this long (0–20 s) for a message when none is visible. */
  readonly waitTimeSeconds?: number;
  /** Ends a long poll early (it then returns what it has: nothing). */
  readonly signal?: AbortSignal;
}

/** One message of ReceiveMessage's response. */
export interface ReceivedMessage {
  readonly MessageId: string;
  readonly ReceiptHandle: string;
  readonly MD5OfBody: string;
  readonly Body: string;
  /** System attributes: SentTimestamp, ApproximateReceiveCount, ApproximateFirstReceiveTimestamp, SenderId, and for FIFO MessageGroupId, MessageDeduplicationId, SequenceNumber. */
  readonly Attributes: Readonly<Record<string, string>>;
  readonly MessageAttributes?: MessageAttributes;
  readonly MD5OfMessageAttributes?: string;
}

export interface QueueSummary {
  readonly name: string;
  readonly fifo: boolean;
}

/** SQS error codes (the JSON protocol's `__type` without its namespace); a forwarding store may see others. */
export type QueueErrorCode =
  | "QueueDoesNotExist"
  | "MissingParameter"
  | "InvalidParameterValue"
  | "InvalidMessageContents"
  | "ReceiptHandleIsInvalid"
  | "MessageNotInflight"
  | "UnsupportedOperation"
  | (string & {});

/** A failed queue operation, with SQS's error code and message. */
export class QueueError extends ServiceError<QueueErrorCode> {
  override readonly name = "QueueError";
}

/** Every operation names its queue by name or by URL (or ARN): see queue-url.ts. */
export interface QueueStore {
  listQueues(): Promise<QueueSummary[]>;
  /** GetQueueAttributes (All): ApproximateNumberOfMessages, VisibilityTimeout, FifoQueue, QueueArn, … */
  getQueueAttributes(queue: string): Promise<Record<string, string>>;
  sendMessage(queue: string, input: SendMessageInput): Promise<SendMessageOutput>;
  receiveMessages(queue: string, options?: ReceiveOptions): Promise<ReceivedMessage[]>;
  deleteMessage(queue: string, receiptHandle: string): Promise<void>;
  changeMessageVisibility(queue: string, receiptHandle: string, visibilityTimeoutSeconds: number): Promise<void>;
  /** Ends pending long polls. */
  close?(): Promise<void>;
}

/** SQS's answer for an unknown queue (the same for every operation). */
export const queueDoesNotExist = (): QueueError => new QueueError("QueueDoesNotExist", "The specified queue does not exist.");
