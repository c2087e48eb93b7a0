/**
 * `forward.sns`: Publish through the AWS SDK v3 to a real SNS (or an SNS-compatible endpoint)
 * instead of the local topics; that service then delivers to the subscribers.
 */
import { PublishCommand, SNSClient, SNSServiceException, type MessageAttributeValue } from "@aws-sdk/client-sns";
import { randomUUID } from "node:crypto";
import type { ForwardConfig } from "../../runtime/config/project-config.js";
import type { JsonObject } from "../../translators/json.js";
import { publishResult, type PublishRequest } from "./publish-request.js";
import type { SnsPublisher } from "./sns-adapter.js";
import { SnsError } from "./sns-error.js";

export class SdkSnsPublisher implements SnsPublisher {
  readonly client: SNSClient;

  constructor(forward: ForwardConfig) {
    this.client = new SNSClient({
      region: forward.region ?? "us-east-1",
      ...(forward.endpoint !== undefined ? { endpoint: forward.endpoint } : {}),
      ...(forward.credentials ? { credentials: forward.credentials } : {}),
    });
  }

  async publish(request: PublishRequest): Promise<JsonObject> {
    try {
      const out = await this.client.send(new PublishCommand(publishInput(request)));
      return publishResult(
        { MessageId: out.MessageId ?? "", ...(out.SequenceNumber !== undefined ? { SequenceNumber: out.SequenceNumber } : {}) },
        out.$metadata.requestId ?? randomUUID(),
      );
    } catch (e) {
      if (e instanceof SNSServiceException) throw new SnsError(e.name.replace(/Exception$/, ""), e.message, e.$metadata.httpStatusCode ?? 400);
      throw e;
    }
  }

  close(): void {
    this.client.destroy();
  }
}

/** The Task's Publish request as the SDK's PublishCommand input. */
export function publishInput(request: PublishRequest): ConstructorParameters<typeof PublishCommand>[0] {
  const attributes: Record<string, MessageAttributeValue> = {};
  for (const [name, a] of Object.entries(request.messageAttributes ?? {})) {
    attributes[name] = a.BinaryValue !== undefined
      ? { DataType: a.DataType, BinaryValue: Buffer.from(a.BinaryValue, "base64") }
      : { DataType: a.DataType, StringValue: a.StringValue ?? "" };
  }
  return {
    TopicArn: request.topicArn,
    Message: request.message,
    ...(request.subject !== undefined ? { Subject: request.subject } : {}),
    ...(request.messageStructure !== undefined ? { MessageStructure: request.messageStructure } : {}),
    ...(request.messageAttributes ? { MessageAttributes: attributes } : {}),
    ...(request.messageGroupId !== undefined ? { MessageGroupId: request.messageGroupId } : {}),
    ...(request.messageDeduplicationId !== undefined ? { MessageDeduplicationId: request.messageDeduplicationId } : {}),
  };
}
