/**
 * The digests SQS returns: MD5OfMessageBody and MD5OfMessageAttributes, which SDKs check.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-metadata.html#sqs-attributes-md5-message-digest-calculation
 */
import { createHash } from "node:crypto";
import type { MessageAttributes } from "./queue-store.js";

export const md5Hex = (text: string): string => createHash("md5").update(text, "utf8").digest("hex");

const STRING_TRANSPORT = 1;
const BINARY_TRANSPORT = 2;

function lengthPrefixed(bytes: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/**
 * Attributes sorted by name; each one encoded as name, data type, a transport byte (1 for
 * String/Number, 2 for Binary) and value, every field prefixed by its 4-byte big-endian length.
 */
export function md5OfMessageAttributes(attributes: MessageAttributes): string {
  const hash = createHash("md5");
  for (const name of Object.keys(attributes).sort()) {
    const value = attributes[name];
    if (!value) continue;
    hash.update(lengthPrefixed(Buffer.from(name, "utf8")));
    hash.update(lengthPrefixed(Buffer.from(value.DataType, "utf8")));
    if (value.BinaryValue !== undefined && value.DataType.startsWith("Binary")) {
      hash.update(Buffer.from([BINARY_TRANSPORT]));
      hash.update(lengthPrefixed(Buffer.from(value.BinaryValue, "base64")));
    } else {
      hash.update(Buffer.from([STRING_TRANSPORT]));
      hash.update(lengthPrefixed(Buffer.from(value.StringValue ?? "", "utf8")));
    }
  }
  return hash.digest("hex");
}

/** FIFO content-based deduplication: the SHA-256 of the body. */
export const sha256Hex = (text: string): string => createHash("sha256").update(text, "utf8").digest("hex");
