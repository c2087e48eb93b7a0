/**
 * The result of `arn:aws:states:::lambda:invoke`: Lambda's Invoke response as Step Functions'
 * Java SDK records it (ExecutedVersion, Payload, SdkHttpMetadata with the HTTP headers,
 * SdkResponseMetadata, StatusCode), keys in the order AWS writes them.
 * https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html
 */
import { randomBytes } from "node:crypto";
import type { Json, JsonObject } from "../../translators/json.js";

export type InvocationType = "RequestResponse" | "Event" | "DryRun";

/** Lambda answers 200 for a synchronous invoke, 202 for Event, 204 for DryRun. */
const STATUS: Record<InvocationType, number> = { RequestResponse: 200, Event: 202, DryRun: 204 };

export interface InvokeOutcome {
  readonly type: InvocationType;
  readonly requestId: string;
  /** The function's result (RequestResponse only). */
  readonly payload?: Json;
  /** Epoch ms of the response (its Date header). */
  readonly at: number;
}

export function invokeOutput(o: InvokeOutcome): JsonObject {
  const status = STATUS[o.type];
  const sync = o.type === "RequestResponse";
  // Event and DryRun answer with an empty body, which Step Functions records as "".
  const body = sync ? JSON.stringify(o.payload ?? null) : "";
  const headers: [string, string][] = [
    ...(sync ? [["X-Amz-Executed-Version", "$LATEST"] as [string, string]] : []),
    ["x-amzn-Remapped-Content-Length", "0"],
    ["Connection", "keep-alive"],
    ["x-amzn-RequestId", o.requestId],
    ["Content-Length", String(Buffer.byteLength(body))],
    ["Date", new Date(o.at).toUTCString()],
    ["X-Amzn-Trace-Id", traceId(o.at)],
    ["Content-Type", "application/json"],
  ];
  return {
    ...(sync ? { ExecutedVersion: "$LATEST" } : {}),
    Payload: sync ? (o.payload ?? null) : "",
    SdkHttpMetadata: {
      AllHttpHeaders: Object.fromEntries(headers.map(([k, v]) => [k, [v]])),
      HttpHeaders: Object.fromEntries([...headers].sort(([a], [b]) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1))),
      HttpStatusCode: status,
    },
    SdkResponseMetadata: { RequestId: o.requestId },
    StatusCode: status,
  };
}

/** An X-Ray trace header: `root=1-<epoch seconds, hex>-<96 random bits>;parent=<64 bits>;sampled=0`. */
function traceId(at: number): string {
  const seconds = Math.floor(at / 1000).toString(16).padStart(8, "0");
  return `root=1-${seconds}-${randomBytes(12).toString("hex")};parent=${randomBytes(8).toString("hex")};sampled=0`;
}
