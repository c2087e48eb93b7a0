/**
 * `arn:aws:states:::sqs:sendMessage[.waitForTaskToken]`: the Task's parameters as SendMessage's
 * request, its result as Step Functions returns it, and SQS errors as the optimized integration
 * names them (`SQS.<Exception>`, Java SDK style, the generic one `SQS.AmazonSQSException`).
 * https://docs.aws.amazon.com/step-functions/latest/dg/connect-sqs.html
 */
import { randomUUID } from "node:crypto";
import { TaskError } from "../../runtime/ports/adapter.js";
import { isObject, type Json, type JsonObject } from "../../translators/json.js";
import { QueueError, type MessageAttributeValue, type MessageAttributes, type QueueErrorCode, type SendMessageInput, type SendMessageOutput } from "./queue-store.js";
import { sdkMetadata } from "./sdk-metadata.js";

export interface SendMessageRequest {
  readonly queueUrl: string;
  readonly input: SendMessageInput;
}

/** Reads SendMessage's fields (QueueUrl, MessageBody, MessageAttributes, DelaySeconds, MessageGroupId, MessageDeduplicationId). */
export function sendMessageRequest(payload: Json): SendMessageRequest {
  const p: JsonObject = isObject(payload) ? payload : {};
  const queueUrl = p["QueueUrl"];
  if (typeof queueUrl !== "string" || queueUrl === "") throw missing("QueueUrl");
  if (!("MessageBody" in p)) throw missing("MessageBody");
  const input: SendMessageInput = {
    body: messageText(p["MessageBody"] as Json),
    ...optionalInteger(p, "DelaySeconds", "delaySeconds"),
    ...optionalString(p, "MessageGroupId", "messageGroupId"),
    ...optionalString(p, "MessageDeduplicationId", "messageDeduplicationId"),
    ...(p["MessageAttributes"] !== undefined ? { messageAttributes: messageAttributes(p["MessageAttributes"]) } : {}),
  };
  return { queueUrl, input };
}

/** A JSON value as the optimized integrations send it: strings as they are, anything else as compact JSON. */
export const messageText = (value: Json): string => (typeof value === "string" ? value : JSON.stringify(value));

/** MessageAttributes as SQS (and SNS) take them: `{name: {DataType, StringValue | BinaryValue}}`. */
export function messageAttributes(value: Json | undefined): MessageAttributes {
  if (!isObject(value)) throw new QueueError("InvalidParameterValue", "MessageAttributes must be an object of {DataType, StringValue | BinaryValue}.");
  const out: Record<string, MessageAttributeValue> = {};
  for (const [name, v] of Object.entries(value)) {
    const a: JsonObject = isObject(v) ? v : {};
    const text = (key: string): string | undefined => (typeof a[key] === "string" ? (a[key] as string) : typeof a[key] === "number" ? String(a[key]) : undefined);
    const dataType = text("DataType") ?? "";
    const stringValue = text("StringValue");
    const binaryValue = text("BinaryValue");
    out[name] = { DataType: dataType, ...(stringValue !== undefined ? { StringValue: stringValue } : {}), ...(binaryValue !== undefined ? { BinaryValue: binaryValue } : {}) };
  }
  return out;
}

/** SendMessage's response plus the SDK metadata Step Functions adds. */
export function sendMessageResult(out: SendMessageOutput): JsonObject {
  const body: JsonObject = {
    ...(out.MD5OfMessageAttributes !== undefined ? { MD5OfMessageAttributes: out.MD5OfMessageAttributes } : {}),
    MD5OfMessageBody: out.MD5OfMessageBody,
    MessageId: out.MessageId,
    ...(out.SequenceNumber !== undefined ? { SequenceNumber: out.SequenceNumber } : {}),
  };
  const length = Buffer.byteLength(JSON.stringify(body));
  return { ...body, ...sdkMetadata({ contentType: "application/x-amz-json-1.0", contentLength: length, keepAlive: true }) };
}

/** The error codes the Java SDK has an exception class for; others surface as AmazonSQSException. */
const MODELED: Partial<Record<QueueErrorCode, string>> = {
  QueueDoesNotExist: "QueueDoesNotExistException",
  InvalidMessageContents: "InvalidMessageContentsException",
  UnsupportedOperation: "UnsupportedOperationException",
  ReceiptHandleIsInvalid: "ReceiptHandleIsInvalidException",
  MessageNotInflight: "MessageNotInflightException",
};

/** The query-protocol error codes SQS reports (its JSON protocol's `x-amzn-query-error`). */
const QUERY_CODE: Partial<Record<QueueErrorCode, string>> = {
  QueueDoesNotExist: "AWS.SimpleQueueService.NonExistentQueue",
  UnsupportedOperation: "AWS.SimpleQueueService.UnsupportedOperation",
};

/** A queue error as the Task's error and cause (`… (Service: AmazonSQS; Status Code: 400; …)`). */
export function sqsTaskError(e: QueueError): TaskError {
  const name = `SQS.${MODELED[e.code] ?? "AmazonSQSException"}`;
  const code = QUERY_CODE[e.code] ?? e.code;
  return new TaskError(name, `${e.message} (Service: AmazonSQS; Status Code: ${e.statusCode}; Error Code: ${code}; Request ID: ${randomUUID()}; Proxy: null)`);
}

const missing = (field: string): QueueError => new QueueError("MissingParameter", `The request must contain the parameter ${field}.`);

function optionalString<K extends string>(p: JsonObject, field: string, key: K): Partial<Record<K, string>> {
  const v = p[field];
  if (v === undefined || v === null) return {};
  if (typeof v !== "string") throw new QueueError("InvalidParameterValue", `Value ${JSON.stringify(v)} for parameter ${field} is invalid. Reason: must be a string.`);
  return { [key]: v } as Partial<Record<K, string>>;
}

function optionalInteger<K extends string>(p: JsonObject, field: string, key: K): Partial<Record<K, number>> {
  const v = p[field];
  if (v === undefined || v === null) return {};
  const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
  if (typeof n !== "number" || !Number.isInteger(n)) {
    throw new QueueError("InvalidParameterValue", `Value ${JSON.stringify(v)} for parameter ${field} is invalid. Reason: must be an integer.`);
  }
  return { [key]: n } as Partial<Record<K, number>>;
}
