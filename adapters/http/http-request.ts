/**
 * An HTTP Task's parameters as an HTTP request: ApiEndpoint, Method, Headers, QueryParameters,
 * RequestBody, Transform, and the connection (Authentication.ConnectionArn, or
 * InvocationConfig.ConnectionArn for private APIs).
 * https://docs.aws.amazon.com/step-functions/latest/dg/call-https-apis.html
 */
import { TaskError } from "../../runtime/ports/adapter.js";
import { isObject, type Json, type JsonObject } from "../../translators/json.js";
import { ARRAY_FORMATS, urlEncode, type ArrayFormat } from "./url-encoding.js";

export const METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"] as const;
export type Method = (typeof METHODS)[number];

export interface HttpRequest {
  readonly url: URL;
  readonly method: Method;
  readonly headers: Record<string, string>;
  readonly body?: string;
  readonly connectionArn?: string;
}

/** Headers an HTTP Task may not set (Step Functions or the connection owns them). */
const RESERVED = new Set([
  "a-im", "accept-charset", "accept-datetime", "accept-encoding", "authorization", "cache-control", "connection", "content-encoding",
  "content-length", "content-md5", "date", "expect", "forwarded", "from", "host", "http2-settings", "if-match", "if-modified-since",
  "if-none-match", "if-range", "if-unmodified-since", "max-forwards", "origin", "pragma", "proxy-authorization", "referer", "server", "te",
  "trailer", "transfer-encoding", "upgrade", "user-agent", "via", "warning",
]);
const RESERVED_PREFIX = /^(x-amz-|x-amzn-|x-forwarded-)/i;

const runtime = (message: string): TaskError => new TaskError("States.Runtime", message);

const text = (v: Json): string => (v === null ? "" : typeof v === "object" ? JSON.stringify(v) : String(v));

export function httpRequest(payload: Json, region: string): HttpRequest {
  const p: JsonObject = isObject(payload) ? payload : {};
  const url = endpoint(p["ApiEndpoint"]);
  const method = p["Method"];
  if (typeof method !== "string" || !(METHODS as readonly string[]).includes(method.toUpperCase())) {
    throw runtime(`The HTTP Task's Method must be one of ${METHODS.join(", ")}; got ${JSON.stringify(method ?? null)}.`);
  }
  addQuery(url, p["QueryParameters"]);
  const headers = taskHeaders(p["Headers"]);
  const body = requestBody(p, headers);
  const connectionArn = connectionOf(p);
  headers["User-Agent"] = `Amazon|StepFunctions|HttpInvoke|${region}`;
  headers["Range"] = "bytes=0-262144";
  const m = method.toUpperCase() as Method;
  return {
    url, method: m, headers,
    // fetch sends no body with GET or HEAD.
    ...(body !== undefined && m !== "GET" && m !== "HEAD" ? { body } : {}),
    ...(connectionArn !== undefined ? { connectionArn } : {}),
  };
}

function endpoint(value: Json | undefined): URL {
  if (typeof value !== "string") throw runtime("The HTTP Task needs ApiEndpoint: the URL to call.");
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw runtime(`The HTTP Task's ApiEndpoint '${value}' is not a URL.`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw runtime(`The HTTP Task's ApiEndpoint '${value}' is not an http(s) URL.`);
  return url;
}

/** QueryParameters join the endpoint's own; an array repeats its key. */
function addQuery(url: URL, value: Json | undefined): void {
  if (value === undefined || value === null) return;
  if (!isObject(value)) throw runtime("The HTTP Task's QueryParameters must be an object.");
  for (const [k, v] of Object.entries(value)) {
    if (Array.isArray(v)) for (const item of v) url.searchParams.append(k, text(item));
    else url.searchParams.append(k, text(v));
  }
}

function taskHeaders(value: Json | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (value === undefined || value === null) return out;
  if (!isObject(value)) throw runtime("The HTTP Task's Headers must be an object.");
  for (const [k, v] of Object.entries(value)) {
    if (RESERVED.has(k.toLowerCase()) || RESERVED_PREFIX.test(k)) throw runtime(`The HTTP Task may not set the header '${k}'.`);
    out[k] = Array.isArray(v) ? v.map(text).join(",") : text(v);
  }
  return out;
}

const hasHeader = (headers: Record<string, string>, name: string): boolean =>
  Object.keys(headers).some((k) => k.toLowerCase() === name.toLowerCase());

/** The body: JSON unless Transform asks for URL encoding; a string body is sent as it is. */
function requestBody(p: JsonObject, headers: Record<string, string>): string | undefined {
  const body = p["RequestBody"];
  if (body === undefined) return undefined;
  const transform: JsonObject = isObject(p["Transform"]) ? p["Transform"] : {};
  const encoding = transform["RequestBodyEncoding"] ?? "NONE";
  if (encoding !== "NONE" && encoding !== "URL_ENCODED") throw runtime(`Transform.RequestBodyEncoding must be NONE or URL_ENCODED; got ${JSON.stringify(encoding)}.`);
  if (encoding === "URL_ENCODED") {
    if (!isObject(body)) throw runtime("Transform.RequestBodyEncoding URL_ENCODED needs a JSON object RequestBody.");
    if (!hasHeader(headers, "Content-Type")) headers["Content-Type"] = "application/x-www-form-urlencoded";
    return urlEncode(body, arrayFormat(transform["RequestEncodingOptions"]));
  }
  if (!hasHeader(headers, "Content-Type")) headers["Content-Type"] = "application/json; charset=UTF-8";
  return typeof body === "string" ? body : JSON.stringify(body);
}

function arrayFormat(options: Json | undefined): ArrayFormat {
  const format = isObject(options) ? options["ArrayFormat"] : undefined;
  if (format === undefined) return "INDICES";
  if (typeof format !== "string" || !(ARRAY_FORMATS as readonly string[]).includes(format)) {
    throw runtime(`RequestEncodingOptions.ArrayFormat must be one of ${ARRAY_FORMATS.join(", ")}; got ${JSON.stringify(format)}.`);
  }
  return format as ArrayFormat;
}

function connectionOf(p: JsonObject): string | undefined {
  for (const key of ["Authentication", "InvocationConfig"]) {
    const c = p[key];
    if (isObject(c) && typeof c["ConnectionArn"] === "string") return c["ConnectionArn"];
  }
  return undefined;
}
