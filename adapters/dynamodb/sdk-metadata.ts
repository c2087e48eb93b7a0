/**
 * The fields Step Functions' optimized DynamoDB integration adds to every result: the HTTP
 * response as its Java SDK saw it (`SdkHttpMetadata`: every header as a list in
 * `AllHttpHeaders`, the same as strings in `HttpHeaders`, sorted case-insensitively, and the
 * status) and `SdkResponseMetadata.RequestId`. The AWS SDK integration adds none of these.
 * https://docs.aws.amazon.com/step-functions/latest/dg/connect-ddb.html
 */
import type { JsonObject } from "../../translators/json.js";
import type { DynamoDbReply } from "./dynamodb-backend.js";

/** The order DynamoDB's headers come in (AllHttpHeaders keeps it). */
const ORDER = ["Server", "Connection", "x-amzn-RequestId", "x-amz-crc32", "Content-Length", "Date", "Content-Type"];

export function withSdkMetadata(reply: DynamoDbReply): JsonObject {
  const rank = (name: string): number => (ORDER.includes(name) ? ORDER.indexOf(name) : ORDER.length);
  const names = Object.keys(reply.headers).sort((a, b) => rank(a) - rank(b));
  const sorted = [...names].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
  const value = (name: string): string => reply.headers[name] as string;
  return {
    ...reply.body,
    SdkHttpMetadata: {
      AllHttpHeaders: Object.fromEntries(names.map((n) => [n, [value(n)]])),
      HttpHeaders: Object.fromEntries(sorted.map((n) => [n, value(n)])),
      HttpStatusCode: reply.statusCode,
    },
    SdkResponseMetadata: { RequestId: reply.requestId },
  };
}
