/**
 * Delivers a published message to a topic's subscriptions. As on AWS, a delivery that fails
 * does not fail the Publish: it is logged. Queue deliveries finish before Publish answers
 * (they are local and quick); function and HTTP deliveries run on after it.
 * https://docs.aws.amazon.com/sns/latest/dg/sns-message-delivery-retries.html
 */
import type { Logger } from "pino";
import { lambdaFunctionName } from "../../runtime/bus/task-functions.js";
import type { JsonObject } from "../../translators/json.js";
import type { MessageAttributes, QueueStore } from "../sqs/queue-store.js";
import { httpHeaders, lambdaEvent, notificationText, type Notification } from "./notification.js";
import { messageFor, type PublishRequest, type SnsAttribute } from "./publish-request.js";
import type { Subscription, Topic } from "./topics.js";

export interface FanOutTargets {
  /** Where `sqs` subscriptions deliver (looked up at delivery time). */
  readonly queues?: () => QueueStore | undefined;
  /** Runs a Lambda-like function with an event (asynchronous invocation: the result is ignored). */
  readonly invokeFunction?: (name: string, event: JsonObject) => Promise<unknown>;
  readonly log: Logger;
  /** How long an HTTP/S endpoint has to answer (SNS waits 15 s). */
  readonly httpTimeoutMs?: number;
}

const HTTP_TIMEOUT_MS = 15_000;

export class FanOut {
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly targets: FanOutTargets) {}

  /** Delivers to every subscription; resolves when the queue deliveries are done. */
  async deliver(topic: Topic, request: PublishRequest, n: Notification): Promise<void> {
    const queued: Promise<void>[] = [];
    for (const sub of topic.subscriptions) {
      const delivery = this.deliverOne(topic, sub, request, { ...n, message: messageFor(request, sub.protocol) }).catch((err: unknown) =>
        this.targets.log.warn({ err, topicArn: topic.arn, subscriptionArn: sub.arn, protocol: sub.protocol, endpoint: sub.endpoint, messageId: n.messageId },
          `SNS delivery to ${sub.protocol}:${sub.endpoint} failed`),
      );
      if (sub.protocol === "sqs") queued.push(delivery);
      else this.track(delivery);
    }
    await Promise.all(queued);
  }

  /** Resolves once every delivery started so far has finished (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  private track(p: Promise<void>): void {
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  private async deliverOne(topic: Topic, sub: Subscription, request: PublishRequest, n: Notification): Promise<void> {
    switch (sub.protocol) {
      case "sqs":
        return this.toQueue(topic, sub, request, n);
      case "lambda":
        return this.toFunction(sub, n);
      case "http":
      case "https":
        return this.toHttp(sub, n);
    }
  }

  private async toQueue(topic: Topic, sub: Subscription, request: PublishRequest, n: Notification): Promise<void> {
    const queues = this.targets.queues?.();
    if (!queues) throw new Error("no queues are configured");
    const attributes = sub.rawMessageDelivery && n.messageAttributes ? sqsAttributes(n.messageAttributes) : undefined;
    await queues.sendMessage(sub.endpoint, {
      body: sub.rawMessageDelivery ? n.message : notificationText(n, sub.arn),
      ...(attributes ? { messageAttributes: attributes } : {}),
      ...(topic.fifo && request.messageGroupId !== undefined ? { messageGroupId: request.messageGroupId } : {}),
      ...(topic.fifo ? { messageDeduplicationId: request.messageDeduplicationId ?? n.messageId } : {}),
    });
  }

  private async toFunction(sub: Subscription, n: Notification): Promise<void> {
    const invoke = this.targets.invokeFunction;
    if (!invoke) throw new Error("no functions are configured");
    await invoke(lambdaFunctionName(sub.endpoint), lambdaEvent(n, sub.arn));
  }

  private async toHttp(sub: Subscription, n: Notification): Promise<void> {
    const res = await fetch(sub.endpoint, {
      method: "POST",
      headers: httpHeaders(n, sub.arn, sub.rawMessageDelivery),
      body: sub.rawMessageDelivery ? n.message : notificationText(n, sub.arn),
      signal: AbortSignal.timeout(this.targets.httpTimeoutMs ?? HTTP_TIMEOUT_MS),
    });
    await res.arrayBuffer();
    if (res.status < 200 || res.status > 299) throw new Error(`the endpoint answered ${res.status} ${res.statusText}`);
  }
}

/** Raw delivery to SQS carries the SNS message attributes as SQS message attributes. */
function sqsAttributes(attributes: Readonly<Record<string, SnsAttribute>>): MessageAttributes {
  const out: Record<string, { DataType: string; StringValue?: string; BinaryValue?: string }> = {};
  for (const [name, a] of Object.entries(attributes)) {
    out[name] = a.BinaryValue !== undefined ? { DataType: a.DataType, BinaryValue: a.BinaryValue } : { DataType: a.DataType, StringValue: a.StringValue ?? "" };
  }
  return out;
}
