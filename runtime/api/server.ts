/**
 * `aslan serve`: an HTTP server speaking AWS Step Functions' JSON 1.0 API, so AWS SDKs and
 * the AWS CLI work against it unchanged. Also `GET /healthz` and `GET /metrics`.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { pino, type Logger } from "pino";
import { ACTIONS, ALL_ACTIONS } from "./actions/index.js";
import type { ApiContext } from "./context.js";
import { ApiError } from "./errors.js";
import { actionOf, CONTENT_TYPE, parseBody, readBody } from "./protocol.js";
import { createService, type ServiceOptions } from "./service.js";

export interface ServerOptions extends Omit<ServiceOptions, "log"> {
  /** 127.0.0.1 unless given. */
  readonly host?: string;
  /** 8083 unless given; 0 picks a free port. */
  readonly port?: number;
  readonly log?: Logger;
}

export interface ApiServer {
  /** `http://host:port` */
  readonly url: string;
  readonly port: number;
  readonly context: ApiContext;
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions = {}): Promise<ApiServer> {
  const log = options.log ?? pino({ level: "silent" });
  const context = createService({ ...options, log });
  const server = createServer((req, res) => void handle(req, res, context, log));
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 8083, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(":") ? `[${host}]` : host;
  log.info({ host, port }, "aslan serve listening");
  return { url: `http://${shownHost}:${port}`, port, context, close: () => closeServer(server, context) };
}

async function closeServer(server: Server, context: ApiContext): Promise<void> {
  context.engine.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

async function handle(req: IncomingMessage, res: ServerResponse, context: ApiContext, baseLog: Logger): Promise<void> {
  const requestId = randomUUID();
  const started = process.hrtime.bigint();
  const log = baseLog.child({ requestId });
  let action = "-";
  let status = 200;
  try {
    if (req.method === "GET" && (req.url === "/healthz" || req.url === "/health")) {
      return send(res, 200, { status: "ok" }, requestId, "application/json");
    }
    if (req.method !== "POST") throw new ApiError("UnknownOperationException", `${req.method ?? "?"} ${req.url ?? ""} is not an API route; the API is POST /`);
    const raw = await readBody(req);
    action = actionOf(req);
    const run = ACTIONS[action];
    if (!run) {
      throw ALL_ACTIONS.includes(action)
        ? new ApiError("UnsupportedOperation", `Aslan does not support ${action} yet`)
        : new ApiError("UnknownOperationException", `Unknown operation '${action}'`);
    }
    const body = parseBody(raw);
    const abort = new AbortController();
    res.once("close", () => abort.abort());
    const result = await run(body, context, { signal: abort.signal, log });
    send(res, 200, result ?? {}, requestId);
  } catch (e) {
    const error = e instanceof ApiError ? e : new ApiError("InternalFailure", "The server failed to process the request");
    if (!(e instanceof ApiError)) log.error({ err: e, action }, "internal failure");
    status = error.status;
    send(res, status, error.body(), requestId);
  } finally {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    log.info({ action, status, ms: Math.round(ms * 100) / 100 }, "request");
  }
}

function send(res: ServerResponse, status: number, body: unknown, requestId: string, type = CONTENT_TYPE): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": type, "Content-Length": Buffer.byteLength(text), "x-amzn-RequestId": requestId });
  res.end(text);
}
