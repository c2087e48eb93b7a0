/**
 * The SQS-like adapter: `arn:aws:states:::sqs:sendMessage` and its `.waitForTaskToken` form
 * (the token travels in the message body, where the definition put `$$.Task.Token`; the Task
 * waits for SendTaskSuccess/Failure).
 * https://docs.aws.amazon.com/step-functions/latest/dg/connect-sqs.html
 */
import { TaskError, type Adapter, type AdapterApi, type AdapterTask } from "../../runtime/ports/adapter.js";
import type { ResourceInfo } from "../../translators/dataflow/resource.js";
import type { Json } from "../../translators/json.js";
import { QueueError, type QueueStore } from "./queue-store.js";
import { sendMessageRequest, sendMessageResult, sqsTaskError } from "./send-message-task.js";
import { handleSqsAction } from "./sqs-api.js";

const ACTIONS = new Set(["sendMessage", "sendMessage.waitForTaskToken"]);

export interface SqsAdapterOptions {
  /** Gets the Task's QueueUrl as written: the store resolves it (a name, a URL, an ARN). */
  readonly queues: QueueStore;
  /** The account in the queue URLs its API hands out. */
  readonly accountId?: string;
}

export class SqsAdapter implements Adapter {
  readonly name = "sqs";
  readonly resources = ["arn:aws:states:::sqs:sendMessage", "arn:aws:states:::sqs:sendMessage.waitForTaskToken"];
  /** Where it sends (shared with SNS subscriptions, workers and `aslan queue`). */
  readonly queues: QueueStore;

  /** The SQS JSON API over these queues, served on `aslan serve`'s port. */
  readonly api: AdapterApi;

  constructor(options: SqsAdapterOptions) {
    this.queues = options.queues;
    const accountId = options.accountId ?? "123456789012";
    this.api = {
      targetPrefix: "AmazonSQS.",
      signingService: "sqs",
      handle: async (action, body, request) => {
        const reply = await handleSqsAction(action, body, this.queues, `${request.baseUrl}/${accountId}`, request.signal);
        return { status: reply.status, body: reply.body, ...(reply.queryError ? { headers: { "x-amzn-query-error": reply.queryError } } : {}) };
      },
    };
  }

  handles(resource: ResourceInfo): boolean {
    return resource.kind === "service" && resource.resourceType === "sqs" && ACTIONS.has(resource.resource);
  }

  async run(task: AdapterTask): Promise<Json> {
    try {
      const { queueUrl, input } = sendMessageRequest(task.payload);
      return sendMessageResult(await this.queues.sendMessage(queueUrl, input));
    } catch (e) {
      throw asTaskError(e);
    }
  }

  /** Ends long polls and closes what the store opened (its files, its client). */
  async close(): Promise<void> {
    await this.queues.close?.();
  }
}

/** Service errors by their SQS code; anything else (a connection that failed) as the SDK's client error. */
function asTaskError(e: unknown): TaskError {
  if (e instanceof TaskError) return e;
  if (e instanceof QueueError) return sqsTaskError(e);
  return new TaskError("SQS.SdkClientException", e instanceof Error ? e.message : String(e));
}
