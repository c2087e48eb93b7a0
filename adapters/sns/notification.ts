/**
 * What subscribers get, in AWS's shapes:
 * - SQS and HTTP/S: the JSON notification document (Type, MessageId, TopicArn, Subject, Message,
 *   Timestamp, SignatureVersion, Signature, SigningCertURL, UnsubscribeURL, MessageAttributes),
 *   or with raw message delivery the bare message;
 *   https://docs.aws.amazon.com/sns/latest/dg/sns-message-and-json-formats.html#http-notification-json
 * - Lambda: `{Records: [{EventSource: "aws:sns", EventVersion, EventSubscriptionArn, Sns: {…}}]}`.
 *   https://docs.aws.amazon.com/lambda/latest/dg/with-sns.html
 * Signatures cannot be made with AWS's key: Signature is a digest of the document, not
 * verifiable with AWS's certificate.
 */
import { createHash } from "node:crypto";
import type { JsonObject } from "../../translators/json.js";
import type { SnsAttribute } from "./publish-request.js";

export interface Notification {
  readonly messageId: string;
  readonly topicArn: string;
  readonly region: string;
  /** ISO 8601 with milliseconds, UTC. */
  readonly timestamp: string;
  readonly message: string;
  readonly subject?: string;
  readonly sequenceNumber?: string;
  readonly messageAttributes?: Readonly<Record<string, SnsAttribute>>;
}

/** The attributes as the notification document carries them: `{Type, Value}`. */
function documentAttributes(attributes: Readonly<Record<string, SnsAttribute>>): JsonObject {
  const out: JsonObject = {};
  for (const [name, a] of Object.entries(attributes)) out[name] = { Type: a.DataType, Value: a.BinaryValue ?? a.StringValue ?? "" };
  return out;
}

const signingCertUrl = (region: string): string => `https://sns.${region}.amazonaws.com/SimpleNotificationService-aslan-local.pem`;
const unsubscribeUrl = (region: string, subscriptionArn: string): string =>
  `https://sns.${region}.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${subscriptionArn}`;
const signature = (n: Notification): string =>
  createHash("sha256").update(`${n.messageId}\n${n.topicArn}\n${n.timestamp}\n${n.message}`).digest("base64");

/** The notification document's fields, in AWS's order. */
export function notificationDocument(n: Notification, subscriptionArn: string): JsonObject {
  return {
    Type: "Notification",
    MessageId: n.messageId,
    ...(n.sequenceNumber !== undefined ? { SequenceNumber: n.sequenceNumber } : {}),
    TopicArn: n.topicArn,
    ...(n.subject !== undefined ? { Subject: n.subject } : {}),
    Message: n.message,
    Timestamp: n.timestamp,
    SignatureVersion: "1",
    Signature: signature(n),
    SigningCertURL: signingCertUrl(n.region),
    UnsubscribeURL: unsubscribeUrl(n.region, subscriptionArn),
    ...(n.messageAttributes && Object.keys(n.messageAttributes).length > 0 ? { MessageAttributes: documentAttributes(n.messageAttributes) } : {}),
  };
}

/** The document as SNS writes it: one `"Key" : value` per line. */
export function notificationText(n: Notification, subscriptionArn: string): string {
  const lines = Object.entries(notificationDocument(n, subscriptionArn)).map(([key, value]) => {
    if (key !== "MessageAttributes") return `  ${JSON.stringify(key)} : ${JSON.stringify(value)}`;
    const inner = Object.entries(value as JsonObject).map(([k, v]) => `    ${JSON.stringify(k)} : ${JSON.stringify(v)}`);
    return `  "MessageAttributes" : {\n${inner.join(",\n")}\n  }`;
  });
  return `{\n${lines.join(",\n")}\n}`;
}

/** The event a Lambda subscriber is invoked with. */
export function lambdaEvent(n: Notification, subscriptionArn: string): JsonObject {
  return {
    Records: [
      {
        EventSource: "aws:sns",
        EventVersion: "1.0",
        EventSubscriptionArn: subscriptionArn,
        Sns: {
          Type: "Notification",
          MessageId: n.messageId,
          ...(n.sequenceNumber !== undefined ? { SequenceNumber: n.sequenceNumber } : {}),
          TopicArn: n.topicArn,
          Subject: n.subject ?? null,
          Message: n.message,
          Timestamp: n.timestamp,
          SignatureVersion: "1",
          Signature: signature(n),
          SigningCertUrl: signingCertUrl(n.region),
          UnsubscribeUrl: unsubscribeUrl(n.region, subscriptionArn),
          MessageAttributes: documentAttributes(n.messageAttributes ?? {}),
        },
      },
    ],
  };
}

/** The headers SNS sends with an HTTP/S notification. */
export function httpHeaders(n: Notification, subscriptionArn: string, raw: boolean): Record<string, string> {
  return {
    "Content-Type": "text/plain; charset=UTF-8",
    "User-Agent": "Amazon Simple Notification Service Agent",
    "x-amz-sns-message-type": "Notification",
    "x-amz-sns-message-id": n.messageId,
    "x-amz-sns-topic-arn": n.topicArn,
    "x-amz-sns-subscription-arn": subscriptionArn,
    ...(raw ? { "x-amz-sns-rawdelivery": "true" } : {}),
  };
}
