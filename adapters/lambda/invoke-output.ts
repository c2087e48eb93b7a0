/**
 * The result of `arn:aws:states:::lambda:invoke`: Lambda's Invoke response as Step Functions'
 * Java SDK records it (ExecutedVersion, LogResult, Payload, SdkHttpMetadata with the HTTP
 * headers, SdkResponseMetadata, StatusCode), keys in the order AWS writes them. The response
 * comes from a real Lambda (`forward.lambda`) or is the one Lambda would have sent for a
 * function run here (localResponse).
 * https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html
 */
import { randomBytes } from "node:crypto";
import type { Json, JsonObject } from "../../translators/json.js";

export type InvocationType = "RequestResponse" | "Event" | "DryRun";
export type LogType = "None" | "Tail";

/** Lambda answers 200 for a synchronous invoke, 202 for Event, 204 for DryRun. */
const STATUS: Record<InvocationType, number> = { RequestResponse: 200, Event: 202, DryRun: 204 };

/** Lambda's Invoke HTTP response, as Step Functions reads it. */
export interface InvokeHttpResponse {
  readonly statusCode: number;
  readonly requestId: string;
  /** In the order they came, with the casing AWS sends. */
  readonly headers: readonly (readonly [string, string])[];
  /** The function's result (payloadOf the body). */
  readonly payload: Json;
  /** `X-Amz-Executed-Version` (synchronous invocations). */
  readonly executedVersion?: string;
  /** `X-Amz-Log-Result`: with LogType Tail, the end of the function's log, base64. */
  readonly logResult?: string;
}

export function invokeOutput(r: InvokeHttpResponse): JsonObject {
  return {
    ...(r.executedVersion !== undefined ? { ExecutedVersion: r.executedVersion } : {}),
    ...(r.logResult !== undefined ? { LogResult: r.logResult } : {}),
    Payload: r.payload,
    SdkHttpMetadata: {
      AllHttpHeaders: Object.fromEntries(r.headers.map(([k, v]) => [k, [v]])),
      HttpHeaders: Object.fromEntries([...r.headers].sort(([a], [b]) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1))),
      HttpStatusCode: r.statusCode,
    },
    SdkResponseMetadata: { RequestId: r.requestId },
    StatusCode: r.statusCode,
  };
}

/**
 * Step Functions parses the response body from escaped JSON to JSON; an empty body (Event,
 * DryRun) is recorded as "", and a body that is not JSON stays text.
 */
export function payloadOf(body: string): Json {
  if (body === "") return "";
  try {
    return JSON.parse(body) as Json;
  } catch {
    return body;
  }
}

/** An invocation of a function run here. */
export interface InvokeOutcome {
  readonly type: InvocationType;
  readonly requestId: string;
  /** The function's result (RequestResponse only). */
  readonly payload?: Json;
  /** Epoch ms of the response (its Date header). */
  readonly at: number;
}

/** The response Lambda sends for such an invocation: its headers in Lambda's order. */
export function localResponse(o: InvokeOutcome): InvokeHttpResponse {
  const sync = o.type === "RequestResponse";
  // Event and DryRun answer with an empty body.
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
    statusCode: STATUS[o.type],
    requestId: o.requestId,
    headers,
    payload: sync ? (o.payload ?? null) : "",
    ...(sync ? { executedVersion: "$LATEST" } : {}),
  };
}

/** An X-Ray trace header: `root=1-<epoch seconds, hex>-<96 random bits>;parent=<64 bits>;sampled=0`. */
function traceId(at: number): string {
  const seconds = Math.floor(at / 1000).toString(16).padStart(8, "0");
  return `root=1-${seconds}-${randomBytes(12).toString("hex")};parent=${randomBytes(8).toString("hex")};sampled=0`;
}
