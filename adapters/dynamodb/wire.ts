/**
 * The HTTP details DynamoDB puts on a response, for the local tables to answer as it does:
 * request ids (52 characters of A–Z and 0–9), the body's CRC32 (`x-amz-crc32`) and headers.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.LowLevelAPI.html
 */
import { randomBytes } from "node:crypto";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

export function requestId(): string {
  return [...randomBytes(52)].map((b) => ALPHABET[b % ALPHABET.length]).join("");
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** The headers DynamoDB sends with a 200 response carrying `body`. */
export function responseHeaders(body: string, id: string, now: number): Record<string, string> {
  const bytes = Buffer.from(body, "utf8");
  return {
    Server: "Server",
    Date: new Date(now).toUTCString(),
    "Content-Type": "application/x-amz-json-1.0",
    "Content-Length": String(bytes.length),
    Connection: "keep-alive",
    "x-amzn-RequestId": id,
    "x-amz-crc32": String(crc32(bytes)),
  };
}
