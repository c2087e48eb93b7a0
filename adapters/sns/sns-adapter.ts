/**
 * The SNS-like adapter: `arn:aws:states:::sns:publish` and its `.waitForTaskToken` form (the
 * token travels in the message, where the definition put `$$.Task.Token`) to the config's
 * topics, fanned out to their subscriptions.
 * https://docs.aws.amazon.com/step-functions/latest/dg/connect-sns.html
 * https://docs.aws.amazon.com/sns/latest/dg/fifo-message-dedup.html
 */
import { createHash, randomUUID } from "node:crypto";
import { pino, type Logger } from "pino";
import type { TopicConfig } from "../../runtime/config/project-config.js";
import { TaskError, type Adapter, type AdapterTask } from "../../runtime/ports/adapter.js";
import type { Clock } from "../../runtime/ports/clock.js";
import type { ResourceInfo } from "../../translators/dataflow/resource.js";
import type { Json, JsonObject } from "../../translators/json.js";
import type { QueueStore } from "../sqs/queue-store.js";
import { FanOut } from "./fan-out.js";
import { publishRequest, publishResult, type PublishOutput, type PublishRequest } from "./publish-request.js";
import { invalidParameter, SnsError, snsTaskError, topicNotFound } from "./sns-error.js";
import { Topics, type Place, type Topic } from "./topics.js";

const ACTIONS = new Set(["publish", "publish.waitForTaskToken"]);
const DEDUP_WINDOW_MS = 5 * 60_000;
const SEQUENCE_BASE = 10_000_000_000_000_000_000n;

/** Publishes somewhere else (a real SNS endpoint: `forward.sns`); resolves with the Task's result. */
export interface SnsPublisher {
  publish(request: PublishRequest): Promise<JsonObject>;
  close?(): void;
}

export interface SnsAdapterOptions {
  readonly topics: Readonly<Record<string, TopicConfig>>;
  /** Partition, region and account of the topics' ARNs (aws, us-east-1, 123456789012 unless given). */
  readonly place?: Place;
  readonly clock?: Clock;
  /** Where `sqs` subscriptions deliver: a store, or a look-up made at delivery time. */
  readonly queues?: QueueStore | (() => QueueStore | undefined);
  /** Runs a function for a `lambda` subscription (asynchronous invocation: its result is ignored). */
  readonly invokeFunction?: (name: string, event: JsonObject) => Promise<unknown>;
  readonly log?: Logger;
  readonly httpTimeoutMs?: number;
  /** When set, Publish goes there and the local topics are not used. */
  readonly forward?: SnsPublisher;
}

export class SnsAdapter implements Adapter {
  readonly name = "sns";
  readonly resources = ["arn:aws:states:::sns:publish", "arn:aws:states:::sns:publish.waitForTaskToken"];
  readonly topics: Topics;
  private readonly place: Place;
  private readonly clock: Clock;
  private readonly fanOut: FanOut;
  private readonly forward: SnsPublisher | undefined;
  private readonly dedup = new Map<string, { readonly out: PublishOutput; readonly until: number }>();
  private sequence = 0n;

  constructor(options: SnsAdapterOptions) {
    this.place = options.place ?? { partition: "aws", region: "us-east-1", accountId: "123456789012" };
    this.topics = new Topics(options.topics, this.place);
    this.clock = options.clock ?? { now: () => Date.now() };
    this.forward = options.forward;
    const queues = options.queues;
    this.fanOut = new FanOut({
      queues: typeof queues === "function" ? queues : () => queues,
      log: options.log ?? pino({ level: "silent" }),
      ...(options.invokeFunction ? { invokeFunction: options.invokeFunction } : {}),
      ...(options.httpTimeoutMs !== undefined ? { httpTimeoutMs: options.httpTimeoutMs } : {}),
    });
  }

  handles(resource: ResourceInfo): boolean {
    return resource.kind === "service" && resource.resourceType === "sns" && ACTIONS.has(resource.resource);
  }

  async run(task: AdapterTask): Promise<Json> {
    try {
      const request = publishRequest(task.payload);
      if (this.forward) return await this.forward.publish(request);
      return publishResult(await this.publish(request), randomUUID());
    } catch (e) {
      if (e instanceof TaskError) throw e;
      if (e instanceof SnsError) throw snsTaskError(e);
      throw new TaskError("SNS.SdkClientException", e instanceof Error ? e.message : String(e));
    }
  }

  /** Publishes to a local topic and delivers to its subscriptions. */
  async publish(request: PublishRequest): Promise<PublishOutput> {
    const topic = this.topics.find(request.topicArn);
    if (!topic) throw topicNotFound();
    checkFifoFields(topic, request);
    const now = this.clock.now();
    const dedupKey = topic.fifo ? `${topic.name}\n${request.messageDeduplicationId ?? sha256(request.message)}` : undefined;
    const seen = dedupKey !== undefined ? this.dedup.get(dedupKey) : undefined;
    // A duplicate within the window is accepted and answered as the first one, but not delivered.
    if (seen && seen.until > now) return seen.out;
    const out: PublishOutput = { MessageId: randomUUID(), ...(topic.fifo ? { SequenceNumber: this.nextSequence() } : {}) };
    if (dedupKey !== undefined) this.dedup.set(dedupKey, { out, until: now + DEDUP_WINDOW_MS });
    await this.fanOut.deliver(topic, request, {
      messageId: out.MessageId, topicArn: topic.arn, region: this.place.region, timestamp: new Date(now).toISOString(), message: request.message,
      ...(request.subject !== undefined ? { subject: request.subject } : {}),
      ...(out.SequenceNumber !== undefined ? { sequenceNumber: out.SequenceNumber } : {}),
      ...(request.messageAttributes ? { messageAttributes: request.messageAttributes } : {}),
    });
    return out;
  }

  /** Resolves once every function and HTTP delivery started so far has finished. */
  deliveriesSettled(): Promise<void> {
    return this.fanOut.settled();
  }

  async close(): Promise<void> {
    this.forward?.close?.();
    await this.fanOut.settled();
  }

  private nextSequence(): string {
    this.sequence += 1n;
    return String(SEQUENCE_BASE + this.sequence * 65_536n);
  }
}

function checkFifoFields(topic: Topic, request: PublishRequest): void {
  if (topic.fifo && request.messageGroupId === undefined) throw invalidParameter("The MessageGroupId parameter is required for FIFO topics");
  if (!topic.fifo && request.messageDeduplicationId !== undefined) {
    throw invalidParameter("MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type");
  }
  if (!topic.fifo && request.messageGroupId !== undefined) {
    throw invalidParameter("MessageGroupId Reason: The request includes MessageGroupId parameter that is not valid for this topic type");
  }
}

const sha256 = (text: string): string => createHash("sha256").update(text, "utf8").digest("hex");
