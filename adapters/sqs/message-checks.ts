/**
 * SendMessage's checks, with SQS's error codes and messages.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html
 */
import { QueueError, type MessageAttributes, type SendMessageInput } from "./queue-store.js";

/** Body plus attributes (names, types and values). */
export const MAX_MESSAGE_BYTES = 262_144;
const MAX_DELAY_SECONDS = 900;
const MAX_ATTRIBUTES = 10;
const ATTRIBUTE_TYPE = /^(String|Number|Binary)(\.[A-Za-z0-9_\-.]{1,256})?$/;
const ATTRIBUTE_NAME = /^(?!\.)(?!.*\.\.)(?!.*\.$)[A-Za-z0-9_\-.]{1,256}$/;
const GROUP_OR_DEDUP_ID = /^[\x21-\x7e]{1,128}$/;
/** #x9 | #xA | #xD | #x20–#xD7FF | #xE000–#xFFFD | #x10000–#x10FFFF */
const INVALID_BODY_CHARS = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

const invalid = (message: string): QueueError => new QueueError("InvalidParameterValue", message);

export function checkSendMessage(input: SendMessageInput, fifo: boolean): void {
  if (input.body.length === 0) throw new QueueError("MissingParameter", "The request must contain the parameter MessageBody.");
  if (INVALID_BODY_CHARS.test(input.body)) {
    throw new QueueError("InvalidMessageContents", "Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF");
  }
  const size = Buffer.byteLength(input.body, "utf8") + attributesSize(input.messageAttributes ?? {});
  if (size > MAX_MESSAGE_BYTES) {
    throw invalid(`One or more parameters are invalid. Reason: Message must be shorter than ${MAX_MESSAGE_BYTES} bytes.`);
  }
  checkDelay(input.delaySeconds, fifo);
  checkAttributes(input.messageAttributes ?? {});
  checkFifoFields(input, fifo);
}

function checkDelay(delay: number | undefined, fifo: boolean): void {
  if (delay === undefined) return;
  if (!Number.isInteger(delay) || delay < 0 || delay > MAX_DELAY_SECONDS) {
    throw invalid(`Value ${delay} for parameter DelaySeconds is invalid. Reason: must be between 0 and ${MAX_DELAY_SECONDS}, if provided.`);
  }
  if (fifo && delay > 0) {
    throw invalid(`Value ${delay} for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.`);
  }
}

function checkFifoFields(input: SendMessageInput, fifo: boolean): void {
  if (fifo && input.messageGroupId === undefined) {
    throw new QueueError("MissingParameter", "The request must contain the parameter MessageGroupId.");
  }
  if (!fifo && input.messageDeduplicationId !== undefined) {
    throw invalid("The request include parameter MessageDeduplicationId which is not valid for this queue type");
  }
  for (const [field, value] of [["MessageGroupId", input.messageGroupId], ["MessageDeduplicationId", input.messageDeduplicationId]] as const) {
    if (value !== undefined && !GROUP_OR_DEDUP_ID.test(value)) {
      throw invalid(`Value ${value} for parameter ${field} is invalid. Reason: ${field} can only include alphanumeric and punctuation characters. 1 to 128 in length.`);
    }
  }
}

function checkAttributes(attributes: MessageAttributes): void {
  const names = Object.keys(attributes);
  if (names.length > MAX_ATTRIBUTES) {
    throw invalid(`Number of message attributes [${names.length}] exceeds the allowed maximum [${MAX_ATTRIBUTES}].`);
  }
  for (const name of names) {
    const value = attributes[name];
    if (!ATTRIBUTE_NAME.test(name) || /^(aws|amazon)\./i.test(name)) throw invalid(`Message attribute name '${name}' is invalid.`);
    if (!value || typeof value.DataType !== "string" || value.DataType === "") {
      throw invalid(`The message attribute '${name}' must contain non-empty message attribute type.`);
    }
    if (!ATTRIBUTE_TYPE.test(value.DataType)) {
      throw invalid(`The type of message (user) attribute '${name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String.`);
    }
    const binary = value.DataType.startsWith("Binary");
    const present = binary ? value.BinaryValue : value.StringValue;
    if (present === undefined || present === "") {
      throw invalid(`The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${value.DataType.split(".")[0] ?? ""}'.`);
    }
    if (value.DataType.startsWith("Number") && !Number.isFinite(Number(value.StringValue))) {
      throw invalid(`Can't cast the value of message (user) attribute '${name}' to a number.`);
    }
  }
}

function attributesSize(attributes: MessageAttributes): number {
  let size = 0;
  for (const [name, v] of Object.entries(attributes)) {
    size += Buffer.byteLength(name) + Buffer.byteLength(v.DataType ?? "");
    size += v.BinaryValue !== undefined ? Buffer.from(v.BinaryValue, "base64").length : Buffer.byteLength(v.StringValue ?? "");
  }
  return size;
}
