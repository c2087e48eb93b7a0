/**
 * The HTTP Task: `arn:aws:states:::http:invoke`. The result is `{Headers, ResponseBody,
 * StatusCode, StatusText}` (ResponseBody parsed when the response is JSON, each header a list
 * of values); a non-2xx answer fails with `States.Http.StatusCode.<n>` (cause: that result as
 * JSON), an endpoint that cannot be reached or does not answer within 60 s with
 * `States.Http.Socket`.
 * https://docs.aws.amazon.com/step-functions/latest/dg/call-https-apis.html
 */
import type { ConnectionConfig } from "../../runtime/config/project-config.js";
import { TaskError, type Adapter, type AdapterTask } from "../../runtime/ports/adapter.js";
import type { ResourceInfo } from "../../translators/dataflow/resource.js";
import type { Json, JsonObject } from "../../translators/json.js";
import { Connections } from "./connections.js";
import { httpRequest, type HttpRequest } from "./http-request.js";

/** Step Functions gives an HTTP request at most 60 seconds. */
const HTTP_TIMEOUT_MS = 60_000;

export interface HttpAdapterOptions {
  readonly connections?: Readonly<Record<string, ConnectionConfig>>;
  /** The region in the User-Agent header (`Amazon|StepFunctions|HttpInvoke|<region>`). */
  readonly region?: string;
  /** Per-request time limit (60 s, as AWS, unless given). */
  readonly timeoutMs?: number;
  readonly now?: () => number;
}

export class HttpAdapter implements Adapter {
  readonly name = "http";
  readonly resources = ["arn:aws:states:::http:invoke"];
  private readonly connections: Connections;
  private readonly region: string;
  private readonly timeoutMs: number;

  constructor(options: HttpAdapterOptions = {}) {
    this.connections = new Connections(options.connections ?? {}, options.now);
    this.region = options.region ?? "us-east-1";
    this.timeoutMs = options.timeoutMs ?? HTTP_TIMEOUT_MS;
  }

  handles(resource: ResourceInfo): boolean {
    return resource.kind === "service" && resource.resourceType === "http" && resource.resource === "invoke";
  }

  async run(task: AdapterTask): Promise<Json> {
    const request = httpRequest(task.payload, this.region);
    const signal = AbortSignal.any([task.signal, AbortSignal.timeout(this.timeoutMs)]);
    const conn = request.connectionArn !== undefined ? this.connections.resolve(request.connectionArn) : undefined;
    let res = await this.send(request, conn, signal);
    if (res.status === 401 && conn?.connection.authorization.type === "OAUTH_CLIENT_CREDENTIALS") {
      // The cached token was refused: get a new one and try once more.
      await res.arrayBuffer();
      this.connections.forgetToken(conn.name);
      res = await this.send(request, conn, signal);
    }
    const output = await responseOutput(res, signal);
    if (res.status >= 200 && res.status <= 299) return output;
    throw new TaskError(`States.Http.StatusCode.${res.status}`, JSON.stringify(output));
  }

  private async send(request: HttpRequest, conn: { name: string; connection: ConnectionConfig } | undefined, signal: AbortSignal): Promise<Response> {
    const url = new URL(request.url);
    const headers = { ...request.headers };
    if (conn) {
      for (const [k, v] of Object.entries(conn.connection.queryParameters ?? {})) url.searchParams.set(k, v);
      Object.assign(headers, conn.connection.headers ?? {}, await this.connections.authHeaders(conn.name, conn.connection, signal));
    }
    try {
      return await fetch(url, { method: request.method, headers, signal, ...(request.body !== undefined ? { body: request.body } : {}) });
    } catch (e) {
      throw socketError(e, signal);
    }
  }
}

/** The Task's result: every header as a list of values, a JSON body parsed. */
async function responseOutput(res: Response, signal: AbortSignal): Promise<JsonObject> {
  let body: string;
  try {
    body = await res.text();
  } catch (e) {
    throw socketError(e, signal);
  }
  const headers: JsonObject = {};
  res.headers.forEach((value, name) => {
    if (name !== "set-cookie") headers[name] = [value];
  });
  const cookies = res.headers.getSetCookie();
  if (cookies.length > 0) headers["set-cookie"] = cookies;
  return { Headers: headers, ResponseBody: parseBody(body, res.headers.get("content-type")), StatusCode: res.status, StatusText: res.statusText };
}

function parseBody(body: string, contentType: string | null): Json {
  const media = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (body === "" || !(media === "application/json" || media.endsWith("+json"))) return body;
  try {
    return JSON.parse(body) as Json;
  } catch {
    return body;
  }
}

/** A request that got no answer: refused, reset, unresolvable, or out of time. */
function socketError(e: unknown, signal: AbortSignal): TaskError {
  const reason: unknown = signal.aborted ? signal.reason : undefined;
  if (reason instanceof Error && reason.name === "TimeoutError") return new TaskError("States.Http.Socket", "The HTTP request timed out.");
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  const detail = [cause?.code, cause?.message ?? (e instanceof Error ? e.message : String(e))].filter(Boolean).join(": ");
  return new TaskError("States.Http.Socket", `The HTTP request failed: ${detail}`);
}
