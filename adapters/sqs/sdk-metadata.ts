/**
 * The SdkHttpMetadata and SdkResponseMetadata fields that Step Functions' optimized SQS and SNS
 * integrations add to the service's response (their Java SDK's response metadata), as recorded
 * on AWS: the headers of the service's HTTP response, each once as a list and once as a string.
 */
import { randomUUID } from "node:crypto";
import type { JsonObject } from "../../translators/json.js";

export interface ResponseHeaders {
  readonly contentType: string;
  /** Length of the body the service would have answered with. */
  readonly contentLength: number;
  /** SQS (JSON protocol) answers with `connection: keep-alive`; SNS (query protocol) does not. */
  readonly keepAlive: boolean;
  readonly date?: Date;
  readonly requestId?: string;
}

export function sdkMetadata(h: ResponseHeaders): { SdkHttpMetadata: JsonObject; SdkResponseMetadata: JsonObject } {
  const requestId = h.requestId ?? randomUUID();
  const date = (h.date ?? new Date()).toUTCString();
  const length = String(h.contentLength);
  const connection = h.keepAlive ? { connection: "keep-alive" } : {};
  return {
    SdkHttpMetadata: {
      AllHttpHeaders: {
        "x-amzn-RequestId": [requestId],
        ...(h.keepAlive ? { connection: ["keep-alive"] } : {}),
        "Content-Length": [length],
        Date: [date],
        "Content-Type": [h.contentType],
      },
      HttpHeaders: { ...connection, "Content-Length": length, "Content-Type": h.contentType, Date: date, "x-amzn-RequestId": requestId },
      HttpStatusCode: 200,
    },
    SdkResponseMetadata: { RequestId: requestId },
  };
}
