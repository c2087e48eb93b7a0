/**
 * A QueueStore on a real SQS (or any SQS-compatible endpoint, `aslan serve` included) through
 * the AWS SDK v3: `forward.sqs`, and `aslan queue` against a remote endpoint. Queues are named
 * by URL (used as given) or by name (looked up with GetQueueUrl).
 */
import {
  ChangeMessageVisibilityCommand, DeleteMessageCommand, GetQueueAttributesCommand, GetQueueUrlCommand, ListQueuesCommand,
  ReceiveMessageCommand, SendMessageCommand, SQSClient, SQSServiceException, type MessageAttributeValue as SdkAttribute,
} from "@aws-sdk/client-sqs";
import type { ForwardConfig } from "../../runtime/config/project-config.js";
import {
  QueueError, type MessageAttributes, type MessageAttributeValue, type QueueStore, type QueueSummary, type ReceiveOptions,
  type ReceivedMessage, type SendMessageInput, type SendMessageOutput,
} from "./queue-store.js";
import { queueNameOf } from "./queue-url.js";

export class SdkQueueStore implements QueueStore {
  readonly client: SQSClient;
  private readonly urls = new Map<string, string>();

  constructor(forward: ForwardConfig) {
    this.client = new SQSClient({
      region: forward.region ?? "us-east-1",
      ...(forward.endpoint !== undefined ? { endpoint: forward.endpoint } : {}),
      ...(forward.credentials ? { credentials: forward.credentials } : {}),
    });
  }

  async listQueues(): Promise<QueueSummary[]> {
    const out = await this.call(() => this.client.send(new ListQueuesCommand({})));
    return (out.QueueUrls ?? []).map((url) => {
      const name = queueNameOf(url) ?? url;
      return { name, fifo: name.endsWith(".fifo") };
    });
  }

  async getQueueAttributes(queue: string): Promise<Record<string, string>> {
    const QueueUrl = await this.url(queue);
    const out = await this.call(() => this.client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["All"] })));
    return { ...(out.Attributes ?? {}) };
  }

  async sendMessage(queue: string, input: SendMessageInput): Promise<SendMessageOutput> {
    const QueueUrl = await this.url(queue);
    const out = await this.call(() =>
      this.client.send(new SendMessageCommand({
        QueueUrl, MessageBody: input.body,
        ...(input.delaySeconds !== undefined ? { DelaySeconds: input.delaySeconds } : {}),
        ...(input.messageGroupId !== undefined ? { MessageGroupId: input.messageGroupId } : {}),
        ...(input.messageDeduplicationId !== undefined ? { MessageDeduplicationId: input.messageDeduplicationId } : {}),
        ...(input.messageAttributes ? { MessageAttributes: toSdkAttributes(input.messageAttributes) } : {}),
      })),
    );
    return {
      MessageId: out.MessageId ?? "", MD5OfMessageBody: out.MD5OfMessageBody ?? "",
      ...(out.MD5OfMessageAttributes !== undefined ? { MD5OfMessageAttributes: out.MD5OfMessageAttributes } : {}),
      ...(out.SequenceNumber !== undefined ? { SequenceNumber: out.SequenceNumber } : {}),
    };
  }

  async receiveMessages(queue: string, options: ReceiveOptions = {}): Promise<ReceivedMessage[]> {
    const QueueUrl = await this.url(queue);
    const command = new ReceiveMessageCommand({
      QueueUrl, MaxNumberOfMessages: options.maxMessages ?? 1, WaitTimeSeconds: options.waitTimeSeconds ?? 0,
      MessageSystemAttributeNames: ["All"], MessageAttributeNames: ["All"],
      ...(options.visibilityTimeoutSeconds !== undefined ? { VisibilityTimeout: options.visibilityTimeoutSeconds } : {}),
    });
    const out = await this.call(() => this.client.send(command, options.signal ? { abortSignal: options.signal } : {}));
    return (out.Messages ?? []).map((m) => ({
      MessageId: m.MessageId ?? "", ReceiptHandle: m.ReceiptHandle ?? "", MD5OfBody: m.MD5OfBody ?? "", Body: m.Body ?? "",
      Attributes: { ...(m.Attributes ?? {}) },
      ...(m.MessageAttributes ? { MessageAttributes: fromSdkAttributes(m.MessageAttributes) } : {}),
      ...(m.MD5OfMessageAttributes !== undefined ? { MD5OfMessageAttributes: m.MD5OfMessageAttributes } : {}),
    }));
  }

  async deleteMessage(queue: string, receiptHandle: string): Promise<void> {
    const QueueUrl = await this.url(queue);
    await this.call(() => this.client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: receiptHandle })));
  }

  async changeMessageVisibility(queue: string, receiptHandle: string, visibilityTimeoutSeconds: number): Promise<void> {
    const QueueUrl = await this.url(queue);
    await this.call(() => this.client.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: receiptHandle, VisibilityTimeout: visibilityTimeoutSeconds })));
  }

  async close(): Promise<void> {
    this.client.destroy();
  }

  /** A URL as given; a name (or ARN) through GetQueueUrl, remembered. */
  private async url(queue: string): Promise<string> {
    if (/^https?:\/\//.test(queue)) return queue;
    const name = queueNameOf(queue) ?? queue;
    const known = this.urls.get(name);
    if (known) return known;
    const out = await this.call(() => this.client.send(new GetQueueUrlCommand({ QueueName: name })));
    const url = out.QueueUrl ?? "";
    this.urls.set(name, url);
    return url;
  }

  /** Service errors as QueueErrors with SQS's code; connection failures pass through. */
  private async call<T>(send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (e) {
      if (e instanceof SQSServiceException) throw new QueueError(errorCode(e), e.message, e.$metadata.httpStatusCode ?? 400);
      throw e;
    }
  }
}

/** The SDK names some errors after the JSON protocol's type, some after the query protocol's code. */
function errorCode(e: SQSServiceException): string {
  const byQueryCode: Record<string, string> = { "AWS.SimpleQueueService.NonExistentQueue": "QueueDoesNotExist" };
  return byQueryCode[e.name] ?? e.name.replace(/Exception$/, "");
}

function toSdkAttributes(attributes: MessageAttributes): Record<string, SdkAttribute> {
  const out: Record<string, SdkAttribute> = {};
  for (const [name, a] of Object.entries(attributes)) {
    out[name] = a.BinaryValue !== undefined
      ? { DataType: a.DataType, BinaryValue: Buffer.from(a.BinaryValue, "base64") }
      : { DataType: a.DataType, StringValue: a.StringValue ?? "" };
  }
  return out;
}

function fromSdkAttributes(attributes: Record<string, SdkAttribute>): MessageAttributes {
  const out: Record<string, MessageAttributeValue> = {};
  for (const [name, a] of Object.entries(attributes)) {
    out[name] = a.BinaryValue !== undefined
      ? { DataType: a.DataType ?? "Binary", BinaryValue: Buffer.from(a.BinaryValue).toString("base64") }
      : { DataType: a.DataType ?? "String", StringValue: a.StringValue ?? "" };
  }
  return out;
}
