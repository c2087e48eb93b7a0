/**
 * `aslan serve`: an HTTP server speaking AWS Step Functions' JSON 1.0 API, so AWS SDKs and
 * the AWS CLI work against it unchanged. Also `GET /healthz` and `GET /metrics` (neither
 * authenticated: probes and Prometheus scrapers don't sign).
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { pino, type Logger } from "pino";
import type { JsonObject } from "../../translators/json.js";
import { DocumentWriteError, type DocumentWrites } from "../control/document-writes.js";
import type { AdapterApi } from "../ports/adapter.js";
import type { ExecutionObserver } from "../ports/execution-observer.js";
import { ACTIONS, ALL_ACTIONS } from "./actions/index.js";
import { ApiError } from "./errors.js";
import { ApiMetrics } from "./metrics.js";
import { actionOf, CONTENT_TYPE, parseBody, readBody } from "./protocol.js";
import { createService, type Service, type ServiceOptions } from "./service.js";
import { SignatureVerifier, type Credentials } from "./sigv4.js";

export type { Credentials } from "./sigv4.js";

export interface ServerOptions extends Omit<ServiceOptions, "log"> {
  /** 127.0.0.1 unless given. */
  readonly host?: string;
  /** 8083 unless given; 0 picks a free port. */
  readonly port?: number;
  readonly log?: Logger;
  /** When given, every API request must carry a valid SigV4 signature made with this key. */
  readonly credentials?: Credentials;
  /** Serve without credentials on an address other than loopback (refused unless set). */
  readonly allowUnauthenticated?: boolean;
}

export interface ApiServer {
  /** `http://host:port` */
  readonly url: string;
  readonly port: number;
  readonly context: Service;
  readonly metrics: ApiMetrics;
  close(): Promise<void>;
}

/** What every request needs besides itself. */
interface Handling {
  readonly context: Service;
  readonly log: Logger;
  readonly metrics: ApiMetrics;
  /** Absent: requests are not authenticated. */
  readonly verifier?: SignatureVerifier;
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|::1)$/i;

