/**
 * `arn:aws:states:::sns:publish[.waitForTaskToken]`: the Task's parameters as Publish's request
 * (a non-string Message is sent as compact JSON, as the optimized integration does) and the
 * result Step Functions returns.
 * https://docs.aws.amazon.com/step-functions/latest/dg/connect-sns.html
 * https://docs.aws.amazon.com/sns/latest/api/API_Publish.html
 */
import { isObject, type Json, type JsonObject } from "../../translators/json.js";
import { messageText } from "../sqs/send-message-task.js";
import { sdkMetadata } from "../sqs/sdk-metadata.js";
import { invalidParameter, SnsError } from "./sns-error.js";

/** SNS MessageAttributeValue: DataType String, String.Array, Number or Binary. */
export interface SnsAttribute {
  readonly DataType: string;
  readonly StringValue?: string;
  readonly BinaryValue?: string;
}

export interface PublishRequest {
  readonly topicArn: string;
  readonly message: string;
  readonly subject?: string;
  readonly messageStructure?: "json";
  readonly messageAttributes?: Readonly<Record<string, SnsAttribute>>;
  readonly messageGroupId?: string;
  readonly messageDeduplicationId?: string;
}

export interface PublishOutput {
  readonly MessageId: string;
  readonly SequenceNumber?: string;
}

const MAX_MESSAGE_BYTES = 262_144;
const SUBJECT = /^[\x21-\x7e][\x20-\x7e]{0,99}$/;
const ATTRIBUTE_TYPE = /^(String|String\.Array|Number|Binary)(\.[A-Za-z0-9_\-.]+)?$/;

export function publishRequest(payload: Json): PublishRequest {
  const p: JsonObject = isObject(payload) ? payload : {};
  const topicArn = p["TopicArn"] ?? p["TargetArn"];
  if (typeof topicArn !== "string" || topicArn === "") throw invalidParameter("TopicArn or TargetArn Reason: no value for required parameter");
  if (p["Message"] === undefined || p["Message"] === "") throw invalidParameter("Empty message");
  const message = messageText(p["Message"] as Json);
  if (Buffer.byteLength(message, "utf8") > MAX_MESSAGE_BYTES) throw invalidParameter("Message too long");
  const subject = optionalString(p, "Subject");
  if (subject !== undefined && !SUBJECT.test(subject)) throw invalidParameter("Subject");
  const structure = optionalString(p, "MessageStructure");
  if (structure !== undefined && structure !== "json") throw invalidParameter("MessageStructure");
  if (structure === "json") checkJsonStructure(message);
  const group = optionalString(p, "MessageGroupId");
  const dedup = optionalString(p, "MessageDeduplicationId");
  return {
    topicArn, message,
    ...(subject !== undefined ? { subject } : {}),
    ...(structure === "json" ? { messageStructure: "json" as const } : {}),
    ...(p["MessageAttributes"] !== undefined ? { messageAttributes: snsAttributes(p["MessageAttributes"]) } : {}),
    ...(group !== undefined ? { messageGroupId: group } : {}),
    ...(dedup !== undefined ? { messageDeduplicationId: dedup } : {}),
  };
}

/** MessageStructure "json": a JSON object with at least a "default" message. */
function checkJsonStructure(message: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    throw invalidParameter("Message Structure - JSON message body failed to parse");
  }
  if (!isObject(parsed) || typeof parsed["default"] !== "string") throw invalidParameter("Message Structure - No default entry in JSON message body");
}

/** The message a subscription of this protocol gets (MessageStructure "json" picks per protocol). */
export function messageFor(request: PublishRequest, protocol: string): string {
  if (request.messageStructure !== "json") return request.message;
  const parsed = JSON.parse(request.message) as JsonObject;
  const specific = parsed[protocol];
  return typeof specific === "string" ? specific : (parsed["default"] as string);
}

function snsAttributes(value: Json): Record<string, SnsAttribute> {
  if (!isObject(value)) throw invalidParameter("MessageAttributes");
  const out: Record<string, SnsAttribute> = {};
  for (const [name, v] of Object.entries(value)) {
    const a: JsonObject = isObject(v) ? v : {};
    const dataType = a["DataType"];
    if (typeof dataType !== "string" || !ATTRIBUTE_TYPE.test(dataType)) {
      throw new SnsError("ParameterValueInvalid", `The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`);
    }
    const binary = dataType.startsWith("Binary");
    const raw = binary ? a["BinaryValue"] : a["StringValue"];
    const text = typeof raw === "number" ? String(raw) : raw;
    if (typeof text !== "string" || text === "") {
      throw new SnsError("ParameterValueInvalid", `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${dataType.split(".")[0] ?? ""}'.`);
    }
    out[name] = binary ? { DataType: dataType, BinaryValue: text } : { DataType: dataType, StringValue: text };
  }
  return out;
}

function optionalString(p: JsonObject, field: string): string | undefined {
  const v = p[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw invalidParameter(field);
  return v;
}

/** Publish's query-protocol response body (its length is the Content-Length Step Functions reports). */
function publishResponseXml(out: PublishOutput, requestId: string): string {
  const sequence = out.SequenceNumber !== undefined ? `    <SequenceNumber>${out.SequenceNumber}</SequenceNumber>\n` : "";
  return `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">\n  <PublishResult>\n${sequence}` +
    `    <MessageId>${out.MessageId}</MessageId>\n  </PublishResult>\n  <ResponseMetadata>\n` +
    `    <RequestId>${requestId}</RequestId>\n  </ResponseMetadata>\n</PublishResponse>\n`;
}

/** Publish's result as the Task's result: MessageId (SequenceNumber for FIFO topics) and the SDK metadata. */
export function publishResult(out: PublishOutput, requestId: string): JsonObject {
  const length = Buffer.byteLength(publishResponseXml(out, requestId));
  return {
    MessageId: out.MessageId,
    ...(out.SequenceNumber !== undefined ? { SequenceNumber: out.SequenceNumber } : {}),
    ...sdkMetadata({ contentType: "text/xml", contentLength: length, keepAlive: false, requestId }),
  };
}