export async function startServer(options: ServerOptions = {}): Promise<ApiServer> {
  const log = options.log ?? pino({ level: "silent" });
  const host = options.host ?? "127.0.0.1";
  if (!options.credentials && !options.allowUnauthenticated && !LOOPBACK.test(host)) {
    throw new Error(`refusing to serve unauthenticated requests on ${host}: configure credentials (SigV4), ` +
      "bind to loopback (127.0.0.1, ::1, localhost), or allow unauthenticated access explicitly (--allow-unauthenticated)");
  }
  const metrics = new ApiMetrics();
  const context = await createService({ ...options, log, observer: bothObservers(options.observer, metrics.observer) });
  for (const problem of context.problems) log.error({ document: problem.document }, `stored ${problem.document} is not served: ${problem.message}`);
  const handling: Handling = {
    context, log, metrics, ...(options.credentials ? { verifier: new SignatureVerifier([options.credentials]) } : {}),
  };
  const server = createServer((req, res) => void handle(req, res, handling));
  // SDK clients keep connections open without an idle limit of their own: a server that drops
  // one after Node's 5 s can race a request sent on it (ECONNRESET). AWS's endpoints keep
  // idle connections about a minute.
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = KEEP_ALIVE_MS + 1_000;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 8083, host, () => resolve());
    });
  } catch (e) {
    await context.engine.close();
    await context.closeAdapters();
    await context.closeStorage();
    throw e;
  }
  server.on("error", (err) => log.error({ err }, "server error"));
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(":") && !host.startsWith("[") ? `[${host}]` : host}:${port}`;
  if (options.credentials) log.info({ url, authentication: "sigv4" }, `aslan serve listening on ${url}; requests must be signed (SigV4)`);
  else log.warn({ url, authentication: "none" }, `aslan serve listening on ${url}; requests are NOT authenticated (no credentials configured)`);
  return { url, port, context, metrics, close: () => closeServer(server, context) };
}

/** How long an idle keep-alive connection stays open. */
const KEEP_ALIVE_MS = 65_000;

function bothObservers(a: ExecutionObserver | undefined, b: ExecutionObserver): ExecutionObserver {
  if (!a) return b;
  return {
    executionStarted: (info) => (a.executionStarted?.(info), b.executionStarted?.(info)),
    executionFinished: (info) => (a.executionFinished?.(info), b.executionFinished?.(info)),
    taskSettled: (info) => (a.taskSettled?.(info), b.taskSettled?.(info)),
  };
}

async function closeServer(server: Server, context: Service): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  // With a durable engine, close() resolves once its last commit has landed: the store may close after.
  await context.engine.close();
  await Promise.all([closed, context.closeAdapters(), context.closeStorage()]);
}

async function handle(req: IncomingMessage, res: ServerResponse, handling: Handling): Promise<void> {
  const requestId = randomUUID();
  const started = process.hrtime.bigint();
  const log = handling.log.child({ requestId });
  const path = (req.url ?? "/").split("?")[0];
  if (req.method === "GET" && (path === "/healthz" || path === "/health")) {
    send(res, 200, JSON.stringify({ status: "ok" }), requestId, "application/json");
    return log.debug({ path, status: 200 }, "request");
  }
  if (req.method === "GET" && path === "/metrics") {
    try {
      send(res, 200, await handling.metrics.render(), requestId, handling.metrics.contentType);
      return log.debug({ path, status: 200 }, "request");
    } catch (e) {
      log.error({ path, err: e }, "metrics failed");
      return send(res, 500, JSON.stringify({ message: "metrics failed" }), requestId, "application/json");
    }
  }
  const call: ApiCall = { action: "-", status: 200 };
  const target = String(req.headers["x-amz-target"] ?? "");
  const adapterApi = handling.context.adapterApis.find((a) => target.startsWith(a.targetPrefix));
  try {
    if (adapterApi) await serveAdapterApi(adapterApi, req, res, handling, requestId, call);
    else await serveApi(req, res, handling, log, requestId, call);
  } catch (e) {
    call.status = failed(e, req, res, log, requestId, call.action);
    if (e instanceof ApiError) call.error = e.code;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  // Only actions of the API model become label values: a client must not grow the metrics.
  handling.metrics.recordRequest(call.action, call.status, seconds);
  log.info({ action: call.action, status: call.status, ...(call.error ? { error: call.error } : {}), ms: Math.round(seconds * 1e5) / 100 }, "request");
}

/** What the request log and metrics say of one API call. */
interface ApiCall {
  /** An action of the API model once known, else "-". */
  action: string;
  status: number;
  /** AWS's error name when the call failed with one. */
  error?: string;
}

/**
 * One API call, in AWS's order: an operation of the model (else UnknownOperationException, before
 * authentication), the body, the signature, then the action's own checks.
 */
async function serveApi(req: IncomingMessage, res: ServerResponse, handling: Handling, log: Logger, requestId: string, call: ApiCall): Promise<void> {
  if (req.method !== "POST") throw new ApiError("UnknownOperationException", `${req.method ?? "?"} ${req.url ?? ""} is not an API route; the API is POST /`);
  const action = actionOf(req);
  if (!ALL_ACTIONS.includes(action)) throw new ApiError("UnknownOperationException", `Unknown operation '${action}'`);
  call.action = action;
  const raw = await readBody(req);
  await handling.verifier?.verify({ method: req.method, url: req.url ?? "/", headers: req.headers, body: raw });
  const run = ACTIONS[action];
  if (!run) throw new ApiError("UnsupportedOperation", `Aslan does not support ${action} yet`);
  const abort = new AbortController();
  // Only a client that left before its answer aborts the work (an AbortError per request is not free).
  res.once("close", () => res.writableFinished || abort.abort());
  const body = parseBody(raw);
  const perform = (): unknown => run(body, handling.context, { signal: abort.signal, log });
  const attempt = async (): Promise<unknown> => (handling.context.writes ? savedOrThrow(handling.context.writes, perform) : perform());
  let result: unknown;
  try {
    result = await attempt();
  } catch (e) {
    // A shared store (distributed mode): another node may have created what this one has not read yet.
    const { refreshRegistries } = handling.context;
    if (!(e instanceof ApiError && REGISTRY_MISSES.has(e.code) && refreshRegistries)) throw e;
    await refreshRegistries();
    result = await attempt();
  }
  send(res, 200, JSON.stringify(result ?? {}), requestId);
}

/** Errors that may only mean this node's registries are behind a shared store. */
const REGISTRY_MISSES = new Set(["StateMachineDoesNotExist", "ActivityDoesNotExist", "ResourceNotFound"]);

/** Runs an action and waits for the registry changes it made to reach the store: only then is the answer true. */
async function savedOrThrow(writes: DocumentWrites, action: () => unknown): Promise<unknown> {
  try {
    return await writes.track(action);
  } catch (e) {
    if (e instanceof DocumentWriteError) throw new ApiError("InternalFailure", e.message);
    throw e;
  }
}

/** An adapter's own API (SQS's JSON protocol for queues): same body limit, SigV4 with its service. */
async function serveAdapterApi(api: AdapterApi, req: IncomingMessage, res: ServerResponse, handling: Handling, requestId: string, call: ApiCall): Promise<void> {
  const raw = await readBody(req);
  await handling.verifier?.verify({ method: req.method ?? "POST", url: req.url ?? "/", headers: req.headers, body: raw }, api.signingService);
  const body = parseBody(raw) as JsonObject;
  const abort = new AbortController();
  // Only a client that left before its answer aborts the work (an AbortError per request is not free).
  res.once("close", () => res.writableFinished || abort.abort());
  const action = String(req.headers["x-amz-target"]).slice(api.targetPrefix.length);
  // One label value per adapter API: clients choose the action text, so it never becomes a label.
  call.action = api.signingService;
  const reply = await api.handle(action, body, { baseUrl: `http://${req.headers.host ?? "localhost"}`, signal: abort.signal });
  call.status = reply.status;
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(reply.body);
  res.writeHead(reply.status, { "Content-Type": CONTENT_TYPE, "Content-Length": Buffer.byteLength(text), "x-amzn-RequestId": requestId, ...reply.headers });
  res.end(text);
}

/** Answers a failed call; returns the HTTP status. */
function failed(e: unknown, req: IncomingMessage, res: ServerResponse, log: Logger, requestId: string, action: string): number {
  if (e instanceof ApiError) {
    send(res, e.status, JSON.stringify(e.body()), requestId);
    return e.status;
  }
  if (req.destroyed || res.destroyed) {
    // The client went away mid-request (nginx's 499): nothing to answer, nothing broken.
    log.info({ action, err: e }, "client closed the connection");
    return 499;
  }
  log.error({ action, err: e }, "internal failure");
  const internal = new ApiError("InternalFailure", "The server failed to process the request");
  send(res, internal.status, JSON.stringify(internal.body()), requestId);
  return internal.status;
}

function send(res: ServerResponse, status: number, text: string, requestId: string, type = CONTENT_TYPE): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { "Content-Type": type, "Content-Length": Buffer.byteLength(text), "x-amzn-RequestId": requestId });
  res.end(text);
}
